import { STORE_STOCK_ITEMS_PER_EVENT } from '@ledgerline/contracts';

/** One store SKU and the whole quantity it should show. */
export interface StockItem {
  sku: string;
  quantity: string;
}

/**
 * Gives `items` split into parts of at most `max` items (STORE_STOCK_ITEMS_PER_EVENT by default), in SKU order so that
 * a request reads the same however the rows were fetched. An empty list gives no parts.
 */
export function splitIntoParts(items: readonly StockItem[], max = STORE_STOCK_ITEMS_PER_EVENT): StockItem[][] {
  if (!Number.isInteger(max) || max < 1) throw new Error(`splitIntoParts: max must be a positive integer (got ${max})`);
  const sorted = [...items].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const parts: StockItem[][] = [];
  for (let i = 0; i < sorted.length; i += max) parts.push(sorted.slice(i, i + max));
  return parts;
}
