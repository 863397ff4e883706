import type { CanonicalOrder, LineTax, OrderCancelled, OrderRefunded, TaxLine } from '@ledgerline/contracts';
import { LedgerlineError, resolveMapping, type ErrorContext } from '@ledgerline/erp-kit';
import { allocate, Decimal, Money, RoundingMode } from '@ledgerline/money';
import type { CustomerWrite, InvoiceRow, InvoiceWrite, VATType } from '../client/fortnox.types';
import type { TenantMappings } from '../persistence/store.repository';

// Pure translation: canonical order (or refund) + the tenant's mapping -> the Fortnox invoice request. No I/O here;
// the delivery port adds the customer number, article numbers and the credit reference.

/** The intent payload of an invoice: the order as order.placed carried it. */
export interface InvoiceIntentPayload {
  order: CanonicalOrder;
}

/** The intent payload of a credit invoice for a refund. */
export interface CreditIntentPayload {
  refund: OrderRefunded;
  /** The source id (store order id) of the order whose invoice this credits. */
  creditFor: { sourceId: string };
}

/** The intent payload of a cancellation: void or credit the order's invoice. */
export interface CancelIntentPayload {
  cancel: OrderCancelled;
  creditFor: { sourceId: string };
}

/** A row plus the store SKU it came from: the port turns the SKU into `ArticleNumber` when the article exists. */
export interface MappedRow {
  row: InvoiceRow;
  sku: string | null;
}

/** What the mapper hands to the port. */
export interface MappedInvoice {
  invoice: Omit<InvoiceWrite, 'CustomerNumber' | 'InvoiceRows'>;
  rows: MappedRow[];
  /** What Fortnox should compute (before its whole-krona RoundOff), and what the store says it is. */
  expected: { net: string; vatByRate: Record<string, string>; total: string; storeTotal: string; tolerance: string };
}

/** Where a mapping was needed, for operator messages. */
export interface MapContext {
  tenantId: string;
  where: ErrorContext;
}

const EU = new Set('AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '));
const CENT = Decimal.of('0.01');

/** `LL|<tenant>|<store>|<order id>[|<suffix>]`: delimited, so the exact comparison after Fortnox's substring search is unambiguous. */
export function externalRefOf(ref: { tenantId: string; storeId: string; orderId: string }, suffix?: string): string {
  const value = `LL|${ref.tenantId}|${ref.storeId}|${ref.orderId}${suffix ? `|${suffix}` : ''}`;
  // Fortnox: ExternalInvoiceReference1 maxLength 80 (openapi-fortnox.json).
  if (value.length > 80) throw new Error(`external reference ${value} is longer than Fortnox's 80 characters`);
  return value;
}

/** `"25.0000"` -> `"25"`, `"7.50"` -> `"7.5"`. */
export function normalisePercent(p: string): string {
  return p.includes('.') ? p.replace(/0+$/, '').replace(/\.$/, '') : p;
}

const num = (d: Decimal): number => Number(d.toFixed(2));

/** The tenant mapping key of a tax rate: `<country>:<percent>`, the country from the rate code (`SE-MOMS-1`) or the billing address. */
function taxKeyOf(taxLine: TaxLine | undefined, billingCountry: string): { key: string; percent: string } {
  const country = /^([A-Z]{2})-/.exec(taxLine?.rateCode ?? '')?.[1] ?? billingCountry;
  const percent = taxLine ? (taxLine.ratePercent === null ? `code ${taxLine.rateCode}` : normalisePercent(taxLine.ratePercent)) : '0';
  return { key: `${country}:${percent}`, percent };
}

/** The one tax rate of a line; untaxed lines use the `<country>:0` mapping. */
function rateOfLine(taxes: LineTax[], order: Pick<CanonicalOrder, 'taxLines' | 'billingAddress'>, ctx: MapContext, label: string) {
  const charged = taxes.filter((t) => !Decimal.of(t.total.amount).isZero());
  const used = charged.length > 0 ? charged : taxes.slice(0, 1);
  if (used.length > 1) {
    throw new LedgerlineError({
      code: 'FORTNOX_ROW_TAX_COMPOUND',
      kind: 'permanent',
      operatorMessage: `${label} carries several tax rates at once (compound tax), which a Fortnox invoice row cannot hold. Book it by hand in Fortnox and settle the document manually.`,
      context: ctx.where,
      notApplied: true,
    });
  }
  const taxLine = used[0] ? order.taxLines.find((t) => t.rateId === used[0]?.rateId) : undefined;
  const { key, percent } = taxKeyOf(taxLine, order.billingAddress.country ?? 'SE');
  return { key, percent, label: `tax rate ${key.replace(':', ' ')}${percent.startsWith('code') ? '' : '%'}` };
}

