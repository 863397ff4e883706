import { createHash } from 'node:crypto';

/** The fields of a product or variation (either REST shape) that `product.upserted` carries. */
export interface EchoComparable {
  sku?: string;
  name?: string;
  type?: string;
  status?: string;
  price?: string;
  regular_price?: string;
  sale_price?: string;
  tax_class?: string;
  manage_stock?: boolean | 'parent';
  stock_quantity?: number | null;
}

/**
 * Gives a fingerprint of what `product.upserted` would publish about a product or variation, the same whether the
 * object came from a batch answer (`/products/<id>/variations` shape: no name, no type) or a webhook
 * (`/products/<id>` shape). The name of a variation is left out: it is its parent's name plus attributes, and a
 * parent rename arrives as the parent's own delivery. Pure.
 */
export function echoFingerprint(p: EchoComparable, isVariation: boolean): string {
  const fields = [p.sku ?? '', isVariation ? null : (p.name ?? ''), p.status ?? '', p.price ?? '', p.regular_price ?? '', p.sale_price ?? '', p.tax_class ?? '', p.manage_stock === true, p.stock_quantity ?? null];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}

/** What we remember of our last stock write to one product or variation. */
export interface EchoGuard {
  quantity: number;
  /** Fingerprint of the store's answer to the write; null while the answer is not recorded yet. */
  fingerprint: string | null;
}

/**
 * True when a product delivery shows nothing but our own stock write: managed stock at the quantity we wrote, the
 * same published fields as the store answered our write with, and (when we had published the product before) the
 * same fields apart from stock as we last published, so an edit coalesced into the same delivery still flows. Pure.
 */
export function isOwnStockEcho(delivered: EchoComparable, isVariation: boolean, guard: EchoGuard | null, knownBaseHash: string | null, deliveredBaseHash: string): boolean {
  if (!guard) return false;
  if (delivered.manage_stock !== true || delivered.stock_quantity !== guard.quantity) return false;
  if (guard.fingerprint !== null && guard.fingerprint !== echoFingerprint(delivered, isVariation)) return false;
  return knownBaseHash === null || knownBaseHash === deliveredBaseHash;
}
