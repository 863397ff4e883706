import type { Tx } from '@ledgerline/messaging';
import { schemaIdent } from '@ledgerline/messaging';

/** A store SKU whose available quantity is to be computed. */
export interface StoreSku {
  tenantId: string;
  storeId: string;
  sku: string;
}

/** The figures a store SKU's available quantity is computed from, read in one statement. */
export interface StoreSkuInputs extends StoreSku {
  /** How many ERP readings exist for the SKU in the store's warehouses (0: the ERP has told us nothing). */
  levels: number;
  erpFree: string;
  safetyBuffer: string;
  pending: string;
  /** What was last requested for this store SKU; null when nothing was. */
  requestedQuantity: string | null;
  /** False when the store reported it has no product with this SKU. */
  storeHas: boolean | null;
}

/** The key every flush, full sync and reconciliation holds, so requests for one store are computed and ordered one at a time. */
export const flushLockKey = (schema: string): string => `ledgerline.inventory-sync.flush:${schema}`;

/** SQL over the tables that hold ERP levels, store settings, pending order units and what each store was asked to show. */
export class StockRepository {
  private readonly s: string;

  constructor(readonly schema: string) {
    this.s = schemaIdent(schema);
  }

  /**
   * Marks the SKUs of one store, of every store of the tenant that shares a warehouse with `sharingWarehousesWith`
   * (that store included; an order there takes stock they all sell), or of every store that sells from `warehouseKey`,
   * as changed so the flush loop recomputes them. The first unflushed change keeps its time (the max-delay clock), the
   * last one restarts the quiet window. Must be called inside the caller's transaction.
   */
  async markChanged(tx: Tx, args: { tenantId: string; skus: string[]; storeId?: string; sharingWarehousesWith?: string; warehouseKey?: string; occurredAt: string }): Promise<number> {
    if (args.skus.length === 0) return 0;
    const storeFilter =
      args.storeId !== undefined
        ? 'AND st.store_id = $4'
        : args.sharingWarehousesWith !== undefined
          ? `AND (st.store_id = $4 OR st.warehouses && (SELECT o.warehouses FROM ${this.s}.stores o WHERE o.tenant_id = $1 AND o.store_id = $4))`
          : 'AND $4::text = ANY(st.warehouses)';
    const { rowCount } = await tx.query(
      `INSERT INTO ${this.s}.store_stock AS ss (tenant_id, store_id, sku, dirty, dirty_since, last_changed_at, change_occurred_at, changes)
       SELECT st.tenant_id, st.store_id, u.sku, true, now(), now(), $3::timestamptz, 1
         FROM ${this.s}.stores st CROSS JOIN unnest($2::text[]) AS u(sku)
        WHERE st.tenant_id = $1 ${storeFilter}
        ORDER BY st.store_id, u.sku
       ON CONFLICT (tenant_id, store_id, sku) DO UPDATE SET
         dirty = true,
         dirty_since = CASE WHEN ss.dirty THEN ss.dirty_since ELSE now() END,
         last_changed_at = now(),
         change_occurred_at = CASE WHEN ss.dirty THEN LEAST(ss.change_occurred_at, excluded.change_occurred_at) ELSE excluded.change_occurred_at END,
         changes = CASE WHEN ss.dirty THEN ss.changes + 1 ELSE 1 END`,
      [args.tenantId, args.skus, args.occurredAt, args.storeId ?? args.sharingWarehousesWith ?? args.warehouseKey ?? ''],
    );
    return rowCount ?? 0;
  }