/**
 * Price and AMOUNT discount such that `Price × quantity − Discount` is exactly `amount`: Fortnox rounds the row to öre
 * (sandbox README, "Row total"), so the unit price is rounded up and the discount takes the excess. The coupon
 * discount (subtotal − total) is the discount when the unit price divides exactly.
 */
function priceRow(before: Decimal, after: Decimal, quantity: Decimal): Pick<InvoiceRow, 'Price' | 'DeliveredQuantity' | 'Discount' | 'DiscountType'> {
  if (quantity.isZero() || quantity.isNegative()) return { Price: num(after), DeliveredQuantity: 1 };
  const unit = before.div(quantity, 2, RoundingMode.CEILING);
  const discount = unit.mul(quantity).round(2, RoundingMode.HALF_UP).sub(after);
  return {
    Price: num(unit),
    DeliveredQuantity: Number(quantity.toString()),
    ...(discount.isZero() ? {} : { Discount: num(discount), DiscountType: 'AMOUNT' as const }),
  };
}

const amount = (m: { amount: string }) => Decimal.of(m.amount).round(2, RoundingMode.HALF_UP);

/** Fortnox's own arithmetic (sandbox README, "VAT"), to check the store's total before anything is sent. */
function expectedTotals(rows: MappedRow[], vatIncluded: boolean): { net: Decimal; vatByRate: Record<string, string>; total: Decimal } {
  const byRate = new Map<number, Decimal>();
  for (const { row } of rows) {
    const rowTotal = Decimal.of(String(row.Price)).mul(String(row.DeliveredQuantity)).sub(String(row.Discount ?? 0)).round(2, RoundingMode.HALF_UP);
    byRate.set(row.VAT, (byRate.get(row.VAT) ?? Decimal.ZERO).add(rowTotal));
  }
  let net = Decimal.ZERO;
  let vat = Decimal.ZERO;
  const vatByRate: Record<string, string> = {};
  for (const [rate, sum] of byRate) {
    const v = vatIncluded ? sum.mul(rate).div(100 + rate, 2, RoundingMode.HALF_UP) : sum.mul(rate).div(100, 2, RoundingMode.HALF_UP);
    vatByRate[String(rate)] = v.toFixed(2);
    vat = vat.add(v);
    net = net.add(vatIncluded ? sum.sub(v) : sum);
  }
  return { net, vatByRate, total: net.add(vat) };
}

function mismatch(ctx: MapContext, what: string, expected: Decimal, store: Decimal, tolerance: Decimal): LedgerlineError {
  return new LedgerlineError({
    code: 'FORTNOX_INVOICE_TOTAL_MISMATCH',
    kind: 'permanent',
    operatorMessage: `The Fortnox ${what} would total ${expected.toFixed(2)} but the store's total is ${store.toFixed(2)} (more than the ${tolerance.toFixed(2)} rounding tolerance): a line, fee or tax mapping does not match the store. Check the order's lines and the mappings under Mappings → Tax codes, then replay.`,
    context: ctx.where,
    notApplied: true,
  });
}

/** The Fortnox customer for the order's billing details, with the VAT type its country and VAT number call for. */
export function toCustomer(order: CanonicalOrder): CustomerWrite {
  const b = order.billingAddress;
  const country = b.country ?? 'SE';
  const vatType: VATType = country === 'SE' ? 'SEVAT' : EU.has(country) ? (order.customer.vatNumber ? 'EUREVERSEDVAT' : 'EUVAT') : 'EXPORT';
  const name = order.customer.company ?? ([order.customer.firstName, order.customer.lastName].filter(Boolean).join(' ') || order.customer.email);
  return {
    Name: name,
    Email: order.customer.email,
    VATType: vatType,
    CountryCode: country,
    ...(b.address1 ? { Address1: b.address1 } : {}),
    ...(b.address2 ? { Address2: b.address2 } : {}),
    ...(b.city ? { City: b.city } : {}),
    ...(b.postcode ? { ZipCode: b.postcode } : {}),
    ...(order.customer.phone ? { Phone1: order.customer.phone } : {}),
    ...(order.customer.vatNumber ? { VATNumber: order.customer.vatNumber } : {}),
  };
}

