import type { EventEnvelope, ErpDocumentRecorded, OrderCancelled, OrderPlaced, OrderRef, OrderRefunded, OrderUpdated } from '@ledgerline/contracts';
import { schemaIdent, type Tx } from '@ledgerline/messaging';
import { createLogger } from '@ledgerline/observability';
import { linesWithoutSku as linesWithoutSkuTotal } from '../metrics';
import type { StockRepository } from '../persistence/stock.repository';
import { RELEASED_STATUSES, unitsBySku } from './order-lines';

/** ERP document kinds that take the order's units out of the ERP's stock (a credit invoice does not absorb an order). */
const ABSORBING_KINDS: ReadonlySet<string> = new Set(['invoice', 'sales-order']);

/**
 * Keeps, per store and SKU, the units of the store's orders that the ERP has not absorbed yet, from the order stream
 * and the ERP document stream. Every method runs inside the InboxGuard transaction of its event and marks the store SKUs
 * whose pending units changed, so availability drops the moment an order is placed and rises when it is cancelled, in
 * the order's store and in every store sharing a warehouse with it (they sell the same units).
 */
export class OrderStockHandler {
  private readonly log = createLogger('order-stock');
  private readonly s: string;

  constructor(private readonly repo: StockRepository) {
    this.s = schemaIdent(repo.schema);
  }

  /** order.placed and order.updated: the order's lines, whole; a snapshot older than the one applied is ignored. */
  async handleOrder(event: EventEnvelope<OrderPlaced | OrderUpdated>, tx: Tx): Promise<void> {
    const order = event.payload.order;
    const ref = order.orderRef;
    const { units, linesWithoutSku } = unitsBySku(order.lines);
    const { rows } = await tx.query<{ newer: boolean }>(
      `SELECT modified_at IS NOT NULL AND modified_at >= $4::timestamptz AS newer FROM ${this.s}.order_stock
        WHERE tenant_id = $1 AND store_id = $2 AND order_id = $3 FOR UPDATE`,
      [ref.tenantId, ref.storeId, ref.orderId, order.modifiedAt],
    );
    if (rows[0]?.newer) return;
    if (linesWithoutSku > 0) {
      linesWithoutSkuTotal.inc(linesWithoutSku);
      this.log.warn(
        { tenantId: ref.tenantId, storeId: ref.storeId, orderId: ref.orderId, linesWithoutSku },
        `order ${ref.orderNumber} (id ${ref.orderId}, store "${ref.storeId}", tenant "${ref.tenantId}") has ${linesWithoutSku} line(s) without a SKU; they are ignored for stock. Give the products SKUs in WooCommerce so their stock can be kept.`,
      );
    }
    const state = RELEASED_STATUSES.has(order.status) ? 'released' : 'pending';
    await tx.query(
      `INSERT INTO ${this.s}.order_stock (tenant_id, store_id, order_id, order_number, state, modified_at, lines_without_sku)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, store_id, order_id) DO UPDATE SET order_number = excluded.order_number, state = excluded.state,
         modified_at = excluded.modified_at, lines_without_sku = excluded.lines_without_sku, updated_at = now()`,
      [ref.tenantId, ref.storeId, ref.orderId, ref.orderNumber, state, order.modifiedAt, linesWithoutSku],
    );
    // Absorbed lines belong to the ERP now; only the not-yet-absorbed units follow the store's snapshot.
    const skus = [...units.keys()];
    const { rows: removed } = await tx.query<{ sku: string }>(
      `DELETE FROM ${this.s}.order_stock_lines WHERE tenant_id = $1 AND store_id = $2 AND order_id = $3 AND absorbed_at IS NULL AND NOT (sku = ANY($4::text[])) RETURNING sku`,
      [ref.tenantId, ref.storeId, ref.orderId, skus],
    );
    await tx.query(
      `INSERT INTO ${this.s}.order_stock_lines AS ol (tenant_id, store_id, order_id, sku, quantity)
       SELECT $1, $2, $3, u.sku, u.quantity::numeric FROM unnest($4::text[], $5::text[]) AS u(sku, quantity)
       ON CONFLICT (tenant_id, store_id, order_id, sku) DO UPDATE SET quantity = excluded.quantity WHERE ol.absorbed_at IS NULL`,
      [ref.tenantId, ref.storeId, ref.orderId, skus, skus.map((sku) => units.get(sku) as string)],
    );
    await this.absorbIfRead(tx, ref);
    await this.repo.markChanged(tx, { tenantId: ref.tenantId, sharingWarehousesWith: ref.storeId, skus: [...new Set([...skus, ...removed.map((r) => r.sku)])], occurredAt: event.occurredAt });
  }

