import { divRound, MICROS_PER_CENT, microsToCents } from './money';
import type { TaxRate } from './tax-rates';

/** One product line as entered at checkout. */
export interface LineInput {
  /** Unit price as the catalogue holds it: gross when prices include tax, net otherwise (cents). */
  unitPriceCents: number;
  quantity: number;
  /** The rates for the line's tax class at the tax location; empty for an untaxed line. */
  rates: TaxRate[];
  /** Coupon discount on this line, on the same basis as the price (cents, >= 0). */
  discountCents: number;
  /** Net subtotal and total given by the caller (REST `line_items[].subtotal/total`); prices and discount are then ignored. */
  explicitNet?: { subtotalCents: number; totalCents: number };
}

/** A fee or shipping line; WooCommerce always takes these amounts before tax. */
export interface ChargeInput {
  amountCents: number;
  rates: TaxRate[];
}

/**
 * Tax of one rate on one line as stored in `taxes[]`, in micros. With "round tax at subtotal
 * level" off (the default, and the only mode the sandbox models) the stored value is already
 * rounded to the cent and printed without trailing zeros ("0.9", "2"; NOTES-rest-api.md).
 */
export interface RateTax {
  rateId: number;
  totalMicros: number;
  subtotalMicros: number;
}

export interface LineTotals {
  subtotalCents: number;
  subtotalTaxCents: number;
  totalCents: number;
  totalTaxCents: number;
  taxes: RateTax[];
}

export interface ChargeTotals {
  totalCents: number;
  totalTaxCents: number;
  taxes: RateTax[];
}

export interface TaxLineTotals {
  rate: TaxRate;
  taxTotalCents: number;
  shippingTaxTotalCents: number;
}

export interface OrderTotals {
  lines: LineTotals[];
  fees: ChargeTotals[];
  shipping: ChargeTotals[];
  taxLines: TaxLineTotals[];
  discountTotalCents: number;
  discountTaxCents: number;
  shippingTotalCents: number;
  shippingTaxCents: number;
  cartTaxCents: number;
  totalTaxCents: number;
  totalCents: number;
}

/**
 * Returns an order's line, fee, shipping and order totals computed the way WooCommerce does with
 * "round tax at subtotal level" off (its default): each rate's tax is kept unrounded per line
 * (`taxes[]`), each line's `total_tax` is the sum of those rounded to the cent, and the order
 * totals follow `WC_Abstract_Order::calculate_totals`:
 *
 *   discount_total = Σ(line subtotal − line total), cart_tax = Σ line tax + Σ fee tax,
 *   total = Σ line total + Σ fee total + shipping_total + cart_tax + shipping_tax.
 *
 * Not modelled: "round tax at subtotal level" (6-decimal taxes, ±0.01 between Σ lines and totals).
 *
 * With prices including tax, a line's tax is taken out of its gross amount and the net total is
 * gross minus the rounded tax, so net + tax is exactly what the customer paid for that line.
 */
export function calculateOrderTotals(input: { pricesIncludeTax: boolean; lines: LineInput[]; fees: ChargeInput[]; shipping: ChargeInput[] }): OrderTotals {
  const lines = input.lines.map((l) => lineTotals(l, input.pricesIncludeTax));
  const fees = input.fees.map(chargeTotals);
  const shipping = input.shipping.map(chargeTotals);

  const ratesSeen = new Map<number, TaxRate>();
  for (const l of [...input.lines, ...input.fees, ...input.shipping]) for (const r of l.rates) ratesSeen.set(r.id, r);
  const byRate = new Map<number, TaxLineTotals>();
  const taxLine = (rateId: number): TaxLineTotals => {
    let t = byRate.get(rateId);
    const rate = ratesSeen.get(rateId);
    if (!rate) throw new Error(`tax rate ${rateId} is on an item but in no input`);
    if (!t) byRate.set(rateId, (t = { rate, taxTotalCents: 0, shippingTaxTotalCents: 0 }));
    return t;
  };
  for (const item of [...lines, ...fees]) for (const t of item.taxes) taxLine(t.rateId).taxTotalCents += microsToCents(t.totalMicros);
  for (const item of shipping) for (const t of item.taxes) taxLine(t.rateId).shippingTaxTotalCents += microsToCents(t.totalMicros);

  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const discountTotalCents = sum(lines.map((l) => l.subtotalCents - l.totalCents));
  const discountTaxCents = sum(lines.map((l) => l.subtotalTaxCents - l.totalTaxCents));
  const cartTaxCents = sum(lines.map((l) => l.totalTaxCents)) + sum(fees.map((f) => f.totalTaxCents));
  const shippingTotalCents = sum(shipping.map((s) => s.totalCents));
  const shippingTaxCents = sum(shipping.map((s) => s.totalTaxCents));
  const totalTaxCents = cartTaxCents + shippingTaxCents;
  const totalCents = sum(lines.map((l) => l.totalCents)) + sum(fees.map((f) => f.totalCents)) + shippingTotalCents + totalTaxCents;

  return {
    lines,
    fees,
    shipping,
    taxLines: [...byRate.values()].sort((a, b) => a.rate.id - b.rate.id),
    discountTotalCents,
    discountTaxCents,
    shippingTotalCents,
    shippingTaxCents,
    cartTaxCents,
    totalTaxCents,
    totalCents,
  };
}

