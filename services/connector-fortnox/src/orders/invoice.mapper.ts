import type { CanonicalOrder, LineTax, OrderCancelled, OrderRefunded, TaxLine } from '@ledgerline/contracts';
import { LedgerlineError, resolveMapping, type ErrorContext } from '@ledgerline/erp-kit';
import { allocate, Decimal, Money, RoundingMode } from '@ledgerline/money';
import type { CustomerWrite, InvoiceRow, InvoiceWrite, VATType } from '../client/fortnox.types';
import type { TaxCodeMapping, TenantMappings } from '../persistence/store.repository';

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

/** The intent payload of an invoice payment: the order was paid in the store and the tenant registers payments. */
export interface PaymentIntentPayload {
  payment: { orderRef: CanonicalOrder['orderRef']; paidAt: string; modeOfPayment: string; modeOfPaymentAccount?: number };
  paymentFor: { sourceId: string };
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
/** VAT rates a Fortnox invoice row takes (sandbox error 2999002 otherwise). */
export const FORTNOX_VAT_RATES = new Set([25, 12, 6, 0]);
/** BAS 3740 "Öres- och kronutjämning": where the rounding row of {@link toInvoice} is booked (in the sandbox's chart). */
export const ROUNDING_ACCOUNT = 3740;
/** Tax-code keys for untaxed rows of an EU B2B order with a VAT number (reverse charge) and of an order outside the EU. */
export const REVERSE_CHARGE_KEY = 'EU:reverse-charge';
export const EXPORT_KEY = 'export';

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
function rateOfLine(taxes: LineTax[], order: Pick<CanonicalOrder, 'taxLines' | 'billingAddress' | 'customer'>, ctx: MapContext, label: string) {
  const charged = taxes.filter((t) => !Decimal.of(t.total.amount).isZero());
  if (charged.length === 0) {
    // Untaxed: reverse charge and export have their own sales accounts (BAS 3108 / 3105), whatever the country.
    const vatType = vatTypeOf(order);
    if (vatType === 'EUREVERSEDVAT') return { key: REVERSE_CHARGE_KEY, percent: '0', label: 'EU reverse charge (customer with a VAT number, no VAT)' };
    if (vatType === 'EXPORT') return { key: EXPORT_KEY, percent: '0', label: 'export outside the EU (no VAT)' };
  }
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

/** Fortnox's VAT type for the order's customer: SE → SEVAT; other EU with a VAT number → EUREVERSEDVAT, without → EUVAT (OSS); else EXPORT. */
export function vatTypeOf(order: Pick<CanonicalOrder, 'billingAddress' | 'customer'>): VATType {
  const country = order.billingAddress.country ?? 'SE';
  return country === 'SE' ? 'SEVAT' : EU.has(country) ? (order.customer.vatNumber ? 'EUREVERSEDVAT' : 'EUVAT') : 'EXPORT';
}

/** The Fortnox customer for the order's billing details, with the VAT type its country and VAT number call for. */
export function toCustomer(order: CanonicalOrder): CustomerWrite {
  const b = order.billingAddress;
  const country = b.country ?? 'SE';
  const vatType = vatTypeOf(order);
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

/** A resolved tax mapping: `oss` when its rate is not one a Fortnox row takes (its VAT goes on `vatAccount`). */
interface RowTax {
  vat: number;
  account: number;
  oss: { key: string; vatAccount: number } | null;
}

function resolveTax(taxes: LineTax[], order: CanonicalOrder, mappings: TenantMappings, ctx: MapContext, label: string): RowTax {
  const rate = rateOfLine(taxes, order, ctx, label);
  const m: TaxCodeMapping = resolveMapping(mappings.taxCodes, rate.key, { what: 'tax-code', tenant: ctx.tenantId, where: ctx.where, label: rate.label });
  if (FORTNOX_VAT_RATES.has(m.vat)) return { vat: m.vat, account: m.account, oss: null };
  const vatAccount = resolveMapping(() => m.vatAccount, rate.key, { what: 'account', tenant: ctx.tenantId, where: ctx.where, label: `OSS output-VAT account (vatAccount) of ${rate.label}` });
  return { vat: 0, account: m.account, oss: { key: `${rate.key}:${m.vat}`, vatAccount } };
}

/** Collects the store's VAT of OSS rates, to book it as rows of their own on the mapped VAT account. */
class OssVat {
  private readonly byKey = new Map<string, { vatAccount: number; sum: Decimal }>();

  add(t: RowTax, vat: Decimal): void {
    if (!t.oss) return;
    const prev = this.byKey.get(t.oss.key);
    this.byKey.set(t.oss.key, { vatAccount: t.oss.vatAccount, sum: (prev?.sum ?? Decimal.ZERO).add(vat) });
  }

  /** One VAT-0 row per OSS rate (`DE:19:19` → "Moms DE 19 % (OSS)"), positive quantity for invoices, negative for credits. */
  rows(sign: 1 | -1): MappedRow[] {
    return [...this.byKey].map(([key, { vatAccount, sum }]) => {
      const [country, , percent] = key.split(':');
      return { sku: null, row: { Description: `Moms ${country} ${percent} % (OSS)`, Price: num(sum.abs()), DeliveredQuantity: sign, VAT: 0, AccountNumber: vatAccount } };
    });
  }
}

/** `CurrencyRate` / `CurrencyUnit` from the tenant's currency mapping for a non-SEK document. */
function currencyOf(currency: string, mappings: TenantMappings, ctx: MapContext): Pick<InvoiceWrite, 'Currency' | 'CurrencyRate' | 'CurrencyUnit'> {
  if (currency === 'SEK') return { Currency: currency };
  const m = resolveMapping(mappings.currencies ?? {}, currency, { what: 'currency', tenant: ctx.tenantId, where: ctx.where, label: `currency ${currency} (rate to SEK)` });
  return { Currency: currency, CurrencyRate: m.rate, CurrencyUnit: m.unit ?? 1 };
}

/**
 * Checks Fortnox's arithmetic (before its whole-krona RoundOff) against the store's total: a difference within the
 * tolerance (one öre per row) becomes a VAT-0 rounding row on 3740 so Net + TotalVAT is the store's total to the cent;
 * a larger one throws FORTNOX_INVOICE_TOTAL_MISMATCH (parked, nothing sent).
 */
function balance(rows: MappedRow[], gross: boolean, storeTotal: Decimal, ctx: MapContext, what: string): MappedInvoice['expected'] {
  const tolerance = CENT.mul(Math.max(rows.length, 1));
  let exp = expectedTotals(rows, gross);
  const diff = storeTotal.sub(exp.total);
  if (diff.abs().gt(tolerance)) throw mismatch(ctx, what, exp.total, storeTotal, tolerance);
  if (!diff.isZero()) {
    rows.push({ sku: null, row: { Description: 'Öresutjämning', Price: num(diff.abs()), DeliveredQuantity: diff.isNegative() ? -1 : 1, VAT: 0, AccountNumber: ROUNDING_ACCOUNT } });
    exp = expectedTotals(rows, gross);
  }
  return { net: exp.net.toFixed(2), vatByRate: exp.vatByRate, total: exp.total.toFixed(2), storeTotal: storeTotal.toFixed(2), tolerance: tolerance.toFixed(2) };
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
  const tax = (taxes: LineTax[], label: string) => resolveTax(taxes, order, mappings, ctx, label);
  const ossVat = new OssVat();
  // OSS rows are net (VAT 0); their VAT is collected for the OSS VAT rows.
  const value = (t: RowTax, total: { amount: string }, totalTax: { amount: string }) => {
    ossVat.add(t, amount(totalTax));
    return gross && !t.oss ? amount(total).add(amount(totalTax)) : amount(total);
  };
  const rows: MappedRow[] = [];
  for (const line of order.lines) {
    const t = tax(line.taxes, `Line "${line.name}"`);
    const before = gross && !t.oss ? amount(line.subtotal).add(amount(line.subtotalTax)) : amount(line.subtotal);
    const after = value(t, line.total, line.totalTax);
    rows.push({ sku: line.sku, row: { Description: line.name, ...priceRow(before, after, Decimal.of(line.quantity)), VAT: t.vat, AccountNumber: t.account } });
  }
  for (const s of order.shippingLines) {
    const t = tax(s.taxes, `Shipping "${s.title}"`);
    // Shipping keeps the tax code's account for OSS / reverse charge / export (the method's account is domestic).
    const m = s.methodId && t.vat !== 0 ? mappings.shippingMethods[s.methodId] : undefined;
    const v = value(t, s.total, s.totalTax);
    rows.push({
      sku: null,
      row: { ...(m?.articleNumber ? { ArticleNumber: m.articleNumber } : {}), Description: s.title, Price: num(v), DeliveredQuantity: 1, VAT: t.vat, AccountNumber: m?.account ?? t.account },
    });
  }
  for (const f of order.feeLines) {
    const t = tax(f.taxStatus === 'none' ? [] : f.taxes, `Fee "${f.name}"`);
    rows.push({ sku: null, row: { Description: f.name, Price: num(value(t, f.total, f.totalTax)), DeliveredQuantity: 1, VAT: t.vat, AccountNumber: t.account } });
  }
  rows.push(...ossVat.rows(1));

  const payment = order.paymentMethod
    ? resolveMapping(mappings.paymentMethods, order.paymentMethod.id, {
        what: 'payment-method',
        tenant: ctx.tenantId,
        where: ctx.where,
        label: `payment method "${order.paymentMethod.id}"`,
      })
    : undefined;

  const currency = currencyOf(order.currency, mappings, ctx);
  const expected = balance(rows, gross, amount(order.totals.total), ctx, 'invoice');
  return {
    invoice: {
      ExternalInvoiceReference1: externalRef,
      YourOrderNumber: order.orderRef.orderNumber,
      ...currency,
      VATIncluded: gross,
      ...(payment?.termsOfPayment ? { TermsOfPayment: payment.termsOfPayment } : {}),
    },
    rows,
    expected,
  };
}

/**
 * Maps a refund of `order` to a Fortnox credit invoice (negative quantities): refunded lines, shipping and fees with
 * the VAT and account of the order's rows, or, for an amount-only refund, the amount spread over the order's VAT rates
 * in proportion to what the order charged at each (prices including VAT). `CreditInvoiceReference` is set by the port.
 */
export function toCreditInvoice(refund: OrderRefunded, order: CanonicalOrder, mappings: TenantMappings, ctx: MapContext, externalRef: string): MappedInvoice {
  const tax = (taxes: LineTax[], label: string) => resolveTax(taxes, order, mappings, ctx, label);
  const gross = refund.amountOnly || order.pricesIncludeTax;
  const ossVat = new OssVat();
  const value = (t: RowTax, total: { amount: string }, totalTax: { amount: string }) => {
    ossVat.add(t, amount(totalTax));
    return gross && !t.oss ? amount(total).add(amount(totalTax)) : amount(total);
  };
  const rows: MappedRow[] = [];
  const credit = (sku: string | null, description: string, value: Decimal, qty: Decimal, t: RowTax) => {
    const q = qty.isPositive() ? qty : Decimal.ONE;
    const unit = value.div(q, 2, RoundingMode.HALF_UP);
    const exact = unit.mul(q).eq(value);
    rows.push({ sku, row: { Description: description, Price: num(exact ? unit : value), DeliveredQuantity: -Number((exact ? q : Decimal.ONE).toString()), VAT: t.vat, AccountNumber: t.account } });
  };
  if (refund.amountOnly) {
    // Weights: what the order charged per tax mapping, tax included.
    const weights = new Map<string, { t: RowTax; gross: Decimal }>();
    const add = (taxes: LineTax[], label: string, value: Decimal) => {
      const t = tax(taxes, label);
      const k = `${t.vat}:${t.account}:${t.oss?.key ?? ''}`;
      weights.set(k, { t, gross: (weights.get(k)?.gross ?? Decimal.ZERO).add(value) });
    };
    for (const l of order.lines) add(l.taxes, `Line "${l.name}"`, amount(l.total).add(amount(l.totalTax)));
    for (const s of order.shippingLines) add(s.taxes, `Shipping "${s.title}"`, amount(s.total).add(amount(s.totalTax)));
    for (const f of order.feeLines) add(f.taxStatus === 'none' ? [] : f.taxes, `Fee "${f.name}"`, amount(f.total).add(amount(f.totalTax)));
    const entries = [...weights.values()].filter((w) => w.gross.isPositive());
    const shares = allocate(Money.of(amount(refund.amount).toFixed(2), refund.currency), entries.map((w) => w.gross));
    entries.forEach((w, i) => {
      const share = Decimal.of((shares[i] as Money).toContract().amount);
      const label = `Refund ${refund.refundId}${refund.reason ? `: ${refund.reason}` : ''}`;
      if (!w.t.oss) return credit(null, `${label} (${w.t.vat} % VAT)`, share, Decimal.ONE, w.t);
      // OSS: the gross share split into net (VAT-0 row) and the destination rate's VAT (OSS VAT row).
      const rate = Number(w.t.oss.key.split(':')[2]);
      const vat = share.mul(rate).div(100 + rate, 2, RoundingMode.HALF_UP);
      ossVat.add(w.t, vat);
      return credit(null, `${label} (${w.t.oss.key.split(':')[0]} ${rate} % VAT, OSS)`, share.sub(vat), Decimal.ONE, w.t);
    });
  } else {
    for (const l of refund.lines) {
      const t = tax(l.taxes, `Refunded line "${l.name}"`);
      credit(l.sku, l.name, value(t, l.total, l.totalTax), Decimal.of(l.quantity), t);
    }
    for (const s of refund.shippingLines) {
      const orig = order.shippingLines.find((o) => o.lineId === s.orderLineId);
      const t = tax(s.taxes, 'Refunded shipping');
      const m = orig?.methodId && t.vat !== 0 ? mappings.shippingMethods[orig.methodId] : undefined;
      credit(null, orig ? orig.title : 'Shipping', value(t, s.total, s.totalTax), Decimal.ONE, { ...t, account: m?.account ?? t.account });
    }
    for (const f of refund.feeLines) {
      const t = tax(f.taxes, `Refunded fee "${f.name}"`);
      credit(null, f.name, value(t, f.total, f.totalTax), Decimal.ONE, t);
    }
  }
  rows.push(...ossVat.rows(-1));
  const currency = currencyOf(refund.currency, mappings, ctx);
  const expected = balance(rows, gross, amount(refund.amount).neg(), ctx, 'credit invoice');
  return {
    invoice: { ExternalInvoiceReference1: externalRef, YourOrderNumber: order.orderRef.orderNumber, ...currency, VATIncluded: gross },
    rows,
    expected,
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
