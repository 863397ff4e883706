import { MAPPING_KINDS, MappingMissingError, resolveMapping, type MappingKind } from '@ledgerline/erp-kit';
import { Decimal } from '@ledgerline/money';
import type { WooLineTax, WooOrder } from '@ledgerline/woocommerce';
import type { ErpMappings } from './mapping';

/** A row of the document an order would become. */
export interface DryRunRow {
  description: string;
  quantity: string;
  /** Net amount of the row (after discounts), in the order's currency. */
  amount: string;
  vat: number | null;
  account: number | null;
  articleNumber?: string;
  /** Which mapping entry decided the row: `taxCodes["SE:25"]`, `shippingMethods["flat_rate"]`. */
  mappedBy: string | null;
}

/** A mapping an order needs and the tenant has not got. */
export interface MissingMapping {
  kind: MappingKind;
  section: string;
  key: string;
  code: string;
  /** `tax rate SE 12% has no VAT code: map it under Mappings → Tax codes`. */
  hint: string;
  /** The operator message the connector would park the event with. */
  operatorMessage: string;
}

/** The dry run of one order. */
export interface DryRunResult {
  orderId: number;
  orderNumber: string;
  createdAt: string | null;
  email: string | null;
  currency: string;
  total: string;
  outcome: 'would-create' | 'would-park';
  document: { kind: 'invoice'; erp: string; yourOrderNumber: string; customerEmail: string | null; vatType: string; currency: string; rows: DryRunRow[]; paymentMode: string | null };
  missing: MissingMapping[];
}

const EU = new Set('AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '));
const SECTION: Partial<Record<MappingKind, string>> = { 'tax-code': 'taxCodes', 'payment-method': 'paymentMethods', currency: 'currencies', account: 'taxCodes' };
const NOUN: Partial<Record<MappingKind, string>> = { 'tax-code': 'VAT code and sales account', 'payment-method': 'mode of payment', currency: 'rate to SEK', account: 'OSS VAT account' };

const percentOf = (p: string | number | null | undefined): string => {
  const s = String(p ?? '0');
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
};

function vatNumberOf(o: WooOrder): string | null {
  for (const m of o.meta_data ?? []) {
    if (['_billing_vat_number', '_vat_number', 'vat_number', '_billing_eu_vat_number'].includes(m.key) && typeof m.value === 'string' && m.value.trim()) return m.value;
  }
  return null;
}

/**
 * What the connector would make of a WooCommerce order with the tenant's mapping, without calling the ERP. It
 * reproduces connector-fortnox's key derivation (invoice.mapper.ts: `<country>:<percent>` from the tax rate code or
 * the billing country; reverse charge and export for untaxed EU-B2B and non-EU rows) and resolves every key with
 * erp-kit's `resolveMapping`, collecting each missing entry instead of stopping at the first.
 */
