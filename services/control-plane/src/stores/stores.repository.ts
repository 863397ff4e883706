import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { WooCommerceClient } from '@ledgerline/woocommerce';
import type { Tx } from '@ledgerline/messaging';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG, POOL } from '../config/tokens';
import { SecretBox } from '@ledgerline/service-kit';

/** The flows a store can switch on, one per row of ARCHITECTURE.md's flow table. */
export const FLOWS = ['orders', 'refunds', 'inventory', 'products', 'customers', 'payouts'] as const;
export type Flow = (typeof FLOWS)[number];
export type Flows = Record<Flow, boolean>;
export const DEFAULT_FLOWS: Flows = { orders: true, refunds: true, inventory: false, products: false, customers: false, payouts: false };

/** A store with its secrets opened; only the repository and the WooCommerce client see this. */
export interface StoreRecord {
  storeId: string;
  tenantId: string;
  name: string;
  siteUrl: string;
  currency: string;
  consumerKey: string;
  consumerSecret: string;
  webhookSecret: string;
  erpConnectionId: string | null;
  flows: Flows;
  lastTest: { at: string; ok: boolean; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** A store as the API shows it: never its keys or webhook secret, only whether they are set. */
export type StoreView = Omit<StoreRecord, 'consumerKey' | 'consumerSecret' | 'webhookSecret'> & { credentials: { consumerKey: 'set'; consumerSecret: 'set'; webhookSecret: 'set' } };

interface StoreRow {
  store_id: string;
  tenant_id: string;
  name: string;
  site_url: string;
  currency: string;
  consumer_key_enc: string;
  consumer_secret_enc: string;
  webhook_secret_enc: string;
  erp_connection_id: string | null;
  flows: Flows;
  last_test_at: Date | null;
  last_test_ok: boolean | null;
  last_test_message: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The `stores` table: secrets are sealed on the way in and opened on the way out, nowhere else. */
@Injectable()
export class StoresRepository {
  private readonly box: SecretBox;
  private readonly s: string;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
  ) {
    this.box = new SecretBox(config.secretsKey, 'CONTROL_PLANE_SECRETS_KEY');
    this.s = config.schema;
  }

  async save(tx: Tx, s: Omit<StoreRecord, 'lastTest' | 'createdAt' | 'updatedAt'>): Promise<StoreRecord> {
    const { rows } = await tx.query<StoreRow>(
      `INSERT INTO ${this.s}.stores (store_id, tenant_id, name, site_url, currency, consumer_key_enc, consumer_secret_enc, webhook_secret_enc, erp_connection_id, flows)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (store_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, name = EXCLUDED.name, site_url = EXCLUDED.site_url,
         currency = EXCLUDED.currency, consumer_key_enc = EXCLUDED.consumer_key_enc, consumer_secret_enc = EXCLUDED.consumer_secret_enc,
         webhook_secret_enc = EXCLUDED.webhook_secret_enc, erp_connection_id = EXCLUDED.erp_connection_id, flows = EXCLUDED.flows, updated_at = now()
       RETURNING *`,
      [
        s.storeId,
        s.tenantId,
        s.name,
        s.siteUrl,
        s.currency,
        this.box.seal(s.consumerKey),
        this.box.seal(s.consumerSecret),
        this.box.seal(s.webhookSecret),
        s.erpConnectionId,
        JSON.stringify(s.flows),
      ],
    );
    return this.open(rows[0] as StoreRow);
  }

  async find(db: Tx | Pool, storeId: string, forUpdate = false): Promise<StoreRecord | null> {
    const { rows } = await (db as Tx).query<StoreRow>(`SELECT * FROM ${this.s}.stores WHERE store_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [storeId]);
    return rows[0] ? this.open(rows[0]) : null;
  }

  async all(tenantId?: string): Promise<StoreRecord[]> {
    const { rows } = await this.pool.query<StoreRow>(`SELECT * FROM ${this.s}.stores WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY store_id`, [tenantId ?? null]);
    return rows.map((r) => this.open(r));
  }

  async remove(tx: Tx, storeId: string): Promise<void> {
    await tx.query(`DELETE FROM ${this.s}.stores WHERE store_id = $1`, [storeId]);
  }

  async recordTest(storeId: string, ok: boolean, message: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.stores SET last_test_at = now(), last_test_ok = $2, last_test_message = $3 WHERE store_id = $1`, [storeId, ok, message]);
  }

  /** A REST client for the store; retries are off, so an operator's test answers within the timeout. */
  client(store: StoreRecord, maxAttempts = 1): WooCommerceClient {
    return new WooCommerceClient({
      siteUrl: store.siteUrl,
      consumerKey: store.consumerKey,
      consumerSecret: store.consumerSecret,
      timeoutMs: this.config.requestTimeoutMs,
      retry: { maxAttempts },
    });
  }

  private open(r: StoreRow): StoreRecord {
    return {
      storeId: r.store_id,
      tenantId: r.tenant_id,
      name: r.name,
      siteUrl: r.site_url,
      currency: r.currency,
      consumerKey: this.box.open(r.consumer_key_enc),
      consumerSecret: this.box.open(r.consumer_secret_enc),
      webhookSecret: this.box.open(r.webhook_secret_enc),
      erpConnectionId: r.erp_connection_id,
      flows: { ...DEFAULT_FLOWS, ...r.flows },
      lastTest: r.last_test_at ? { at: r.last_test_at.toISOString(), ok: r.last_test_ok === true, message: r.last_test_message ?? '' } : null,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  }
}

/** What the API and the config topic may show of a store. */
export function storeView(s: StoreRecord): StoreView {
  const { consumerKey: _k, consumerSecret: _s, webhookSecret: _w, ...rest } = s;
  return { ...rest, credentials: { consumerKey: 'set', consumerSecret: 'set', webhookSecret: 'set' } };
}

/** The store's record on the config topic (no secrets). */
export function storeConfigData(s: StoreRecord): Record<string, unknown> {
  return { name: s.name, siteUrl: s.siteUrl, currency: s.currency, erpConnectionId: s.erpConnectionId, flows: s.flows };
}
