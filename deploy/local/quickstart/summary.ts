// The summary, computed from the sources of truth: the stores' orders, refunds and products (WooCommerce REST API of
// each sandbox), the invoices, credit invoices, payments and vouchers of the Fortnox company (Fortnox API), the payouts
// (payout-reconciliation, and Stripe's own record from sandbox-psp), and what any service parked, with its reason.
import type { QuickstartConfig } from './config/quickstart.config';
import type { DemoTenant } from './demo-tenant';
import { bearer, call, expectOk, type FortnoxReader } from './http';
import type { Urls } from './stack';
import type { GroundTruthPayout, StockChange, WooProduct } from './traffic';

export interface WooOrderRow {
  id: number;
  number: string;
  status: string;
  total: string;
  currency: string;
  payment_method: string;
  refunds: Array<{ id: number; total: string }>;
}

export interface FortnoxInvoiceRow {
  DocumentNumber: string;
  ExternalInvoiceReference1: string;
  Total: number;
  Cancelled: boolean;
  Currency: string;
}

interface FortnoxInvoiceDetail extends FortnoxInvoiceRow {
  RoundOff: number;
  Credit: string | boolean;
  CreditInvoiceReference: string | number;
  Booked: boolean;
  Balance: number;
}

export interface ParkedEntry {
  service: string;
  subject: string;
  code: string;
  reason: string;
}

export interface Summary {
  ok: boolean;
  runId: string;
  durationSeconds: number;
  consoleUrl: string;
  orders: { store: number; invoices: number; lost: number; duplicated: number; parked: number; cancelled: number; cancelledVoidedOrCredited: number };
  refunds: { store: number; creditInvoices: number; lost: number; duplicated: number; parked: number };
  unexpectedDocuments: number;
  totals: Record<string, { orders: string; invoices: string; refunds: string; credits: string; agree: boolean }>;
  stock: { skus: number; stores: number; inSync: number; outOfSync: number };
  payouts: { payouts: number; booked: number; amount: string; payments: number; paymentsInFortnox: number; vouchers: number; fees: string; bankPayout: string; clearingNet: string; duplicated: number; agree: boolean };
  parked: { count: number; items: ParkedEntry[] };
  fortnoxRequests: number;
}

const cents = (v: string | number): number => Math.round(Number(v) * 100);
const money = (c: number): string => (c / 100).toFixed(2);

/** `LL|<tenant>|<store>|<order>[|<suffix>]`, as connector-fortnox stamps it on every document. */
export const refOf = (tenantId: string, storeId: string, orderId: number | string, suffix?: string): string => `LL|${tenantId}|${storeId}|${orderId}${suffix ? `|${suffix}` : ''}`;

/** Every order of every store (all statuses but trash), keyed by store. */
export async function storeOrders(tenant: DemoTenant): Promise<Map<string, WooOrderRow[]>> {
  const out = new Map<string, WooOrderRow[]>();
  for (const store of tenant.stores) out.set(store.storeId, await store.woo.all<WooOrderRow>('/orders', { status: 'any', orderby: 'id', order: 'asc' }));
  return out;
}

/** The documents each store order and refund must have become (reference → what). */
export function expectedDocuments(tenantId: string, orders: Map<string, WooOrderRow[]>): { invoices: Map<string, WooOrderRow>; credits: Map<string, { order: WooOrderRow; refund: { id: number; total: string } }>; cancellations: Map<string, WooOrderRow> } {
  const invoices = new Map<string, WooOrderRow>();
  const credits = new Map<string, { order: WooOrderRow; refund: { id: number; total: string } }>();
  const cancellations = new Map<string, WooOrderRow>();
  for (const [storeId, list] of orders) {
    for (const order of list) {
      invoices.set(refOf(tenantId, storeId, order.id), order);
      for (const refund of order.refunds) credits.set(refOf(tenantId, storeId, order.id, `R${refund.id}`), { order, refund });
      if (order.status === 'cancelled') cancellations.set(refOf(tenantId, storeId, order.id), order);
    }
  }
  return { invoices, credits, cancellations };
}