export function dryRunOrder(order: WooOrder, mappings: ErpMappings, ctx: { tenantId: string; storeId: string; erp: string }): DryRunResult {
  const missing = new Map<string, MissingMapping>();
  const where = { storeId: ctx.storeId, orderRef: order.number || String(order.id), erp: ctx.erp, documentKind: 'invoice' as const };
  const resolve = <V>(kind: MappingKind, table: Record<string, V>, key: string, label: string): V | null => {
    try {
      return resolveMapping(table, key, { what: kind, tenant: ctx.tenantId, where, label });
    } catch (err) {
      if (!(err instanceof MappingMissingError)) throw err;
      const section = SECTION[kind] ?? kind;
      missing.set(`${section}:${key}`, {
        kind,
        section,
        key,
        code: err.code,
        hint: `${label} has no ${NOUN[kind] ?? MAPPING_KINDS[kind].noun}: map it under ${MAPPING_KINDS[kind].screen}`,
        operatorMessage: err.operatorMessage,
      });
      return null;
    }
  };
  const country = (order.billing?.country || 'SE').toUpperCase();
  const vatType = country === 'SE' ? 'SEVAT' : EU.has(country) ? (vatNumberOf(order) ? 'EUREVERSEDVAT' : 'EUVAT') : 'EXPORT';
  const taxOf = (taxes: readonly WooLineTax[] | undefined) => {
    const charged = (taxes ?? []).filter((t) => t.total !== '' && !Decimal.of(t.total).isZero());
    if (charged.length === 0 && vatType === 'EUREVERSEDVAT') return { key: 'EU:reverse-charge', label: 'EU reverse charge (customer with a VAT number, no VAT)' };
    if (charged.length === 0 && vatType === 'EXPORT') return { key: 'export', label: 'export outside the EU (no VAT)' };
    const used = charged[0] ?? (taxes ?? [])[0];
    const line = used ? (order.tax_lines ?? []).find((t) => t.rate_id === used.id) : undefined;
    const c = /^([A-Z]{2})-/.exec(line?.rate_code ?? '')?.[1] ?? country;
    const percent = line ? percentOf(line.rate_percent) : '0';
    return { key: `${c}:${percent}`, label: `tax rate ${c} ${percent}%` };
  };
  const rows: DryRunRow[] = [];
  const taxRow = (description: string, quantity: string, amount: string, taxes: readonly WooLineTax[] | undefined, override?: { account?: number; articleNumber?: string; by: string }) => {
    const t = taxOf(taxes);
    const m = resolve('tax-code', mappings.taxCodes, t.key, t.label);
    if (m && ![25, 12, 6, 0].includes(m.vat)) resolve('account', { [t.key]: m.vatAccount as number }, t.key, `OSS output-VAT account (vatAccount) of ${t.label}`);
    rows.push({
      description,
      quantity,
      amount: Decimal.of(amount || '0').toFixed(2),
      vat: m ? ([25, 12, 6, 0].includes(m.vat) ? m.vat : 0) : null,
      account: override?.account ?? m?.account ?? null,
      ...(override?.articleNumber ? { articleNumber: override.articleNumber } : {}),
      mappedBy: override ? override.by : m ? `taxCodes["${t.key}"]` : null,
    });
  };
  for (const l of order.line_items ?? []) taxRow(l.name, String(l.quantity), l.total, l.taxes);
  for (const s of order.shipping_lines ?? []) {
    const m = s.method_id ? mappings.shippingMethods[s.method_id] : undefined;
    taxRow(s.method_title || s.method_id || 'Shipping', '1', s.total, s.taxes, m ? { ...m, by: `shippingMethods["${s.method_id}"]` } : undefined);
  }
  for (const f of order.fee_lines ?? []) {
    const m = mappings.fees[f.name] ?? mappings.fees['default'];
    taxRow(f.name, '1', f.total, f.tax_status === 'none' ? [] : f.taxes, m ? { account: m.account, by: `fees["${mappings.fees[f.name] ? f.name : 'default'}"]` } : undefined);
  }
  const payment = order.payment_method ? resolve('payment-method', mappings.paymentMethods, order.payment_method, `payment method "${order.payment_method}"`) : null;
  if (order.currency !== 'SEK') resolve('currency', mappings.currencies, order.currency, `currency ${order.currency} (rate to SEK)`);
  const number = order.number || String(order.id);
  return {
    orderId: order.id,
    orderNumber: number,
    createdAt: order.date_created_gmt ? `${order.date_created_gmt.replace(' ', 'T')}Z` : null,
    email: order.billing?.email || null,
    currency: order.currency,
    total: order.total,
    outcome: missing.size > 0 ? 'would-park' : 'would-create',
    document: { kind: 'invoice', erp: ctx.erp, yourOrderNumber: number, customerEmail: order.billing?.email || null, vatType, currency: order.currency, rows, paymentMode: payment?.modeOfPayment ?? null },
    missing: [...missing.values()],
  };
}
