import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';
import { SecretBox } from '@ledgerline/service-kit';
import type { Store } from './store';

interface StoreRow {
  store_id: string;
  tenant_id: string;
  site_url: string;
  currency: string;
  consumer_key_enc: string;
  consumer_secret_enc: string;
  webhook_secret_enc: string;
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
    @Inject(CONFIG) config: StoreGatewayConfig,
  ) {
    this.box = new SecretBox(config.secretsKey, 'STORE_GATEWAY_SECRETS_KEY');
    this.s = config.schema;
  }

  /** Inserts or replaces the store; returns whether it was new. */
  async upsert(store: Store): Promise<{ created: boolean; createdAt: Date; updatedAt: Date }> {
    const { rows } = await this.pool.query<{ created: boolean; created_at: Date; updated_at: Date }>(
      `INSERT INTO ${this.s}.stores (store_id, tenant_id, site_url, currency, consumer_key_enc, consumer_secret_enc, webhook_secret_enc)
       VALUES ($1, $2, $3, $7, $4, $5, $6)
       ON CONFLICT (store_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, site_url = EXCLUDED.site_url, currency = EXCLUDED.currency,
         consumer_key_enc = EXCLUDED.consumer_key_enc, consumer_secret_enc = EXCLUDED.consumer_secret_enc,
         webhook_secret_enc = EXCLUDED.webhook_secret_enc, updated_at = now()
       RETURNING (xmax = 0) AS created, created_at, updated_at`,
      [store.storeId, store.tenantId, store.siteUrl, this.box.seal(store.consumerKey), this.box.seal(store.consumerSecret), this.box.seal(store.webhookSecret), store.currency],
    );
    const r = rows[0] as { created: boolean; created_at: Date; updated_at: Date };
    return { created: r.created, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  async find(storeId: string): Promise<(Store & { createdAt: Date; updatedAt: Date }) | null> {
    const { rows } = await this.pool.query<StoreRow>(`SELECT * FROM ${this.s}.stores WHERE store_id = $1`, [storeId]);
    return rows[0] ? this.open(rows[0]) : null;
  }

  async all(): Promise<Store[]> {
    const { rows } = await this.pool.query<StoreRow>(`SELECT * FROM ${this.s}.stores ORDER BY store_id`);
    return rows.map((r) => this.open(r));
  }

  private open(r: StoreRow): Store & { createdAt: Date; updatedAt: Date } {
    return {
      storeId: r.store_id,
      tenantId: r.tenant_id,
      siteUrl: r.site_url,
      currency: r.currency,
      consumerKey: this.box.open(r.consumer_key_enc),
      consumerSecret: this.box.open(r.consumer_secret_enc),
      webhookSecret: this.box.open(r.webhook_secret_enc),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}
