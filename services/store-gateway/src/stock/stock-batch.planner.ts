import { WOO_BATCH_LIMIT } from '@ledgerline/woocommerce';

/** A requested SKU resolved to where its stock lives: a product (`parentId` 0) or a variation of `parentId`. */
export interface ResolvedStockItem {
  sku: string;
  part: number;
  quantity: number;
  itemId: number;
  parentId: number;
}

/** One batch request: up to 100 items for `products/batch` (parentId 0) or one parent's `variations/batch`. */
export interface StockBatch {
  parentId: number;
  items: ResolvedStockItem[];
}

/**
 * Groups stock writes into the fewest batch requests the REST API allows: products (simple, or a variable parent
 * managing stock itself) share `products/batch`, each variable product's variations go through its own
 * `products/<id>/variations/batch`, and every request carries up to 100 items. Products first, then parents in id
 * order, so a plan is deterministic. Pure.
 */
export function planStockBatches(items: readonly ResolvedStockItem[], limit = WOO_BATCH_LIMIT): StockBatch[] {
  const byParent = new Map<number, ResolvedStockItem[]>();
  for (const item of items) {
    const list = byParent.get(item.parentId);
    if (list) list.push(item);
    else byParent.set(item.parentId, [item]);
  }
  const batches: StockBatch[] = [];
  for (const parentId of [...byParent.keys()].sort((a, b) => a - b)) {
    const list = byParent.get(parentId) as ResolvedStockItem[];
    for (let i = 0; i < list.length; i += limit) batches.push({ parentId, items: list.slice(i, i + limit) });
  }
  return batches;
}

/**
 * The fewest batch requests that can write these items: ⌈products/100⌉ + Σ over variable products ⌈variations/100⌉.
 * Equals ⌈SKUs/100⌉ only when no parent's variation count leaves a partial batch beside the products' one.
 */
export function minimalBatchCount(items: ReadonlyArray<Pick<ResolvedStockItem, 'parentId'>>, limit = WOO_BATCH_LIMIT): number {
  const counts = new Map<number, number>();
  for (const item of items) counts.set(item.parentId, (counts.get(item.parentId) ?? 0) + 1);
  let total = 0;
  for (const n of counts.values()) total += Math.ceil(n / limit);
  return total;
}
