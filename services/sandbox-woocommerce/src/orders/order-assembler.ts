import type { CouponLineRecord, FeeLineRecord, LineItemRecord, MetaData, OrderRecord, ShippingLineRecord, TaxLineRecord } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import { formatCents, formatMicros } from '../tax/money';
import { calculateOrderTotals, type RateTax } from '../tax/order-totals.calculator';
import { findRates, rateCode, ratePercent, TAX_CLASSES, type TaxRate } from '../tax/tax-rates';

/** A product line before totals: what the cart (or the REST request) says. */
export interface DraftLine {
  itemId?: number;
  productId: number;
  variationId: number;
  name: string;
  parentName: string | null;
  sku: string;
  taxClass: string;
  taxable: boolean;
  quantity: number;
  /** Catalogue unit price: gross when the order's prices include tax, else net (cents). */
  unitPriceCents: number;
  /** Net subtotal/total given explicitly (REST `line_items[].subtotal/total`); the price is then ignored. */
  explicitNet?: { subtotalCents: number; totalCents: number };
  meta: MetaData[];
  imageId?: number;
}

export interface DraftFee {
  itemId?: number;
  name: string;
  /** Before tax, as WooCommerce's fee API takes it. */
  amountCents: number;
  taxClass: string;
  taxable: boolean;
}

export interface DraftShipping {
  itemId?: number;
  methodId: string;
  methodTitle: string;
  instanceId: string;
  /** Before tax (shipping costs are entered without tax in WooCommerce). */
  amountCents: number;
  meta: MetaData[];
}

export interface DraftCoupon {
  code: string;
  type: 'percent' | 'fixed_cart' | 'fixed_product';
  /** Percent for `percent`; an amount in the order currency otherwise. */
  amount: number;
  /** For `fixed_product`: the product (or variation) it applies to; every line when omitted. */
  productId?: number;
}

export interface DraftOrder {
  pricesIncludeTax: boolean;
  /** Tax location (shipping country, else billing, else the store's base country). */
  country: string;
  lines: DraftLine[];
  fees: DraftFee[];
  shipping: DraftShipping[];
  coupons: DraftCoupon[];
}

/** The parts of an order record that totals determine. */
export type AssembledTotals = Pick<
  OrderRecord,
  'line_items' | 'fee_lines' | 'shipping_lines' | 'coupon_lines' | 'tax_lines' | 'discount_total' | 'discount_tax' | 'shipping_total' | 'shipping_tax' | 'cart_tax' | 'total' | 'total_tax'
>;

/**
 * Returns line items, fee, shipping, coupon and tax lines and order totals for a draft, with
 * coupons spread over lines the way `WC_Discounts` does and totals from
 * {@link calculateOrderTotals}. Existing item ids are kept; new items get new ids.
 */
export function assembleOrder(state: WooStoreState, draft: DraftOrder): AssembledTotals {
  const lineRates = draft.lines.map((l) => (l.taxable ? findRates(draft.country, l.taxClass) : []));
  const perCoupon = draft.coupons.map((c) => allocateCoupon(c, draft.lines));
  const lineDiscount = draft.lines.map((_, i) => perCoupon.reduce((a, alloc) => a + alloc[i], 0));
  const shippingRates = findRates(draft.country, shippingTaxClass(draft.lines));

  const totals = calculateOrderTotals({
    pricesIncludeTax: draft.pricesIncludeTax,
    lines: draft.lines.map((l, i) => ({
      unitPriceCents: l.unitPriceCents,
      quantity: l.quantity,
      rates: lineRates[i],
      discountCents: lineDiscount[i],
      explicitNet: l.explicitNet ? { subtotalCents: l.explicitNet.subtotalCents, totalCents: l.explicitNet.totalCents - lineDiscount[i] } : undefined,
    })),
    fees: draft.fees.map((f) => ({ amountCents: f.amountCents, rates: f.taxable ? findRates(draft.country, f.taxClass) : [] })),
    shipping: draft.shipping.map((s) => ({ amountCents: s.amountCents, rates: shippingRates })),
  });

  const line_items: LineItemRecord[] = draft.lines.map((l, i) => {
    const t = totals.lines[i];
    return {
      id: l.itemId ?? state.nextItemId(),
      name: l.name,
      product_id: l.productId,
      variation_id: l.variationId,
      quantity: l.quantity,
      tax_class: l.taxClass,
      subtotal: formatCents(t.subtotalCents),
      subtotal_tax: formatCents(t.subtotalTaxCents),
      total: formatCents(t.totalCents),
      total_tax: formatCents(t.totalTaxCents),
      taxes: itemTaxes(t.taxes, true),
      meta_data: l.meta.map((m) => ({ ...m })),
      sku: l.sku,
      image: { id: l.imageId ?? 0, src: '' },
      parent_name: l.parentName,
    };
  });
  const fee_lines: FeeLineRecord[] = draft.fees.map((f, i) => ({
    id: f.itemId ?? state.nextItemId(),
    name: f.name,
    tax_class: f.taxClass,
    tax_status: f.taxable ? 'taxable' : 'none',
    amount: formatMicros(f.amountCents * 10_000),
    total: formatCents(totals.fees[i].totalCents),
    total_tax: formatCents(totals.fees[i].totalTaxCents),
    taxes: itemTaxes(totals.fees[i].taxes, false),
    meta_data: [],
  }));
  const shipping_lines: ShippingLineRecord[] = draft.shipping.map((s, i) => ({
    id: s.itemId ?? state.nextItemId(),
    method_title: s.methodTitle,
    method_id: s.methodId,
    instance_id: s.instanceId,
    total: formatCents(totals.shipping[i].totalCents),
    total_tax: formatCents(totals.shipping[i].totalTaxCents),
    taxes: itemTaxes(totals.shipping[i].taxes, false),
    meta_data: s.meta.map((m) => ({ ...m })),
  }));
  const coupon_lines = couponLines(state, draft, perCoupon, lineDiscount, totals.lines.map((l) => [l.subtotalCents - l.totalCents, l.subtotalTaxCents - l.totalTaxCents] as const));
  const tax_lines: TaxLineRecord[] = totals.taxLines.map((t) => taxLine(state, t.rate, t.taxTotalCents, t.shippingTaxTotalCents));

  return {
    line_items,
    fee_lines,
    shipping_lines,
    coupon_lines,
    tax_lines,
    discount_total: formatCents(totals.discountTotalCents),
    discount_tax: formatCents(totals.discountTaxCents),
    shipping_total: formatCents(totals.shippingTotalCents),
    shipping_tax: formatCents(totals.shippingTaxCents),
    cart_tax: formatCents(totals.cartTaxCents),
    total: formatCents(totals.totalCents),
    total_tax: formatCents(totals.totalTaxCents),
  };
}

