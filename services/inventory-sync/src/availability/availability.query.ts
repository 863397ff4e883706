import type { Pool } from 'pg';
import { schemaIdent } from '@ledgerline/messaging';
import { Decimal } from '@ledgerline/money';
import { flowKey, INVENTORY_FLOW_OFF, type StoreFlows } from '../control/store-flows';
import { computeAvailability, type AvailabilityBreakdown, type WarehouseLevel } from './availability';

/** One store's view of one SKU: what it is computed from, what it comes to, and what was last requested. */
export interface StoreSkuAvailability extends AvailabilityBreakdown {
  storeId: string;
  warehouses: Array<string | null>;
  levels: WarehouseLevel[];
  /** Not-yet-absorbed orders of this store and of every store sharing a warehouse with it (`storeId` says whose). */
  pendingOrders: Array<{ storeId: string; orderId: string; orderNumber: string | null; quantity: string; documentRecordedAt: string | null }>;
  /** What the store was last asked to show (null: never), and whether a change is waiting for the next flush. */
  lastRequested: { quantity: string; at: string; requestId: string } | null;
  changePending: boolean;
  /** False when the store reported it has no product with this SKU. */
  storeHasSku: boolean | null;
  /** Whether the store is sent stock: `off` while its inventory flow is switched off in the control plane. */
  inventoryFlow: 'on' | 'off';
  /** Why nothing is sent to the store (`inventory flow off in the control plane`), or null. */
  notSent: typeof INVENTORY_FLOW_OFF | null;
}

/** Gives, for every store of the tenant, how one SKU's available quantity is computed (for "why does store X show 3?"). */
export async function availabilityOf(pool: Pool, schema: string, tenantId: string, sku: string, flows: StoreFlows): Promise<StoreSkuAvailability[]> {
  const s = schemaIdent(schema);
  const { rows: stores } = await pool.query<{ store_id: string; warehouses: string[]; buffer: string }>(
    `SELECT st.store_id, st.warehouses, COALESCE(b.safety_buffer, st.safety_buffer)::text AS buffer
       FROM ${s}.stores st LEFT JOIN ${s}.sku_buffers b ON b.tenant_id = st.tenant_id AND b.store_id = st.store_id AND b.sku = $2
      WHERE st.tenant_id = $1 ORDER BY st.store_id`,
    [tenantId, sku],
  );
  const { rows: levels } = await pool.query<{ warehouse_key: string; quantity: string; reserved: string | null; read_at: Date }>(
    `SELECT warehouse_key, quantity::text, reserved::text, read_at FROM ${s}.stock_levels WHERE tenant_id = $1 AND sku = $2 ORDER BY warehouse_key`,
    [tenantId, sku],
  );
  const { rows: pending } = await pool.query<{ store_id: string; order_id: string; order_number: string | null; quantity: string; document_recorded_at: Date | null }>(
    `SELECT ol.store_id, ol.order_id, o.order_number, ol.quantity::text, o.document_recorded_at
       FROM ${s}.order_stock_lines ol JOIN ${s}.order_stock o ON o.tenant_id = ol.tenant_id AND o.store_id = ol.store_id AND o.order_id = ol.order_id
      WHERE ol.tenant_id = $1 AND ol.sku = $2 AND ol.absorbed_at IS NULL AND o.state = 'pending' AND ol.quantity > 0 ORDER BY ol.store_id, ol.order_id`,
    [tenantId, sku],
  );
  const { rows: requested } = await pool.query<{ store_id: string; requested_quantity: string | null; requested_at: Date | null; request_id: string | null; dirty: boolean; store_has: boolean | null }>(
    `SELECT store_id, requested_quantity::text, requested_at, request_id, dirty, store_has FROM ${s}.store_stock WHERE tenant_id = $1 AND sku = $2`,
    [tenantId, sku],
  );
  const off = await flows.offStores(pool, [tenantId]);
  const warehousesOf = new Map(stores.map((st) => [st.store_id, st.warehouses]));
  return stores.map((store) => {
    const mine = levels
      .filter((l) => store.warehouses.includes(l.warehouse_key))
      .map((l): WarehouseLevel => ({ warehouseCode: l.warehouse_key === '' ? null : l.warehouse_key, quantity: l.quantity, reserved: l.reserved, readAt: l.read_at.toISOString() }));
    // An order takes units from the warehouses its store sells from, so it counts wherever one of them is sold.
    const orders = pending.filter((p) => p.store_id === store.store_id || (warehousesOf.get(p.store_id) ?? []).some((w) => store.warehouses.includes(w)));
    const req = requested.find((r) => r.store_id === store.store_id);
    const breakdown = computeAvailability({ levels: mine, safetyBuffer: store.buffer, pending: Decimal.sum(orders.map((o) => o.quantity)).toString() });
    return {
      storeId: store.store_id,
      warehouses: store.warehouses.map((w) => (w === '' ? null : w)),
      levels: mine,
      pendingOrders: orders.map((o) => ({ storeId: o.store_id, orderId: o.order_id, orderNumber: o.order_number, quantity: o.quantity, documentRecordedAt: o.document_recorded_at?.toISOString() ?? null })),
      ...breakdown,
      lastRequested: req?.requested_quantity != null && req.requested_at && req.request_id ? { quantity: req.requested_quantity, at: req.requested_at.toISOString(), requestId: req.request_id } : null,
      changePending: req?.dirty ?? false,
      storeHasSku: req?.store_has ?? null,
      inventoryFlow: off.has(flowKey(tenantId, store.store_id)) ? 'off' : 'on',
      notSent: off.has(flowKey(tenantId, store.store_id)) ? INVENTORY_FLOW_OFF : null,
    };
  });
}