/** Everything parked or waiting for a person, across the services, with its reason. */
export async function parkedEverywhere(config: QuickstartConfig, tenant: DemoTenant, urls: Urls, missingRefs: string[]): Promise<ParkedEntry[]> {
  const items: ParkedEntry[] = [];
  const cp = expectOk('control-plane: parked', await call<{ items: Array<{ service: string; subject: string; code: string; operatorMessage: string }> }>('GET', `${urls.of('control-plane')}/api/parked`, undefined, bearer(config.secrets.controlPlaneBootstrapToken)));
  for (const i of cp.items) items.push({ service: i.service, subject: i.subject, code: i.code, reason: i.operatorMessage });
  const inv = expectOk('inventory-sync: parked', await call<{ events: Array<{ event_type: string; message_key: string; code: string; operator_message: string }> }>('GET', `${urls.of('inventory-sync')}/parked-events?status=parked`, undefined, bearer(config.secrets.inventorySyncAdminToken)));
  for (const e of inv.events) items.push({ service: 'inventory-sync', subject: `${e.event_type} (${e.message_key})`, code: e.code, reason: e.operator_message });
  const exceptions = expectOk('payout-reconciliation: exceptions', await call<Array<{ type: string; payoutId: string; lineId: string | null; code: string; reason: string }>>('GET', `${urls.of('payout-reconciliation')}/exceptions?tenantId=${tenant.tenantId}`, undefined, bearer(config.secrets.payoutAdminToken)));
  for (const e of exceptions) items.push({ service: 'payout-reconciliation', subject: `${e.type} ${e.payoutId}${e.lineId ? ` ${e.lineId}` : ''}`, code: e.code, reason: e.reason });
  // connector-fortnox has no listing of parked documents yet: read the sync log of each order whose document is missing.
  const seen = new Set<string>();
  for (const ref of missingRefs) {
    const [, , , orderId] = ref.split('|');
    const key = `${ref.split('|')[2]}:${orderId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const log = await call<{ documents: Array<{ externalRef: string; status: string; errorCode: string | null; operatorMessage: string | null }> }>('GET', `${urls.of('connector-fortnox')}/tenants/${tenant.tenantId}/orders/${orderId}/sync-log`);
    for (const d of log.status === 200 ? log.body.documents : []) {
      if (d.status === 'parked' && d.externalRef.startsWith(refOf(tenant.tenantId, ref.split('|')[2] ?? '', orderId ?? ''))) {
        items.push({ service: 'connector-fortnox', subject: d.externalRef, code: d.errorCode ?? 'UNKNOWN', reason: d.operatorMessage ?? '' });
      }
    }
  }
  return items;
}

/** Reads everything and compares. */
export async function buildSummary(opts: {
  config: QuickstartConfig;
  tenant: DemoTenant;
  urls: Urls;
  startedAt: number;
  consoleUrl: string;
  stock: StockChange[];
  payouts: GroundTruthPayout[];
  payoutInvoiceRefs: string[];
}): Promise<Summary> {
  const { config, tenant, urls } = opts;
  const fortnox: FortnoxReader = tenant.fortnox;
  const orders = await storeOrders(tenant);
  const expected = expectedDocuments(tenant.tenantId, orders);

  // Fortnox: the list, then each document (RoundOff and Credit are only in the document itself).
  const rows = await fortnox.list<FortnoxInvoiceRow>('/3/invoices', 'Invoices');
  const details: FortnoxInvoiceDetail[] = [];
  const queue = [...rows];
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) details.push((await fortnox.get<{ Invoice: FortnoxInvoiceDetail }>(`/3/invoices/${row.DocumentNumber}`)).Invoice);
    }),
  );
  const byRef = new Map<string, FortnoxInvoiceDetail[]>();
  for (const d of details) byRef.set(d.ExternalInvoiceReference1, [...(byRef.get(d.ExternalInvoiceReference1) ?? []), d]);
  const isCredit = (d: FortnoxInvoiceDetail) => d.Credit === true || d.Credit === 'true';

  const missing: string[] = [];
  let invoices = 0;
  let duplicatedInvoices = 0;
  let cancelledOk = 0;
  const totals = new Map<string, { orders: number; invoices: number; refunds: number; credits: number }>();
  const t = (currency: string) => totals.get(currency) ?? (totals.set(currency, { orders: 0, invoices: 0, refunds: 0, credits: 0 }), totals.get(currency) as { orders: number; invoices: number; refunds: number; credits: number });
  for (const [ref, order] of expected.invoices) {
    const docs = (byRef.get(ref) ?? []).filter((d) => !isCredit(d));
    t(order.currency).orders += cents(order.total);
    if (docs.length === 0) missing.push(ref);
    if (docs.length > 1) duplicatedInvoices += docs.length - 1;
    if (docs.length > 0) invoices++;
    for (const d of docs.slice(0, 1)) t(d.Currency).invoices += cents(d.Total) - cents(d.RoundOff ?? 0);
  }
  for (const [ref] of expected.cancellations) {
    const inv = (byRef.get(ref) ?? []).find((d) => !isCredit(d));
    if (inv?.Cancelled || (byRef.get(`${ref}|C`) ?? []).length === 1) cancelledOk++;
  }
  let credits = 0;
  let duplicatedCredits = 0;
  const missingCredits: string[] = [];
  for (const [ref, { order, refund }] of expected.credits) {
    const docs = byRef.get(ref) ?? [];
    t(order.currency).refunds += cents(refund.total);
    if (docs.length === 0) missingCredits.push(ref);
    if (docs.length > 1) duplicatedCredits += docs.length - 1;
    if (docs.length > 0) credits++;
    for (const d of docs.slice(0, 1)) t(d.Currency).credits += cents(d.Total) - cents(d.RoundOff ?? 0);
  }
  const known = new Set([...expected.invoices.keys(), ...expected.credits.keys(), ...[...expected.cancellations.keys()].map((r) => `${r}|C`)]);
  const unexpected = details.filter((d) => !known.has(d.ExternalInvoiceReference1)).length;

  // Stock: what each store shows now for the SKUs whose level changed in Fortnox.
  let inSync = 0;
  let outOfSync = 0;
  for (const store of tenant.stores) {
    const products = opts.stock.length ? await store.woo.all<WooProduct>('/products', { sku: opts.stock.map((s) => s.sku).join(',') }) : [];
    for (const change of opts.stock) {
      const p = products.find((x) => x.sku === change.sku);
      if (p && p.manage_stock && p.stock_quantity === change.availableStock) inSync++;
      else outOfSync++;
    }
  }

  // Payouts: payout-reconciliation's view, the connector's bookings, and Fortnox's payments and vouchers.
  const recon = expectOk('payout-reconciliation: payouts', await call<Array<{ payoutId: string; status: string; amount: string | null }>>('GET', `${urls.of('payout-reconciliation')}/payouts?tenantId=${tenant.tenantId}`, undefined, bearer(config.secrets.payoutAdminToken)));
  const booked = opts.payouts.filter((p) => recon.some((r) => r.payoutId === p.payoutId && r.status === 'booked')).length;
  const payoutInvoices = new Set(opts.payoutInvoiceRefs.map((ref) => (byRef.get(ref) ?? []).find((d) => !isCredit(d))?.DocumentNumber).filter((n): n is string => !!n).map(String));
  const payments = await fortnox.list<{ Number: number; InvoiceNumber: number; Amount: number }>('/3/invoicepayments', 'InvoicePayments');
  const ourPayments = payments.filter((p) => payoutInvoices.has(String(p.InvoiceNumber)));
  const perInvoice = new Map<string, number>();
  for (const p of ourPayments) perInvoice.set(String(p.InvoiceNumber), (perInvoice.get(String(p.InvoiceNumber)) ?? 0) + 1);
  const today = new Date().toISOString().slice(0, 10);
  const years = await fortnox.get<{ FinancialYears: Array<{ Id: number }> }>(`/3/financialyears?Date=${today}`);
  const yearId = years.FinancialYears[0]?.Id;
  const voucherRows = yearId ? await fortnox.list<{ VoucherSeries: string; VoucherNumber: number; ReferenceNumber?: string }>(`/3/vouchers/sublist/A?financialyear=${yearId}`, 'Vouchers') : [];
  const ours = voucherRows.filter((v) => (v.ReferenceNumber ?? '').startsWith(`LL|${tenant.tenantId}|PB|`));
  const perRef = new Map<string, number>();
  for (const v of ours) perRef.set(v.ReferenceNumber ?? '', (perRef.get(v.ReferenceNumber ?? '') ?? 0) + 1);
  let feeCents = 0;
  let bankCents = 0;
  for (const v of ours) {
    const full = await fortnox.get<{ Voucher: { VoucherRows: Array<{ Account: number; Debit: number; Credit: number }> } }>(`/3/vouchers/A/${v.VoucherNumber}?financialyear=${yearId}`);
    for (const r of full.Voucher.VoucherRows) {
      if (r.Account === 6570) feeCents += cents(r.Debit) - cents(r.Credit);
      if (r.Account === 1930) bankCents += cents(r.Debit) - cents(r.Credit);
    }
  }
  const paymentCents = ourPayments.reduce((s, p) => s + cents(p.Amount), 0);
  const payoutCents = opts.payouts.reduce((s, p) => s + cents(p.amount), 0);
  const expectedPayments = opts.payouts.reduce((s, p) => s + p.lines.filter((l) => l.type === 'payment').length, 0);
  const payoutDuplicates = [...perInvoice.values(), ...perRef.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
  const clearingNet = paymentCents - feeCents - bankCents;

  const parked = await parkedEverywhere(config, tenant, urls, [...missing, ...missingCredits]);
  const parkedOrders = missing.filter((ref) => parked.some((p) => p.service === 'connector-fortnox' && p.subject === ref)).length;
  const parkedRefunds = missingCredits.filter((ref) => parked.some((p) => p.service === 'connector-fortnox' && p.subject === ref)).length;

  const totalsOut: Summary['totals'] = {};
  for (const [currency, v] of [...totals].sort()) {
    totalsOut[currency] = { orders: money(v.orders), invoices: money(v.invoices), refunds: money(v.refunds), credits: money(v.credits), agree: v.orders === v.invoices && v.refunds === v.credits };
  }
  const summary: Summary = {
    ok: false,
    runId: config.runId,
    durationSeconds: Math.round((Date.now() - opts.startedAt) / 100) / 10,
    consoleUrl: opts.consoleUrl,
    orders: {
      store: expected.invoices.size,
      invoices,
      lost: missing.length - parkedOrders,
      duplicated: duplicatedInvoices,
      parked: parkedOrders,
      cancelled: expected.cancellations.size,
      cancelledVoidedOrCredited: cancelledOk,
    },
    refunds: { store: expected.credits.size, creditInvoices: credits, lost: missingCredits.length - parkedRefunds, duplicated: duplicatedCredits, parked: parkedRefunds },
    unexpectedDocuments: unexpected,
    totals: totalsOut,
    stock: { skus: opts.stock.length, stores: tenant.stores.length, inSync, outOfSync },
    payouts: {
      payouts: opts.payouts.length,
      booked,
      amount: money(payoutCents),
      payments: expectedPayments,
      paymentsInFortnox: ourPayments.length,
      vouchers: ours.length,
      fees: money(feeCents),
      bankPayout: money(bankCents),
      clearingNet: money(clearingNet),
      duplicated: payoutDuplicates,
      agree: booked === opts.payouts.length && ourPayments.length === expectedPayments && bankCents === payoutCents && clearingNet === 0,
    },
    parked: { count: parked.length, items: parked },
    fortnoxRequests: fortnox.requests,
  };
  const totalsAgree = Object.values(totalsOut).every((v) => v.agree || missing.length + missingCredits.length > 0);
  summary.ok =
    summary.orders.lost === 0 &&
    summary.orders.duplicated === 0 &&
    summary.refunds.lost === 0 &&
    summary.refunds.duplicated === 0 &&
    summary.unexpectedDocuments === 0 &&
    summary.orders.cancelledVoidedOrCredited === summary.orders.cancelled &&
    totalsAgree &&
    summary.stock.outOfSync === 0 &&
    summary.payouts.agree &&
    summary.payouts.duplicated === 0;
  return summary;
}

const fmt = (v: string) => Number(v).toLocaleString('sv-SE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const mark = (good: boolean) => (good ? 'ok ' : 'NO ');

/** The readable summary (the --once JSON line is printed after it). */
export function formatSummary(s: Summary): string[] {
  const lines: string[] = [];
  lines.push('');
  lines.push(`Summary of run ${s.runId} (from the stores, Fortnox, payout-reconciliation and the parked lists)`);
  lines.push(`  ${mark(s.orders.lost === 0 && s.orders.duplicated === 0)} orders → invoices        ${s.orders.store} orders in the stores, ${s.orders.invoices} invoices in Fortnox; lost ${s.orders.lost}, duplicated ${s.orders.duplicated}, parked ${s.orders.parked}`);
  lines.push(`  ${mark(s.orders.cancelledVoidedOrCredited === s.orders.cancelled)} cancellations           ${s.orders.cancelled} cancelled orders, ${s.orders.cancelledVoidedOrCredited} invoices voided or credited`);
  lines.push(`  ${mark(s.refunds.lost === 0 && s.refunds.duplicated === 0)} refunds → credit invoices ${s.refunds.store} refunds in the stores, ${s.refunds.creditInvoices} linked credit invoices; lost ${s.refunds.lost}, duplicated ${s.refunds.duplicated}, parked ${s.refunds.parked}`);
  lines.push(`  ${mark(s.unexpectedDocuments === 0)} other Fortnox documents  ${s.unexpectedDocuments} without a store order or refund`);
  for (const [currency, v] of Object.entries(s.totals)) {
    lines.push(`  ${mark(v.agree)} totals ${currency.padEnd(4)}             orders ${fmt(v.orders)} = invoices ${fmt(v.invoices)} (Total − RoundOff); refunds ${fmt(v.refunds)} = credits ${fmt(v.credits)}`);
  }
  lines.push(`  ${mark(s.stock.outOfSync === 0)} stock                   ${s.stock.skus} SKUs changed in Fortnox × ${s.stock.stores} stores: ${s.stock.inSync} in sync, ${s.stock.outOfSync} not`);
  const p = s.payouts;
  lines.push(
    `  ${mark(p.agree && p.duplicated === 0)} payouts                 ${p.booked}/${p.payouts} Stripe payout(s) booked, ${fmt(p.amount)} SEK: ${p.paymentsInFortnox}/${p.payments} invoice payments in Fortnox, fees ${fmt(p.fees)} (6570), bank ${fmt(p.bankPayout)} (1930), clearing 1580 nets to ${fmt(p.clearingNet)}; duplicated ${p.duplicated}`,
  );
  lines.push(`  ${s.parked.count === 0 ? 'ok ' : '!  '} parked                  ${s.parked.count === 0 ? 'nothing' : `${s.parked.count}:`}`);
  for (const i of s.parked.items.slice(0, 20)) lines.push(`        [${i.service}] ${i.code} ${i.subject}: ${i.reason}`);
  lines.push(`  ${s.ok ? 'Everything synced: nothing lost, nothing duplicated, totals agree.' : 'NOT everything agrees (see the NO lines above).'} ${s.durationSeconds} s since start.`);
  return lines;
}

/** The --once line: one JSON object with the counts and totals (parked items as code and subject). */
export function summaryJson(s: Summary): string {
  return JSON.stringify({ ...s, parked: { count: s.parked.count, items: s.parked.items.map((i) => ({ service: i.service, code: i.code, subject: i.subject })) } });
}