/**
 * Per-line discount (cents, on the line's entered basis) for one coupon, like `WC_Discounts`:
 * `percent` rounds per line; `fixed_cart` splits by line value and hands leftover cents to lines
 * in order; `fixed_product` takes `amount` per unit, never more than the line is worth.
 */
export function allocateCoupon(coupon: DraftCoupon, lines: DraftLine[]): number[] {
  const basis = lines.map((l) => (l.explicitNet ? l.explicitNet.totalCents : l.unitPriceCents * l.quantity));
  if (coupon.type === 'percent') return basis.map((b) => Math.round((b * coupon.amount) / 100));
  if (coupon.type === 'fixed_product') {
    return lines.map((l, i) => {
      const applies = coupon.productId === undefined || coupon.productId === l.productId || coupon.productId === l.variationId;
      return applies ? Math.min(basis[i], Math.round(coupon.amount * 100) * l.quantity) : 0;
    });
  }
  const sum = basis.reduce((a, b) => a + b, 0);
  const amount = Math.min(sum, Math.round(coupon.amount * 100));
  if (sum === 0) return basis.map(() => 0);
  const shares = basis.map((b) => Math.floor((amount * b) / sum));
  let left = amount - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0 && i < shares.length; i = (i + 1) % shares.length) {
    if (shares[i] < basis[i]) {
      shares[i]++;
      left--;
    }
  }
  return shares;
}

/**
 * `Shipping tax class based on cart items` (WooCommerce's default): the standard rate if any line
 * is standard, else the first of the store's classes present in the cart.
 */
function shippingTaxClass(lines: DraftLine[]): string {
  const classes = new Set(lines.filter((l) => l.taxable).map((l) => l.taxClass));
  if (classes.size === 0 || classes.has('')) return '';
  return TAX_CLASSES.find((c) => classes.has(c)) ?? '';
}

function itemTaxes(taxes: RateTax[], withSubtotal: boolean): LineItemRecord['taxes'] {
  return taxes.map((t) => ({ id: t.rateId, total: formatMicros(t.totalMicros), subtotal: withSubtotal ? formatMicros(t.subtotalMicros) : '' }));
}

function couponLines(
  state: WooStoreState,
  draft: DraftOrder,
  perCoupon: number[][],
  lineDiscount: number[],
  netPerLine: ReadonlyArray<readonly [discount: number, tax: number]>,
): CouponLineRecord[] {
  const totalDiscount = netPerLine.reduce((a, [d]) => a + d, 0);
  const totalTax = netPerLine.reduce((a, [, t]) => a + t, 0);
  let givenDiscount = 0;
  let givenTax = 0;
  return draft.coupons.map((c, ci) => {
    const last = ci === draft.coupons.length - 1;
    let discount = 0;
    let tax = 0;
    for (let i = 0; i < lineDiscount.length; i++) {
      if (lineDiscount[i] === 0) continue;
      const share = perCoupon[ci][i] / lineDiscount[i];
      discount += netPerLine[i][0] * share;
      tax += netPerLine[i][1] * share;
    }
    const d = last ? totalDiscount - givenDiscount : Math.round(discount);
    const t = last ? totalTax - givenTax : Math.round(tax);
    givenDiscount += d;
    givenTax += t;
    return {
      id: state.nextItemId(),
      code: c.code,
      discount: formatCents(d),
      discount_tax: formatCents(t),
      meta_data: [],
      discount_type: c.type,
      nominal_amount: c.amount,
      free_shipping: false,
    };
  });
}

function taxLine(state: WooStoreState, rate: TaxRate, taxTotalCents: number, shippingTaxTotalCents: number): TaxLineRecord {
  return {
    id: state.nextItemId(),
    rate_code: rateCode(rate),
    rate_id: rate.id,
    label: rate.name,
    compound: rate.compound,
    tax_total: formatCents(taxTotalCents),
    shipping_tax_total: formatCents(shippingTaxTotalCents),
    rate_percent: ratePercent(rate),
    meta_data: [],
  };
}
