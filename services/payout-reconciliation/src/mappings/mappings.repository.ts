import type { Pool } from 'pg';
import type { PaymentProvider } from '@ledgerline/contracts';
import { gatewayMatches, type MappingAccounts, type MappingView, type ProviderCredentials, type ProviderMapping } from './provider-mapping';
import { SecretBox } from '@ledgerline/service-kit';

interface MappingRow {
  provider: PaymentProvider;
  merchant_account: string;
  tenant_id: string;
  erp: string;
  erp_connection_id: string;
  accounts: MappingAccounts;
  mode_of_payment: string;
  gateways: string[];
  credentials_enc: string | null;
  updated_at: Date;
}

/** The provider_mappings table; credentials are sealed at rest and never leave through a view. */
export class MappingsRepository {
  private readonly box: SecretBox;
  private cache = new Map<string, { at: number; mapping: ProviderMapping | null }>();

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    secretsKey: Buffer,
  ) {
    this.box = new SecretBox(secretsKey, 'PAYOUT_RECONCILIATION_SECRETS_KEY');
  }

  /**
   * Returns the other mapping of the same tenant that already claims one of `mapping`'s gateways, if any: a WooCommerce
   * gateway can belong to one provider account only, or a payment could match two payouts.
   */
  async gatewayConflict(mapping: ProviderMapping): Promise<{ provider: string; merchantAccount: string; gateway: string } | null> {
    const { rows } = await this.pool.query<MappingRow>(`SELECT * FROM ${this.schema}.provider_mappings WHERE tenant_id = $1 AND NOT (provider = $2 AND merchant_account = $3)`, [
      mapping.tenantId,
      mapping.provider,
      mapping.merchantAccount,
    ]);
    for (const row of rows) {
      for (const g of mapping.gateways) {
        if (row.gateways.some((other) => gatewayMatches(other, g) || gatewayMatches(g, other))) return { provider: row.provider, merchantAccount: row.merchant_account, gateway: g };
      }
    }
    return null;
  }

  /** Inserts or replaces a mapping; credentials not given keep their stored values. Returns whether it was new. */
  async upsert(mapping: ProviderMapping): Promise<boolean> {
    const existing = await this.find(mapping.provider, mapping.merchantAccount, { fresh: true });
    const credentials = { ...(existing?.credentials ?? {}), ...mapping.credentials };
    const sealed = Object.keys(credentials).length > 0 ? this.box.seal(JSON.stringify(credentials)) : null;
    await this.pool.query(
      `INSERT INTO ${this.schema}.provider_mappings (provider, merchant_account, tenant_id, erp, erp_connection_id, accounts, mode_of_payment, gateways, credentials_enc)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
       ON CONFLICT (provider, merchant_account) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, erp = EXCLUDED.erp, erp_connection_id = EXCLUDED.erp_connection_id,
         accounts = EXCLUDED.accounts, mode_of_payment = EXCLUDED.mode_of_payment, gateways = EXCLUDED.gateways, credentials_enc = EXCLUDED.credentials_enc, updated_at = now()`,
      [mapping.provider, mapping.merchantAccount, mapping.tenantId, mapping.erp, mapping.erpConnectionId, JSON.stringify(mapping.accounts), mapping.modeOfPayment, mapping.gateways, sealed],
    );
    this.cache.clear();
    return existing === null;
  }

  async delete(provider: string, merchantAccount: string): Promise<boolean> {
    const res = await this.pool.query(`DELETE FROM ${this.schema}.provider_mappings WHERE provider = $1 AND merchant_account = $2`, [provider, merchantAccount]);
    this.cache.clear();
    return res.rowCount === 1;
  }

  /** Returns the mapping, read through a short cache (mappings change rarely; matching asks for them per line batch). */
  async find(provider: string, merchantAccount: string, opts: { fresh?: boolean } = {}): Promise<ProviderMapping | null> {
    const key = `${provider}\u0000${merchantAccount}`;
    const hit = this.cache.get(key);
    if (!opts.fresh && hit && Date.now() - hit.at < 5_000) return hit.mapping;
    const { rows } = await this.pool.query<MappingRow>(`SELECT * FROM ${this.schema}.provider_mappings WHERE provider = $1 AND merchant_account = $2`, [provider, merchantAccount]);
    const mapping = rows[0] ? this.toMapping(rows[0]) : null;
    this.cache.set(key, { at: Date.now(), mapping });
    return mapping;
  }

  /** Every mapping, optionally of one provider or tenant. */
  async list(filter: { provider?: string; tenantId?: string } = {}): Promise<ProviderMapping[]> {
    const { rows } = await this.pool.query<MappingRow>(
      `SELECT * FROM ${this.schema}.provider_mappings WHERE ($1::text IS NULL OR provider = $1) AND ($2::text IS NULL OR tenant_id = $2) ORDER BY provider, merchant_account`,
      [filter.provider ?? null, filter.tenantId ?? null],
    );
    return rows.map((r) => this.toMapping(r));
  }

  async views(filter: { provider?: string; tenantId?: string } = {}): Promise<MappingView[]> {
    const { rows } = await this.pool.query<MappingRow>(
      `SELECT * FROM ${this.schema}.provider_mappings WHERE ($1::text IS NULL OR provider = $1) AND ($2::text IS NULL OR tenant_id = $2) ORDER BY provider, merchant_account`,
      [filter.provider ?? null, filter.tenantId ?? null],
    );
    return rows.map((r) => view(this.toMapping(r), r.updated_at));
  }

  async view(provider: string, merchantAccount: string): Promise<MappingView | null> {
    const { rows } = await this.pool.query<MappingRow>(`SELECT * FROM ${this.schema}.provider_mappings WHERE provider = $1 AND merchant_account = $2`, [provider, merchantAccount]);
    return rows[0] ? view(this.toMapping(rows[0]), rows[0].updated_at) : null;
  }

  private toMapping(r: MappingRow): ProviderMapping {
    const credentials = r.credentials_enc ? (JSON.parse(this.box.open(r.credentials_enc)) as ProviderCredentials) : {};
    return {
      provider: r.provider,
      merchantAccount: r.merchant_account,
      tenantId: r.tenant_id,
      erp: r.erp,
      erpConnectionId: r.erp_connection_id,
      accounts: r.accounts,
      modeOfPayment: r.mode_of_payment,
      gateways: r.gateways,
      credentials,
    };
  }
}

function view(m: ProviderMapping, updatedAt: Date): MappingView {
  const { credentials, ...rest } = m;
  return { ...rest, credentialsSet: Object.keys(credentials).sort(), updatedAt: updatedAt.toISOString() };
}