/**
 * Maps a canonical order to a Fortnox invoice: one row per line (coupon discounts as AMOUNT discounts: subtotal vs
 * total), shipping and fees as rows, VAT and sales account per row from the tenant's tax-code mapping, prices as the
 * store keeps them (`VATIncluded` when its prices include tax, so Fortnox's gross sum is the store's total), and the
 * payment method's terms. Throws MAPPING_*_MISSING for a missing mapping and FORTNOX_INVOICE_TOTAL_MISMATCH when
 * the rows would not add up to the store's total within rounding.
 */
export function toInvoice(order: CanonicalOrder, mappings: TenantMappings, ctx: MapContext, externalRef: string): MappedInvoice {
  const gross = order.pricesIncludeTax;
  const tax = (taxes: LineTax[], label: string) => {
    const rate = rateOfLine(taxes, order, ctx, label);
    return resolveMapping(mappings.taxCodes, rate.key, { what: 'tax-code', tenant: ctx.tenantId, where: ctx.where, label: rate.label });
  };
  const rows: MappedRow[] = [];
  for (const line of order.lines) {
    const t = tax(line.taxes, `Line "${line.name}"`);
    const before = gross ? amount(line.subtotal).add(amount(line.subtotalTax)) : amount(line.subtotal);
    const after = gross ? amount(line.total).add(amount(line.totalTax)) : amount(line.total);
    rows.push({ sku: line.sku, row: { Description: line.name, ...priceRow(before, after, Decimal.of(line.quantity)), VAT: t.vat, AccountNumber: t.account } });
  }
  for (const s of order.shippingLines) {
    const t = tax(s.taxes, `Shipping "${s.title}"`);
    const m = s.methodId ? mappings.shippingMethods[s.methodId] : undefined;
    const value = gross ? amount(s.total).add(amount(s.totalTax)) : amount(s.total);
    rows.push({
      sku: null,
      row: { ...(m?.articleNumber ? { ArticleNumber: m.articleNumber } : {}), Description: s.title, Price: num(value), DeliveredQuantity: 1, VAT: t.vat, AccountNumber: m?.account ?? t.account },
    });
  }
  for (const f of order.feeLines) {
    const t = tax(f.taxStatus === 'none' ? [] : f.taxes, `Fee "${f.name}"`);
    const value = gross ? amount(f.total).add(amount(f.totalTax)) : amount(f.total);
    rows.push({ sku: null, row: { Description: f.name, Price: num(value), DeliveredQuantity: 1, VAT: t.vat, AccountNumber: t.account } });
  }

  const payment = order.paymentMethod
    ? resolveMapping(mappings.paymentMethods, order.paymentMethod.id, {
        what: 'payment-method',
        tenant: ctx.tenantId,
        where: ctx.where,
        label: `payment method "${order.paymentMethod.id}"`,
      })
    : undefined;

  const exp = expectedTotals(rows, gross);
  const storeTotal = amount(order.totals.total);
  const tolerance = CENT.mul(Math.max(rows.length, 1));
  if (exp.total.sub(storeTotal).abs().gt(tolerance)) throw mismatch(ctx, 'invoice', exp.total, storeTotal, tolerance);

  return {
    invoice: {
      ExternalInvoiceReference1: externalRef,
      YourOrderNumber: order.orderRef.orderNumber,
      Currency: order.currency,
      VATIncluded: gross,
      ...(payment?.termsOfPayment ? { TermsOfPayment: payment.termsOfPayment } : {}),
    },
    rows,
    expected: { net: exp.net.toFixed(2), vatByRate: exp.vatByRate, total: exp.total.toFixed(2), storeTotal: storeTotal.toFixed(2), tolerance: tolerance.toFixed(2) },
  };
}

/**
 * Maps a refund of `order` to a Fortnox credit invoice (negative quantities): refunded lines, shipping and fees with
 * the VAT and account of the order's rows, or, for an amount-only refund, the amount spread over the order's VAT rates
 * in proportion to what the order charged at each (prices including VAT). `CreditInvoiceReference` is set by the port.
 */
