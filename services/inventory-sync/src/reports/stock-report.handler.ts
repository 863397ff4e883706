import type { EventEnvelope, StoreStockApplied } from '@ledgerline/contracts';
import { schemaIdent, type Tx } from '@ledgerline/messaging';
import { createLogger } from '@ledgerline/observability';
import { driftCorrected } from '../metrics';

/** Gives the operator message for an ERP SKU that no store of the tenant has. */
export function unknownSkuMessage(tenantId: string, sku: string, stores: readonly string[]): string {
  return (
    `ERP article "${sku}" (tenant "${tenantId}") has stock in the ERP, but no store of the tenant has a product or variation with that SKU ` +
    `(asked: ${stores.map((s) => `"${s}"`).join(', ')}). Give the product that SKU in WooCommerce, or correct the article number in the ERP; ` +
    `the next reconciliation picks it up and this entry disappears.`
  );
}

/**
 * Consumes store-gateway's `store-stock.applied`: keeps each part's report (the reconciliation report is read from
 * them), learns which SKUs each store has, lists an ERP SKU that no store has once (a row with first/last seen, not one
 * per reading), and replaces the store's list of store-only SKUs after the last part of a complete request.
 */
export class StockReportHandler {
  private readonly log = createLogger('stock-report');
  private readonly s: string;

  constructor(schema: string) {
    this.s = schemaIdent(schema);
  }

  async handle(event: EventEnvelope<StoreStockApplied>, tx: Tx): Promise<void> {
    const r = event.payload;
    const { rowCount } = await tx.query(
      `INSERT INTO ${this.s}.stock_reports (request_id, part, parts, tenant_id, store_id, written, unchanged_count, unknown_skus, failed, store_only_skus, applied_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (request_id, part) DO NOTHING`,
      [r.requestId, r.part, r.parts, r.tenantId, r.storeId, JSON.stringify(r.written), r.unchangedCount, JSON.stringify(r.unknownSkus), JSON.stringify(r.failed), JSON.stringify(r.storeOnlySkus), r.appliedAt],
    );
    if (rowCount === 0) return;
    const { rows: request } = await tx.query<{ reason: string }>(`SELECT reason FROM ${this.s}.stock_requests WHERE request_id = $1`, [r.requestId]);
    const reason = request[0]?.reason;

    const written = r.written.map((w) => w.sku);
    if (written.length > 0) {
      await tx.query(`UPDATE ${this.s}.store_stock SET store_has = true WHERE tenant_id = $1 AND store_id = $2 AND sku = ANY($3::text[])`, [r.tenantId, r.storeId, written]);
      const { rows: resolved } = await tx.query<{ sku: string }>(`DELETE FROM ${this.s}.unknown_erp_skus WHERE tenant_id = $1 AND sku = ANY($2::text[]) RETURNING sku`, [r.tenantId, written]);
      for (const { sku } of resolved) this.log.info({ tenantId: r.tenantId, sku, storeId: r.storeId }, `ERP SKU "${sku}" is now known to store "${r.storeId}"`);
    }
    // A failed write leaves the store showing something else: forget what was requested so the next change is sent.
    const failed = r.failed.map((f) => f.sku);
    if (failed.length > 0) {
      await tx.query(`UPDATE ${this.s}.store_stock SET requested_quantity = NULL WHERE tenant_id = $1 AND store_id = $2 AND sku = ANY($3::text[])`, [r.tenantId, r.storeId, failed]);
    }
    if (r.unknownSkus.length > 0) await this.recordUnknown(tx, r.tenantId, r.storeId, r.unknownSkus);
    if (r.part === r.parts && reason !== undefined && reason !== 'change') await this.replaceStoreOnly(tx, r);
    if (reason === 'reconciliation' && r.written.length > 0) driftCorrected.inc(r.written.length);
  }

  private async recordUnknown(tx: Tx, tenantId: string, storeId: string, skus: string[]): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.store_stock AS ss (tenant_id, store_id, sku, store_has) SELECT $1, $2, u.sku, false FROM unnest($3::text[]) AS u(sku)
       ON CONFLICT (tenant_id, store_id, sku) DO UPDATE SET store_has = false`,
      [tenantId, storeId, skus],
    );
    // Reports of two stores are consumed concurrently (keyed by store); serialising this check per tenant makes the
    // second one see the first one's committed answer, so a SKU unknown to both is listed by whichever comes last.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ledgerline.inventory-sync.unknown-skus:${this.s}:${tenantId}`]);
    // Unknown to every store of the tenant that holds this SKU's stock; a store that never reported on it (null) keeps it off the list.
    const { rows } = await tx.query<{ sku: string; stores: string[] }>(
      `SELECT ss.sku, array_agg(ss.store_id ORDER BY ss.store_id) AS stores
         FROM ${this.s}.store_stock ss JOIN ${this.s}.stores st ON st.tenant_id = ss.tenant_id AND st.store_id = ss.store_id
        WHERE ss.tenant_id = $1 AND ss.sku = ANY($2::text[])
        GROUP BY ss.sku HAVING bool_and(ss.store_has IS NOT DISTINCT FROM false)`,
      [tenantId, skus],
    );
    for (const row of rows) {
      const message = unknownSkuMessage(tenantId, row.sku, row.stores);
      const { rows: upserted } = await tx.query<{ inserted: boolean }>(
        `INSERT INTO ${this.s}.unknown_erp_skus (tenant_id, sku, stores, operator_message) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, sku) DO UPDATE SET stores = excluded.stores, operator_message = excluded.operator_message, last_seen_at = now()
         RETURNING (xmax = 0) AS inserted`,
        [tenantId, row.sku, row.stores, message],
      );
      if (upserted[0]?.inserted) this.log.warn({ tenantId, sku: row.sku, code: 'INVENTORY_ERP_SKU_UNKNOWN' }, message);
    }
  }

  private async replaceStoreOnly(tx: Tx, r: StoreStockApplied): Promise<void> {
    await tx.query(`DELETE FROM ${this.s}.store_only_skus WHERE tenant_id = $1 AND store_id = $2 AND NOT (sku = ANY($3::text[]))`, [r.tenantId, r.storeId, r.storeOnlySkus]);
    await tx.query(
      `INSERT INTO ${this.s}.store_only_skus (tenant_id, store_id, sku, request_id) SELECT $1, $2, u.sku, $3 FROM unnest($4::text[]) AS u(sku)
       ON CONFLICT (tenant_id, store_id, sku) DO UPDATE SET last_seen_at = now(), request_id = excluded.request_id`,
      [r.tenantId, r.storeId, r.requestId, r.storeOnlySkus],
    );
  }
}