  /** Gives the inputs of each store SKU in `targets` (store SKUs of unknown stores are left out). */
  async inputs(tx: Tx, targets: readonly StoreSku[]): Promise<StoreSkuInputs[]> {
    if (targets.length === 0) return [];
    const { rows } = await tx.query<{
      tenant_id: string;
      store_id: string;
      sku: string;
      levels: number;
      erp_free: string;
      safety_buffer: string;
      pending: string;
      requested_quantity: string | null;
      store_has: boolean | null;
    }>(
      `SELECT t.tenant_id, t.store_id, t.sku, lv.levels, lv.erp_free::text AS erp_free,
              COALESCE(b.safety_buffer, st.safety_buffer)::text AS safety_buffer,
              COALESCE(p.pending, 0)::text AS pending,
              ss.requested_quantity::text AS requested_quantity, ss.store_has
         FROM unnest($1::text[], $2::text[], $3::text[]) AS t(tenant_id, store_id, sku)
         JOIN ${this.s}.stores st ON st.tenant_id = t.tenant_id AND st.store_id = t.store_id
         LEFT JOIN ${this.s}.sku_buffers b ON b.tenant_id = t.tenant_id AND b.store_id = t.store_id AND b.sku = t.sku
         LEFT JOIN ${this.s}.store_stock ss ON ss.tenant_id = t.tenant_id AND ss.store_id = t.store_id AND ss.sku = t.sku
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS levels, COALESCE(sum(GREATEST(l.quantity - COALESCE(l.reserved, 0), 0)), 0) AS erp_free
             FROM ${this.s}.stock_levels l
            WHERE l.tenant_id = t.tenant_id AND l.sku = t.sku AND l.warehouse_key = ANY(st.warehouses)) lv
         LEFT JOIN LATERAL (
           SELECT sum(ol.quantity) AS pending
             FROM ${this.s}.order_stock_lines ol
             JOIN ${this.s}.order_stock o ON o.tenant_id = ol.tenant_id AND o.store_id = ol.store_id AND o.order_id = ol.order_id
             JOIN ${this.s}.stores os ON os.tenant_id = ol.tenant_id AND os.store_id = ol.store_id
            WHERE ol.tenant_id = t.tenant_id AND ol.sku = t.sku AND ol.absorbed_at IS NULL AND o.state = 'pending'
              AND (os.store_id = st.store_id OR os.warehouses && st.warehouses)) p ON true`,
      [targets.map((t) => t.tenantId), targets.map((t) => t.storeId), targets.map((t) => t.sku)],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      storeId: r.store_id,
      sku: r.sku,
      levels: r.levels,
      erpFree: r.erp_free,
      safetyBuffer: r.safety_buffer,
      pending: r.pending,
      requestedQuantity: r.requested_quantity,
      storeHas: r.store_has,
    }));
  }

  /**
   * Gives the inputs of every SKU the ERP has a reading for in the warehouses `storeId` sells from, in one set-based
   * statement (a complete request of 100,000 SKUs must not run 100,000 lookups).
   */
  async inputsOfStore(tx: Tx, tenantId: string, storeId: string): Promise<Array<Pick<StoreSkuInputs, 'sku' | 'erpFree' | 'safetyBuffer' | 'pending'>>> {
    const { rows } = await tx.query<{ sku: string; erp_free: string; safety_buffer: string; pending: string }>(
      `WITH st AS (SELECT warehouses, safety_buffer FROM ${this.s}.stores WHERE tenant_id = $1 AND store_id = $2),
       free AS (
         SELECT l.sku, sum(GREATEST(l.quantity - COALESCE(l.reserved, 0), 0)) AS erp_free
           FROM ${this.s}.stock_levels l, st WHERE l.tenant_id = $1 AND l.warehouse_key = ANY(st.warehouses) GROUP BY l.sku),
       pending AS (
         SELECT ol.sku, sum(ol.quantity) AS pending
           FROM ${this.s}.order_stock_lines ol
           JOIN ${this.s}.order_stock o ON o.tenant_id = ol.tenant_id AND o.store_id = ol.store_id AND o.order_id = ol.order_id
           JOIN ${this.s}.stores os ON os.tenant_id = ol.tenant_id AND os.store_id = ol.store_id
          CROSS JOIN st
          WHERE ol.tenant_id = $1 AND ol.absorbed_at IS NULL AND o.state = 'pending' AND (os.store_id = $2 OR os.warehouses && st.warehouses)
          GROUP BY ol.sku)
       SELECT f.sku, f.erp_free::text AS erp_free, COALESCE(b.safety_buffer, st.safety_buffer)::text AS safety_buffer, COALESCE(p.pending, 0)::text AS pending
         FROM free f CROSS JOIN st
         LEFT JOIN ${this.s}.sku_buffers b ON b.tenant_id = $1 AND b.store_id = $2 AND b.sku = f.sku
         LEFT JOIN pending p ON p.sku = f.sku`,
      [tenantId, storeId],
    );
    return rows.map((r) => ({ sku: r.sku, erpFree: r.erp_free, safetyBuffer: r.safety_buffer, pending: r.pending }));
  }

  /** Records what a store was asked to show, per SKU. Must be called inside the transaction that appends the request. */
  async recordRequested(tx: Tx, tenantId: string, storeId: string, requestId: string, items: ReadonlyArray<{ sku: string; quantity: string }>): Promise<void> {
    if (items.length === 0) return;
    await tx.query(
      `INSERT INTO ${this.s}.store_stock AS ss (tenant_id, store_id, sku, requested_quantity, requested_at, request_id)
       SELECT $1, $2, u.sku, u.quantity::numeric, now(), $3 FROM unnest($4::text[], $5::text[]) AS u(sku, quantity)
       ON CONFLICT (tenant_id, store_id, sku) DO UPDATE SET requested_quantity = excluded.requested_quantity, requested_at = excluded.requested_at, request_id = excluded.request_id`,
      [tenantId, storeId, requestId, items.map((i) => i.sku), items.map((i) => i.quantity)],
    );
  }

  /** Gives the stores of a tenant, in id order. */
  async storesOf(tx: Tx, tenantId: string): Promise<string[]> {
    const { rows } = await tx.query<{ store_id: string }>(`SELECT store_id FROM ${this.s}.stores WHERE tenant_id = $1 ORDER BY store_id`, [tenantId]);
    return rows.map((r) => r.store_id);
  }

  /** Gives every tenant that has at least one store configured. */
  async tenants(tx: Tx): Promise<string[]> {
    const { rows } = await tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${this.s}.stores ORDER BY tenant_id`);
    return rows.map((r) => r.tenant_id);
  }
}
