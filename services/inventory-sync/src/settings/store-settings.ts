import { isDecimalString } from '@ledgerline/contracts';
import { schemaIdent, type Tx } from '@ledgerline/messaging';
import type { StockRepository } from '../persistence/stock.repository';

/** How one store of a tenant takes its stock: from which ERP warehouses, less which safety buffers. */
export interface StoreSettings {
  tenantId: string;
  storeId: string;
  /** ERP warehouse codes the store sells from; `null` stands for an ERP's single stock figure. */
  warehouses: Array<string | null>;
  /** Units held back from every SKU, a decimal of zero or more. */
  safetyBuffer: string;
  /** Per-SKU buffers that replace the store's default for those SKUs. */
  skuBuffers: Record<string, string>;
}

/** Gives the settings read from an admin request body, or the list of problems, each naming the field and what to send. */
export function parseStoreSettings(tenantId: string, storeId: string, body: unknown): { settings: StoreSettings } | { problems: string[] } {
  const problems: string[] = [];
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  if (!body || typeof body !== 'object' || Array.isArray(body)) problems.push('body: must be a JSON object like {"warehouses": ["MAIN"], "safetyBuffer": "2", "skuBuffers": {"TS-1": "5"}}');
  for (const key of Object.keys(b)) if (!['warehouses', 'safetyBuffer', 'skuBuffers'].includes(key)) problems.push(`${key}: is not a store setting; send warehouses, safetyBuffer and skuBuffers`);
  const warehouses = b['warehouses'];
  if (!Array.isArray(warehouses) || warehouses.length === 0) {
    problems.push('warehouses: must be a non-empty list of ERP warehouse codes, with null for an ERP that keeps one stock figure, like ["MAIN", "B2"] or [null]');
  } else {
    warehouses.forEach((w, i) => {
      if (w !== null && (typeof w !== 'string' || w.trim() === '')) problems.push(`warehouses[${i}]: must be a warehouse code or null (got ${JSON.stringify(w)})`);
    });
    if (new Set(warehouses).size !== warehouses.length) problems.push('warehouses: lists a warehouse twice');
  }
  const buffer = b['safetyBuffer'] ?? '0';
  if (!isDecimalString(buffer, { nonNegative: true })) problems.push(`safetyBuffer: must be a decimal string of zero or more, like "2" (got ${JSON.stringify(buffer)})`);
  const skuBuffers = b['skuBuffers'] ?? {};
  if (!skuBuffers || typeof skuBuffers !== 'object' || Array.isArray(skuBuffers)) {
    problems.push('skuBuffers: must be an object of SKU to buffer, like {"TS-1": "5"}');
  } else {
    for (const [sku, value] of Object.entries(skuBuffers)) {
      if (sku.trim() === '') problems.push('skuBuffers: has an empty SKU');
      if (!isDecimalString(value, { nonNegative: true })) problems.push(`skuBuffers["${sku}"]: must be a decimal string of zero or more, like "5" (got ${JSON.stringify(value)})`);
    }
  }
  if (problems.length > 0) return { problems };
  return {
    settings: { tenantId, storeId, warehouses: warehouses as Array<string | null>, safetyBuffer: buffer as string, skuBuffers: { ...(skuBuffers as Record<string, string>) } },
  };
}

/**
 * Stores a store's settings and marks every SKU whose quantity they may change, so the flush loop sends the new
 * quantities. The one write path for settings: the admin API calls it today, the control plane's feed will call it
 * tomorrow. Must be called inside the caller's transaction.
 */
export async function applyStoreSettings(tx: Tx, repo: StockRepository, settings: StoreSettings, occurredAt = new Date().toISOString()): Promise<void> {
  const s = schemaIdent(repo.schema);
  const warehouseKeys = settings.warehouses.map((w) => w ?? '');
  await tx.query(
    `INSERT INTO ${s}.stores (tenant_id, store_id, warehouses, safety_buffer) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, store_id) DO UPDATE SET warehouses = excluded.warehouses, safety_buffer = excluded.safety_buffer, updated_at = now()`,
    [settings.tenantId, settings.storeId, warehouseKeys, settings.safetyBuffer],
  );
  const skus = Object.keys(settings.skuBuffers);
  await tx.query(`DELETE FROM ${s}.sku_buffers WHERE tenant_id = $1 AND store_id = $2 AND NOT (sku = ANY($3::text[]))`, [settings.tenantId, settings.storeId, skus]);
  await tx.query(
    `INSERT INTO ${s}.sku_buffers (tenant_id, store_id, sku, safety_buffer) SELECT $1, $2, u.sku, u.buffer::numeric FROM unnest($3::text[], $4::text[]) AS u(sku, buffer)
     ON CONFLICT (tenant_id, store_id, sku) DO UPDATE SET safety_buffer = excluded.safety_buffer`,
    [settings.tenantId, settings.storeId, skus, skus.map((sku) => settings.skuBuffers[sku])],
  );
  const { rows } = await tx.query<{ sku: string }>(
    `SELECT sku FROM ${s}.stock_levels WHERE tenant_id = $1 AND warehouse_key = ANY($2::text[])
     UNION SELECT sku FROM ${s}.store_stock WHERE tenant_id = $1 AND store_id = $3 AND requested_quantity IS NOT NULL`,
    [settings.tenantId, warehouseKeys, settings.storeId],
  );
  await repo.markChanged(tx, { tenantId: settings.tenantId, storeId: settings.storeId, skus: rows.map((r) => r.sku), occurredAt });
}

/** Gives a store's settings, or null when it has none. */
export async function readStoreSettings(tx: Tx, schema: string, tenantId: string, storeId: string): Promise<StoreSettings | null> {
  const s = schemaIdent(schema);
  const { rows } = await tx.query<{ warehouses: string[]; safety_buffer: string }>(
    `SELECT warehouses, safety_buffer::text FROM ${s}.stores WHERE tenant_id = $1 AND store_id = $2`,
    [tenantId, storeId],
  );
  const row = rows[0];
  if (!row) return null;
  const { rows: buffers } = await tx.query<{ sku: string; safety_buffer: string }>(
    `SELECT sku, safety_buffer::text FROM ${s}.sku_buffers WHERE tenant_id = $1 AND store_id = $2 ORDER BY sku`,
    [tenantId, storeId],
  );
  return {
    tenantId,
    storeId,
    warehouses: row.warehouses.map((w) => (w === '' ? null : w)),
    safetyBuffer: row.safety_buffer,
    skuBuffers: Object.fromEntries(buffers.map((b) => [b.sku, b.safety_buffer])),
  };
}
