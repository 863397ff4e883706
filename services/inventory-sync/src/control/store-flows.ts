import type { Pool } from 'pg';
import { PermanentError, schemaIdent, type ConfigKindHandler, type MaterialisedConfig, type Tx } from '@ledgerline/messaging';
import type { ControlConfigPublished } from '@ledgerline/contracts';
import { createLogger } from '@ledgerline/observability';
import { flushLockKey, type StockRepository } from '../persistence/stock.repository';

/** What inventory-sync says of a store whose inventory flow the control plane switched off. */
export const INVENTORY_FLOW_OFF = 'inventory flow off in the control plane';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a held `store` record leaves the inventory flow on. No record (the control plane never published the store)
 * and a deleted one count as on: inventory-sync then behaves as it did before it read the control plane.
 */
export function inventoryFlowOn(held: Pick<MaterialisedConfig, 'deleted' | 'data'> | null): boolean {
  if (!held || held.deleted) return true;
  const flows = held.data['flows'];
  return !(isObject(flows) && flows['inventory'] === false);
}

/**
 * Reads which stores have their inventory flow switched off, from the `store` records the config materialiser holds
 * in this service's `control_config` table. With the control-config consumer off (INVENTORY_SYNC_CONTROL_CONFIG=off)
 * every store is on, whatever the table still holds.
 */
export class StoreFlows {
  private readonly s: string;

  constructor(
    schema: string,
    readonly enabled: boolean,
  ) {
    this.s = schemaIdent(schema);
  }

  /** The stores of `tenantIds` whose inventory flow is off, as `tenant\u0000store` keys (see {@link flowKey}). */
  async offStores(tx: Tx | Pool, tenantIds: readonly string[]): Promise<Set<string>> {
    if (!this.enabled || tenantIds.length === 0) return new Set();
    const { rows } = await (tx as Tx).query<{ tenant_id: string; subject_id: string }>(
      `SELECT tenant_id, subject_id FROM ${this.s}.control_config
        WHERE kind = 'store' AND NOT deleted AND tenant_id = ANY($1::text[]) AND data->'flows'->'inventory' = 'false'::jsonb`,
      [[...new Set(tenantIds)]],
    );
    return new Set(rows.map((r) => flowKey(r.tenant_id, r.subject_id)));
  }
}

/** The key of one store in {@link StoreFlows.offStores}. */
export const flowKey = (tenantId: string, storeId: string): string => `${tenantId}\u0000${storeId}`;

/**
 * The config materialiser's handler of `store` records (subject = store id, data `{name, siteUrl, currency,
 * erpConnectionId, flows}`, services/control-plane/README.md). inventory-sync uses `flows.inventory` only; the record
 * itself is kept in `control_config`, which the flush loop, reconciliations and the availability query read.
 *
 * When the flow changes it takes the flush lock (so no flush computed under the old state commits after this record),
 * logs it once, and when the flow comes back on marks every SKU of the store, as a settings change does, so the flush
 * loop sends the store what changed while it was off. A record whose `flows.inventory` is not a boolean is parked
 * (`CONTROL_CONFIG_STORE_INVALID`); the state held before stays.
 */
export function storeFlowsHandler(repo: StockRepository): ConfigKindHandler {
  const log = createLogger('inventory-sync.store-flows');
  const s = schemaIdent(repo.schema);
  return {
    apply: async ({ record, previous }, tx) => {
      if (!record.deleted) checkStoreRecord(record);
      const before = inventoryFlowOn(previous);
      const after = inventoryFlowOn({ deleted: record.deleted, data: record.data });
      if (before === after) return;
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [flushLockKey(repo.schema)]);
      const where = { tenantId: record.tenantId, storeId: record.subjectId, version: record.version, changedBy: record.changedBy, deleted: record.deleted };
      if (!after) {
        log.warn(where, `inventory flow of store "${record.subjectId}" (tenant "${record.tenantId}") switched off in the control plane; no stock is sent to it until it is switched on`);
        return;
      }
      const { rows } = await tx.query<{ sku: string }>(
        `SELECT l.sku FROM ${s}.stock_levels l JOIN ${s}.stores st ON st.tenant_id = l.tenant_id AND l.warehouse_key = ANY(st.warehouses)
          WHERE st.tenant_id = $1 AND st.store_id = $2
         UNION SELECT sku FROM ${s}.store_stock WHERE tenant_id = $1 AND store_id = $2 AND requested_quantity IS NOT NULL`,
        [record.tenantId, record.subjectId],
      );
      const marked = await repo.markChanged(tx, { tenantId: record.tenantId, storeId: record.subjectId, skus: rows.map((r) => r.sku), occurredAt: record.publishedAt });
      log.warn(
        { ...where, skusMarked: marked },
        `inventory flow of store "${record.subjectId}" (tenant "${record.tenantId}") switched ${record.deleted ? 'back to its default (on): the store was deleted in the control plane' : 'on in the control plane'}; ${marked} SKUs marked for recompute`,
      );
    },
  };
}

function checkStoreRecord(record: ControlConfigPublished): void {
  const flows = record.data['flows'];
  if (isObject(flows) && typeof flows['inventory'] === 'boolean') return;
  throw new PermanentError(
    'CONTROL_CONFIG_STORE_INVALID',
    `The control plane's record of store "${record.subjectId}" (tenant "${record.tenantId}", version ${record.version}, changed by ${record.changedBy}) has no boolean flows.inventory (got ${JSON.stringify(isObject(flows) ? flows['inventory'] : flows) ?? 'nothing'}); inventory-sync keeps the inventory flow it held before. Save the store's flows in the control plane, then replay this record: the corrected one, held behind it, is applied instead.`,
  );
}