function lineTotals(line: LineInput, pricesIncludeTax: boolean): LineTotals {
  if (line.explicitNet) {
    const { subtotalCents, totalCents } = line.explicitNet;
    return withExclusiveTax(subtotalCents, totalCents, line.rates);
  }
  const enteredSubtotal = line.unitPriceCents * line.quantity;
  const enteredTotal = Math.max(0, enteredSubtotal - line.discountCents);
  if (!pricesIncludeTax) return withExclusiveTax(enteredSubtotal, enteredTotal, line.rates);

  const subtotalTaxes = roundedMicros(inclusiveTaxMicros(enteredSubtotal, line.rates));
  const totalTaxes = roundedMicros(inclusiveTaxMicros(enteredTotal, line.rates));
  const subtotalTaxCents = roundedSum(subtotalTaxes);
  const totalTaxCents = roundedSum(totalTaxes);
  return {
    subtotalCents: enteredSubtotal - subtotalTaxCents,
    subtotalTaxCents,
    totalCents: enteredTotal - totalTaxCents,
    totalTaxCents,
    taxes: line.rates.map((r, i) => ({ rateId: r.id, totalMicros: totalTaxes[i], subtotalMicros: subtotalTaxes[i] })),
  };
}

function withExclusiveTax(subtotalCents: number, totalCents: number, rates: TaxRate[]): LineTotals {
  const subtotalTaxes = roundedMicros(exclusiveTaxMicros(subtotalCents, rates));
  const totalTaxes = roundedMicros(exclusiveTaxMicros(totalCents, rates));
  return {
    subtotalCents,
    subtotalTaxCents: roundedSum(subtotalTaxes),
    totalCents,
    totalTaxCents: roundedSum(totalTaxes),
    taxes: rates.map((r, i) => ({ rateId: r.id, totalMicros: totalTaxes[i], subtotalMicros: subtotalTaxes[i] })),
  };
}

function chargeTotals(charge: ChargeInput): ChargeTotals {
  const taxes = roundedMicros(exclusiveTaxMicros(charge.amountCents, charge.rates));
  return {
    totalCents: charge.amountCents,
    totalTaxCents: roundedSum(taxes),
    taxes: charge.rates.map((r, i) => ({ rateId: r.id, totalMicros: taxes[i], subtotalMicros: 0 })),
  };
}

/** Tax on a net amount per rate, in micros: net × rate / 100. */
export function exclusiveTaxMicros(netCents: number, rates: TaxRate[]): number[] {
  return rates.map((r) => Number(divRound(BigInt(netCents) * BigInt(r.rate4), 100n)));
}

/** Tax contained in a gross amount per rate, in micros: gross × rate / (100 + Σ rates). */
export function inclusiveTaxMicros(grossCents: number, rates: TaxRate[]): number[] {
  const sumRate4 = rates.reduce((a, r) => a + r.rate4, 0);
  return rates.map((r) => Number(divRound(BigInt(grossCents) * 10_000n * BigInt(r.rate4), BigInt(1_000_000 + sumRate4))));
}

/** The tax contained in a gross amount, rounded per rate to the cent and summed. */
export function inclusiveTaxCents(grossCents: number, rates: TaxRate[]): number {
  return roundedSum(inclusiveTaxMicros(grossCents, rates));
}

function roundedSum(micros: number[]): number {
  return micros.reduce((a, m) => a + microsToCents(m), 0);
}

function roundedMicros(micros: number[]): number[] {
  return micros.map((m) => microsToCents(m) * MICROS_PER_CENT);
}
