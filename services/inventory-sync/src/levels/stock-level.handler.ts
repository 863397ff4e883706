import { isDecimalString, type EventEnvelope, type StockLevelChanged } from '@ledgerline/contracts';
import { PermanentError, schemaIdent, type Tx } from '@ledgerline/messaging';
import { levelsReceived } from '../metrics';

/** Error code of a stock level this service refuses (a negative or non-numeric quantity). */
export const LEVEL_INVALID = 'INVENTORY_LEVEL_INVALID';

/** Gives the problem with a level's quantities, naming the SKU and the value, or null when they are usable. */
export function levelProblem(level: Pick<StockLevelChanged, 'tenantId' | 'sku' | 'warehouseCode' | 'quantity' | 'reserved' | 'erp'>): string | null {
  const where = `SKU "${level.sku}"${level.warehouseCode === null ? '' : ` in warehouse "${level.warehouseCode}"`} (tenant "${level.tenantId}", ERP ${level.erp})`;
  for (const [field, value] of [
    ['quantity', level.quantity],
    ['reserved', level.reserved],
  ] as const) {
    if (field === 'reserved' && value === undefined) continue;
    if (!isDecimalString(value, { nonNegative: true })) {
      return `The ERP stock level for ${where} was refused: ${field} ${JSON.stringify(value)} is not a number of zero or more. Correct the article's stock in the ERP (or the connector's mapping of it) so it reads as a plain non-negative number, then replay this event under Parked events.`;
    }
  }
  return null;
}

/**
 * Consumes `stock-level.changed`: keeps the newest reading per tenant, SKU and warehouse (an older reading that arrives
 * late changes nothing), absorbs the pending units of orders the ERP has booked before this reading (see README,
 * "Absorption rule"), and marks the SKU changed for every store selling from that warehouse. Runs inside the InboxGuard
 * transaction, so the level, the absorption and the change mark commit together.
 */
export class StockLevelHandler {
  private readonly s: string;

  constructor(schema: string) {
    this.s = schemaIdent(schema);
  }

  async handle(event: EventEnvelope<StockLevelChanged>, tx: Tx): Promise<void> {
    const level = event.payload;
    const problem = levelProblem(level);
    if (problem) throw new PermanentError(LEVEL_INVALID, problem);
    const warehouseKey = level.warehouseCode ?? '';
    // One statement (one round trip) per reading: this handler runs once per ERP reading and bounds the ingest rate.
    // Data-modifying CTEs share one snapshot: `prev` is the stored reading before this one, `up` is empty when this
    // reading is older than the stored one (stale), and nothing else happens then.
    const { rows } = await tx.query<{ stored: number; absorbed: number }>(
      `WITH prev AS (
         SELECT quantity = $4::numeric AND reserved IS NOT DISTINCT FROM $5::numeric AS same
           FROM ${this.s}.stock_levels WHERE tenant_id = $1 AND sku = $2 AND warehouse_key = $3 FOR UPDATE),
       up AS (
         INSERT INTO ${this.s}.stock_levels AS l (tenant_id, sku, warehouse_key, quantity, reserved, erp, erp_connection_id, read_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id, sku, warehouse_key) DO UPDATE SET quantity = excluded.quantity, reserved = excluded.reserved, erp = excluded.erp,
           erp_connection_id = excluded.erp_connection_id, read_at = excluded.read_at, received_at = now()
         WHERE l.read_at <= excluded.read_at
         RETURNING 1),
       absorbed AS (
         -- A reading taken after the order's ERP document was recorded already contains the order: stop subtracting it.
         UPDATE ${this.s}.order_stock_lines ol SET absorbed_at = now(), absorbed_by_read_at = $8
           FROM ${this.s}.order_stock o, ${this.s}.stores st
          WHERE EXISTS (SELECT 1 FROM up) AND ol.tenant_id = $1 AND ol.sku = $2 AND ol.absorbed_at IS NULL
            AND o.tenant_id = ol.tenant_id AND o.store_id = ol.store_id AND o.order_id = ol.order_id
            AND o.document_recorded_at < $8::timestamptz
            AND st.tenant_id = ol.tenant_id AND st.store_id = ol.store_id AND $3::text = ANY(st.warehouses)
          RETURNING ol.store_id),
       marked AS (
         INSERT INTO ${this.s}.store_stock AS ss (tenant_id, store_id, sku, dirty, dirty_since, last_changed_at, change_occurred_at, changes)
         SELECT st.tenant_id, st.store_id, $2, true, now(), now(), $9::timestamptz, 1 FROM ${this.s}.stores st
          WHERE st.tenant_id = $1 AND EXISTS (SELECT 1 FROM up)
            AND (($3::text = ANY(st.warehouses) AND (NOT coalesce((SELECT same FROM prev), false) OR EXISTS (SELECT 1 FROM absorbed)))
              -- an absorbed order also counted in stores that share another warehouse with its store
              OR EXISTS (SELECT 1 FROM absorbed a JOIN ${this.s}.stores os ON os.tenant_id = $1 AND os.store_id = a.store_id WHERE os.warehouses && st.warehouses))
          ORDER BY st.store_id
         ON CONFLICT (tenant_id, store_id, sku) DO UPDATE SET
           dirty = true,
           dirty_since = CASE WHEN ss.dirty THEN ss.dirty_since ELSE now() END,
           last_changed_at = now(),
           change_occurred_at = CASE WHEN ss.dirty THEN LEAST(ss.change_occurred_at, excluded.change_occurred_at) ELSE excluded.change_occurred_at END,
           changes = CASE WHEN ss.dirty THEN ss.changes + 1 ELSE 1 END
         RETURNING 1),
       seen AS (
         UPDATE ${this.s}.unknown_erp_skus SET last_seen_at = now(), readings = readings + 1 WHERE tenant_id = $1 AND sku = $2 AND EXISTS (SELECT 1 FROM up) RETURNING 1)
       SELECT (SELECT count(*) FROM up)::int AS stored, (SELECT count(*) FROM absorbed)::int AS absorbed,
              (SELECT count(*) FROM marked)::int AS marked, (SELECT count(*) FROM seen)::int AS seen`,
      [level.tenantId, level.sku, warehouseKey, level.quantity, level.reserved ?? null, level.erp, level.erpConnectionId, level.readAt, event.occurredAt],
    );
    levelsReceived.inc({ outcome: rows[0]?.stored ? 'stored' : 'stale' });
  }
}