  /** order.cancelled: the order's units not yet absorbed are released. */
  async handleCancelled(event: EventEnvelope<OrderCancelled>, tx: Tx): Promise<void> {
    const ref = event.payload.orderRef;
    await tx.query(
      `INSERT INTO ${this.s}.order_stock (tenant_id, store_id, order_id, order_number, state, modified_at) VALUES ($1, $2, $3, $4, 'released', $5)
       ON CONFLICT (tenant_id, store_id, order_id) DO UPDATE SET state = 'released', updated_at = now(),
         modified_at = GREATEST(order_stock.modified_at, excluded.modified_at)`,
      [ref.tenantId, ref.storeId, ref.orderId, ref.orderNumber, event.payload.cancelledAt],
    );
    const { rows } = await tx.query<{ sku: string }>(
      `SELECT sku FROM ${this.s}.order_stock_lines WHERE tenant_id = $1 AND store_id = $2 AND order_id = $3 AND absorbed_at IS NULL`,
      [ref.tenantId, ref.storeId, ref.orderId],
    );
    await this.repo.markChanged(tx, { tenantId: ref.tenantId, sharingWarehousesWith: ref.storeId, skus: rows.map((r) => r.sku), occurredAt: event.occurredAt });
  }

  /**
   * order.refunded: units returned on refund lines are released from the order's not-yet-absorbed units, once per
   * refund id. After absorption the ERP's credit invoice and its next reading govern.
   */
  async handleRefunded(event: EventEnvelope<OrderRefunded>, tx: Tx): Promise<void> {
    const refund = event.payload;
    const ref = refund.orderRef;
    const { rowCount } = await tx.query(
      `INSERT INTO ${this.s}.order_stock_refunds (tenant_id, store_id, order_id, refund_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [ref.tenantId, ref.storeId, ref.orderId, refund.refundId],
    );
    if (rowCount === 0) return;
    const { units } = unitsBySku(refund.lines);
    const skus = [...units.keys()];
    if (skus.length === 0) return;
    const { rows } = await tx.query<{ sku: string }>(
      `UPDATE ${this.s}.order_stock_lines ol SET quantity = GREATEST(ol.quantity - u.quantity::numeric, 0)
         FROM unnest($4::text[], $5::text[]) AS u(sku, quantity)
        WHERE ol.tenant_id = $1 AND ol.store_id = $2 AND ol.order_id = $3 AND ol.sku = u.sku AND ol.absorbed_at IS NULL
        RETURNING ol.sku`,
      [ref.tenantId, ref.storeId, ref.orderId, skus, skus.map((sku) => units.get(sku) as string)],
    );
    await this.repo.markChanged(tx, { tenantId: ref.tenantId, sharingWarehousesWith: ref.storeId, skus: rows.map((r) => r.sku), occurredAt: event.occurredAt });
  }

  /**
   * erp-document.recorded: the ERP holds the order from `recordedAt` on. Its units stop being subtracted with the first
   * ERP reading of the SKU read after that time, whichever of the two events arrives first (README, "Absorption rule").
   */
  async handleDocument(event: EventEnvelope<ErpDocumentRecorded>, tx: Tx): Promise<void> {
    const doc = event.payload;
    if (!ABSORBING_KINDS.has(doc.kind)) return;
    const ref = doc.orderRef;
    await tx.query(
      `INSERT INTO ${this.s}.order_stock (tenant_id, store_id, order_id, order_number, document_recorded_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, store_id, order_id) DO UPDATE SET updated_at = now(),
         document_recorded_at = LEAST(COALESCE(order_stock.document_recorded_at, excluded.document_recorded_at), excluded.document_recorded_at)`,
      [ref.tenantId, ref.storeId, ref.orderId, ref.orderNumber, doc.recordedAt],
    );
    const absorbed = await this.absorbIfRead(tx, ref);
    await this.repo.markChanged(tx, { tenantId: ref.tenantId, sharingWarehousesWith: ref.storeId, skus: absorbed, occurredAt: event.occurredAt });
  }

  /** Absorbs the order's open lines whose SKU already has a reading newer than the order's document; gives their SKUs. */
  private async absorbIfRead(tx: Tx, ref: OrderRef): Promise<string[]> {
    // absorbed_at IS NULL is checked again by the UPDATE itself, so a line the level handler absorbs concurrently is not absorbed twice.
    const { rows } = await tx.query<{ sku: string }>(
      `WITH candidates AS (
         SELECT ol.sku, lv.read_at
           FROM ${this.s}.order_stock_lines ol
           JOIN ${this.s}.order_stock o ON o.tenant_id = ol.tenant_id AND o.store_id = ol.store_id AND o.order_id = ol.order_id
           JOIN ${this.s}.stores st ON st.tenant_id = o.tenant_id AND st.store_id = o.store_id
           CROSS JOIN LATERAL (SELECT max(l.read_at) AS read_at FROM ${this.s}.stock_levels l
                                WHERE l.tenant_id = ol.tenant_id AND l.sku = ol.sku AND l.warehouse_key = ANY(st.warehouses)) lv
          WHERE ol.tenant_id = $1 AND ol.store_id = $2 AND ol.order_id = $3 AND ol.absorbed_at IS NULL
            AND o.document_recorded_at IS NOT NULL AND lv.read_at > o.document_recorded_at)
       UPDATE ${this.s}.order_stock_lines ol SET absorbed_at = now(), absorbed_by_read_at = c.read_at
         FROM candidates c
        WHERE ol.tenant_id = $1 AND ol.store_id = $2 AND ol.order_id = $3 AND ol.sku = c.sku AND ol.absorbed_at IS NULL
        RETURNING ol.sku`,
      [ref.tenantId, ref.storeId, ref.orderId],
    );
    return rows.map((r) => r.sku);
  }
}