export function toCreditInvoice(refund: OrderRefunded, order: CanonicalOrder, mappings: TenantMappings, ctx: MapContext, externalRef: string): MappedInvoice {
  const tax = (taxes: LineTax[], label: string) => {
    const rate = rateOfLine(taxes, order, ctx, label);
    return resolveMapping(mappings.taxCodes, rate.key, { what: 'tax-code', tenant: ctx.tenantId, where: ctx.where, label: rate.label });
  };
  const gross = refund.amountOnly || order.pricesIncludeTax;
  const rows: MappedRow[] = [];
  const credit = (sku: string | null, description: string, value: Decimal, qty: Decimal, t: { vat: number; account: number }) => {
    const q = qty.isPositive() ? qty : Decimal.ONE;
    const unit = value.div(q, 2, RoundingMode.HALF_UP);
    const exact = unit.mul(q).eq(value);
    rows.push({ sku, row: { Description: description, Price: num(exact ? unit : value), DeliveredQuantity: -Number((exact ? q : Decimal.ONE).toString()), VAT: t.vat, AccountNumber: t.account } });
  };
  if (refund.amountOnly) {
    // Weights: what the order charged per tax mapping, tax included.
    const weights = new Map<string, { t: { vat: number; account: number }; gross: Decimal }>();
    const add = (taxes: LineTax[], label: string, value: Decimal) => {
      const t = tax(taxes, label);
      const k = `${t.vat}:${t.account}`;
      weights.set(k, { t, gross: (weights.get(k)?.gross ?? Decimal.ZERO).add(value) });
    };
    for (const l of order.lines) add(l.taxes, `Line "${l.name}"`, amount(l.total).add(amount(l.totalTax)));
    for (const s of order.shippingLines) add(s.taxes, `Shipping "${s.title}"`, amount(s.total).add(amount(s.totalTax)));
    for (const f of order.feeLines) add(f.taxStatus === 'none' ? [] : f.taxes, `Fee "${f.name}"`, amount(f.total).add(amount(f.totalTax)));
    const entries = [...weights.values()].filter((w) => w.gross.isPositive());
    const shares = allocate(Money.of(amount(refund.amount).toFixed(2), refund.currency), entries.map((w) => w.gross));
    entries.forEach((w, i) => credit(null, `Refund ${refund.refundId}${refund.reason ? `: ${refund.reason}` : ''} (${w.t.vat} % VAT)`, Decimal.of((shares[i] as Money).toContract().amount), Decimal.ONE, w.t));
  } else {
    for (const l of refund.lines) {
      const value = gross ? amount(l.total).add(amount(l.totalTax)) : amount(l.total);
      credit(l.sku, l.name, value, Decimal.of(l.quantity), tax(l.taxes, `Refunded line "${l.name}"`));
    }
    for (const s of refund.shippingLines) {
      const value = gross ? amount(s.total).add(amount(s.totalTax)) : amount(s.total);
      const orig = order.shippingLines.find((o) => o.lineId === s.orderLineId);
      const m = orig?.methodId ? mappings.shippingMethods[orig.methodId] : undefined;
      const t = tax(s.taxes, 'Refunded shipping');
      credit(null, orig ? orig.title : 'Shipping', value, Decimal.ONE, { vat: t.vat, account: m?.account ?? t.account });
    }
    for (const f of refund.feeLines) {
      const value = gross ? amount(f.total).add(amount(f.totalTax)) : amount(f.total);
      credit(null, f.name, value, Decimal.ONE, tax(f.taxes, `Refunded fee "${f.name}"`));
    }
  }
  const exp = expectedTotals(rows, gross);
  const storeTotal = amount(refund.amount).neg();
  const tolerance = CENT.mul(Math.max(rows.length, 1));
  if (exp.total.sub(storeTotal).abs().gt(tolerance)) throw mismatch(ctx, 'credit invoice', exp.total, storeTotal, tolerance);
  return {
    invoice: { ExternalInvoiceReference1: externalRef, YourOrderNumber: order.orderRef.orderNumber, Currency: refund.currency, VATIncluded: gross },
    rows,
    expected: { net: exp.net.toFixed(2), vatByRate: exp.vatByRate, total: exp.total.toFixed(2), storeTotal: storeTotal.toFixed(2), tolerance: tolerance.toFixed(2) },
  };
}

/**
 * The full credit of an invoice mapped by {@link toInvoice}: the same rows with negated quantities and discounts (a
 * positive AMOUNT discount on a negative quantity would add to the credit), under its own external reference.
 */
export function toFullCredit(invoice: MappedInvoice, externalRef: string): MappedInvoice {
  const neg = (v: string) => Decimal.of(v).neg().toFixed(2);
  return {
    invoice: { ...invoice.invoice, ExternalInvoiceReference1: externalRef },
    rows: invoice.rows.map(({ row, sku }) => ({
      sku,
      row: { ...row, DeliveredQuantity: -row.DeliveredQuantity, ...(row.Discount === undefined ? {} : { Discount: -row.Discount }) },
    })),
    expected: {
      net: neg(invoice.expected.net),
      vatByRate: Object.fromEntries(Object.entries(invoice.expected.vatByRate).map(([k, v]) => [k, neg(v)])),
      total: neg(invoice.expected.total),
      storeTotal: neg(invoice.expected.storeTotal),
      tolerance: invoice.expected.tolerance,
    },
  };
}
