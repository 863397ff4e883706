import { Decimal } from '@ledgerline/money';

/** Order statuses whose units are no longer held for the customer (WooCommerce core slugs). */
export const RELEASED_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'refunded', 'failed', 'trash', 'checkout-draft']);

/** Units per SKU of an order's lines, and how many lines had no SKU (those cannot be matched to ERP stock). */
export interface UnitsBySku {
  units: Map<string, string>;
  linesWithoutSku: number;
}

/** Gives the units per SKU of `lines` (lines of one SKU added up), counting the lines without a SKU apart. */
export function unitsBySku(lines: ReadonlyArray<{ sku: string | null; quantity: string }>): UnitsBySku {
  const units = new Map<string, Decimal>();
  let linesWithoutSku = 0;
  for (const line of lines) {
    const sku = line.sku?.trim();
    if (!sku) {
      linesWithoutSku++;
      continue;
    }
    units.set(sku, (units.get(sku) ?? Decimal.ZERO).add(line.quantity));
  }
  return { units: new Map([...units].map(([sku, qty]) => [sku, qty.toString()])), linesWithoutSku };
}
