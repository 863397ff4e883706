// Issue #4 corpus: store orders and refunds covering every case of the Build list become Fortnox invoices and credit
// invoices whose totals and VAT per rate equal the store's to the cent, read back through the sandbox API.
//
// What "equal" means here:
// - Total: Fortnox's `Total − RoundOff` (= Net + TotalVAT) equals the store's total (or −refund amount) to the cent.
//   SEK invoices are rounded to whole kronor by Fortnox (öresutjämning, booked by Fortnox on 3740), so
//   `Total` itself is the store total rounded half away from zero and |RoundOff| < 0.50; EUR is not rounded
//   (RoundOff 0, Total equals the store total).
// - VAT per rate: Fortnox states VAT per rate on the sum of that rate's rows (sandbox README, "VAT"), so for each
//   Swedish rate we take the rows at that rate from the read invoice and apply that rule; the rates must add up to
//   Fortnox's `TotalVAT`, and each must equal the store's tax of that rate (tax lines incl. shipping tax, or the
//   refunded lines' taxes). OSS VAT (a foreign rate, DE 19 %) is the row on the mapped OSS VAT account (2616).
//   An amount-only refund has no per-rate VAT in the store: its VAT per rate is the refund spread by what each rate
//   charged (asserted against the figures computed by hand below).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { envelope, exampleOrder, orderKey, OrderCancelled, OrderPlaced, OrderRefunded, type CanonicalOrder } from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import type { FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import { eventually, type TestDatabase } from '@ledgerline/testing';
import { startConnector, type ConnectorUnderTest } from './connector.harness';
import { externalRefOf } from '../src/orders/invoice.mapper';
import type { TenantMappings } from '../src/persistence/store.repository';
import { baseMappings, exchangeCode, mixedRateOrder, orderWithOptionalBook } from './support';

interface Row {
  Description: string;
  VAT: number;
  AccountNumber: number;
  Total: number;
  DeliveredQuantity: string;
  Price: number;
}
interface FortnoxInvoice {
  DocumentNumber: string;
  Total: number;
  TotalVAT: number;
  Net: number;
  RoundOff: number;
  Currency: string;
  CurrencyRate: number;
  Credit: string;
  Cancelled: boolean;
  CreditInvoiceReference: string;
  VATIncluded: boolean;
  CustomerNumber: string;
  InvoiceRows: Row[];
}

const OSS_VAT_ACCOUNT = 2616;
const corpusMappings = (): TenantMappings => ({
  ...baseMappings(true),
  taxCodes: {
    ...baseMappings(true).taxCodes,
    'DE:19': { vat: 19, account: 3106, vatAccount: OSS_VAT_ACCOUNT },
    'EU:reverse-charge': { vat: 0, account: 3108 },
    export: { vat: 0, account: 3105 },
  },
  currencies: { EUR: { rate: 11.45 } },
});

const cents = (v: number | string) => Math.round(Number(v) * 100);
const money = (currency: string) => (amount: string) => ({ amount, currency });
const sek = money('SEK');
const eur = money('EUR');

/** VAT per Swedish rate as Fortnox states it (per rate on the sum of its rows), in cents; OSS VAT rows by account. */
function vatPerRate(inv: FortnoxInvoice): Record<string, number> {
  const byRate = new Map<number, number>();
  for (const r of inv.InvoiceRows) byRate.set(r.VAT, (byRate.get(r.VAT) ?? 0) + cents(r.Total));
  const out: Record<string, number> = {};
  for (const [rate, sum] of byRate) {
    if (rate === 0) continue;
    const vat = inv.VATIncluded ? (sum * rate) / (100 + rate) : (sum * rate) / 100;
    out[String(rate)] = Math.sign(vat) * Math.round(Math.abs(vat));
  }
  const oss = inv.InvoiceRows.filter((r) => r.AccountNumber === OSS_VAT_ACCOUNT).reduce((s, r) => s + cents(r.Total), 0);
  if (oss !== 0) out['OSS DE 19'] = oss;
  return out;
}

/** The store's tax per rate of an order, in cents: tax lines (items + shipping) by percent. */
function storeVat(order: CanonicalOrder): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of order.taxLines) {
    const key = t.rateCode.startsWith('DE-') ? 'OSS DE 19' : String(Number(t.ratePercent));
    out[key] = (out[key] ?? 0) + cents(t.taxTotal.amount) + cents(t.shippingTaxTotal.amount);
  }
  return out;
}

/** Asserts the definition at the top of this file. */
function expectEqualToStore(inv: FortnoxInvoice | undefined, storeTotal: string, vat: Record<string, number>) {
  expect(inv).toBeDefined();
  const i = inv as FortnoxInvoice;
  expect(cents(i.Total) - cents(i.RoundOff)).toBe(cents(storeTotal));
  expect(cents(i.Net) + cents(i.TotalVAT)).toBe(cents(storeTotal));
  if (i.Currency === 'SEK') {
    expect(cents(i.Total)).toBe(Math.sign(cents(storeTotal)) * Math.round(Math.abs(cents(storeTotal)) / 100) * 100);
    expect(Math.abs(cents(i.RoundOff))).toBeLessThan(50);
  } else {
    expect(i.RoundOff).toBe(0);
    expect(cents(i.Total)).toBe(cents(storeTotal));
  }
  const perRate = vatPerRate(i);
  expect(perRate).toEqual(vat);
  const swedish = Object.entries(perRate).filter(([k]) => !k.startsWith('OSS')).reduce((s, [, v]) => s + v, 0);
  expect(swedish).toBe(cents(i.TotalVAT));
}

/** Two variations (S, M) of one T-shirt at 25 %, prices incl. VAT: 199.00 + 2 × 99.90 + 49.00 shipping = 447.80. */
function variationsOrder(ref: CanonicalOrder['orderRef']): CanonicalOrder {
  const order = exampleOrder(ref);
  const line = (lineId: string, variationId: string, sku: string, name: string, qty: string, net: string, tax: string) => ({
    lineId, productId: '40', variationId, sku, name, quantity: qty, taxClass: null, unitPrice: sek(net), subtotal: sek(net), subtotalTax: sek(tax), total: sek(net), totalTax: sek(tax),
    taxes: [{ rateId: '1', total: sek(tax), subtotal: sek(tax) }],
  });
  order.lines = [line('1', '41', 'TEE-S', 'T-shirt – S', '1', '159.20', '39.80'), line('2', '42', 'TEE-M', 'T-shirt – M', '2', '159.84', '39.96')];
  order.shippingLines = order.shippingLines.map((s) => ({ ...s, lineId: '3' }));
  order.taxLines = [{ lineId: '4', rateId: '1', rateCode: 'SE-MOMS-1', label: 'Moms', compound: false, ratePercent: '25.0000', taxTotal: sek('79.76'), shippingTaxTotal: sek('9.80') }];
  order.totals = { ...order.totals, totalTax: sek('89.56'), total: sek('447.80') };
  return order;
}

/** A consumer in Germany under OSS, in EUR, prices incl. 19 % DE VAT: 2 × 59.50 + 11.90 shipping = 130.90 (VAT 20.90). */
function ossOrder(ref: CanonicalOrder['orderRef']): CanonicalOrder {
  const order = exampleOrder(ref);
  const de = { ...order.billingAddress, address1: 'Unter den Linden 5', city: 'Berlin', postcode: '10117', country: 'DE' };
  order.currency = 'EUR';
  order.customer = { ...order.customer, email: 'jonas@example.de', firstName: 'Jonas', lastName: 'Weber' };
  order.billingAddress = de;
  order.shippingAddress = { ...de };
  order.lines = [{ lineId: '1', productId: '10', variationId: null, sku: 'MUG-BLUE', name: 'Blue mug', quantity: '2', taxClass: null, unitPrice: eur('50.00'), subtotal: eur('100.00'), subtotalTax: eur('19.00'), total: eur('100.00'), totalTax: eur('19.00'), taxes: [{ rateId: '9', total: eur('19.00'), subtotal: eur('19.00') }] }];
  order.shippingLines = [{ lineId: '2', methodId: 'flat_rate', instanceId: '1', title: 'DHL', total: eur('10.00'), totalTax: eur('1.90'), taxes: [{ rateId: '9', total: eur('1.90'), subtotal: null }] }];
  order.taxLines = [{ lineId: '3', rateId: '9', rateCode: 'DE-MWST-1', label: 'MwSt.', compound: false, ratePercent: '19.0000', taxTotal: eur('19.00'), shippingTaxTotal: eur('1.90') }];
  order.totals = { discount: eur('0.00'), discountTax: eur('0.00'), shipping: eur('10.00'), shippingTax: eur('1.90'), totalTax: eur('20.90'), total: eur('130.90') };
  return order;
}

/** A German company with a VAT number, in EUR, no VAT charged (reverse charge): 4 × 250.00 = 1000.00. */
function reverseChargeOrder(ref: CanonicalOrder['orderRef']): CanonicalOrder {
  const order = ossOrder(ref);
  order.customer = { ...order.customer, email: 'einkauf@example-gmbh.de', company: 'Beispiel GmbH', vatNumber: 'DE123456789' };
  order.lines = [{ lineId: '1', productId: '10', variationId: null, sku: 'MUG-BLUE', name: 'Blue mug', quantity: '4', taxClass: null, unitPrice: eur('250.00'), subtotal: eur('1000.00'), subtotalTax: eur('0.00'), total: eur('1000.00'), totalTax: eur('0.00'), taxes: [] }];
  order.shippingLines = [];
  order.taxLines = [];
  order.totals = { discount: eur('0.00'), discountTax: eur('0.00'), shipping: eur('0.00'), shippingTax: eur('0.00'), totalTax: eur('0.00'), total: eur('1000.00') };
  return order;
}

/** A customer in Norway, in SEK, no VAT (export): 500.00 + 100.00 shipping = 600.00. */
function exportOrder(ref: CanonicalOrder['orderRef']): CanonicalOrder {
  const order = exampleOrder(ref);
  const no = { ...order.billingAddress, address1: 'Karl Johans gate 1', city: 'Oslo', postcode: '0154', country: 'NO' };
  order.customer = { ...order.customer, email: 'ola@example.no', firstName: 'Ola', lastName: 'Nordmann' };
  order.billingAddress = no;
  order.shippingAddress = { ...no };
  order.lines = [{ lineId: '1', productId: '10', variationId: null, sku: 'MUG-BLUE', name: 'Blue mug', quantity: '5', taxClass: null, unitPrice: sek('100.00'), subtotal: sek('500.00'), subtotalTax: sek('0.00'), total: sek('500.00'), totalTax: sek('0.00'), taxes: [] }];
  order.shippingLines = [{ lineId: '2', methodId: 'flat_rate', instanceId: '1', title: 'Posten', total: sek('100.00'), totalTax: sek('0.00'), taxes: [] }];
  order.taxLines = [];
  order.totals = { discount: sek('0.00'), discountTax: sek('0.00'), shipping: sek('100.00'), shippingTax: sek('0.00'), totalTax: sek('0.00'), total: sek('600.00') };
  return order;
}

function refundOf(order: CanonicalOrder, refundId: string, amount: string, parts: Partial<Pick<OrderRefunded, 'lines' | 'feeLines' | 'shippingLines'>>, amountOnly = false): OrderRefunded {
  const m = money(order.currency);
  return new OrderRefunded({
    refundId,
    orderRef: order.orderRef,
    currency: order.currency,
    createdAt: '2026-11-26T12:00:00.000Z',
    amount: m(amount),
    reason: null,
    amountOnly,
    refundedPayment: true,
    lines: parts.lines ?? [],
    shippingLines: parts.shippingLines ?? [],
    feeLines: parts.feeLines ?? [],
  });
}

describe('connector-fortnox: the issue #4 corpus equals the store to the cent in Fortnox', () => {
  let c: ConnectorUnderTest;
  let sandbox: FortnoxSandbox;
  let producerDb: TestDatabase;
  let topic: string;

  beforeAll(async () => {
    c = await startConnector('corpus', { FORTNOX_REQUEST_TIMEOUT_MS: '2000', CONNECTOR_FORTNOX_BACKOFF_MAX_MS: '300' });
    ({ sandbox, producerDb } = c);
    topic = c.ordersTopic;
  });
  afterAll(async () => c?.close());

  const call = (method: string, path: string, body?: unknown) => c.call(method, path, body);

  async function connectTenant() {
    const { tenantId: fortnoxTenantId, authorizationCode } = sandbox.control.createTenant(`Shop ${randomUUID().slice(0, 6)}`);
    // The tenant's own liability account for OSS VAT (not in the sandbox's BAS subset).
    sandbox.state.tenant(fortnoxTenantId).accounts.set(OSS_VAT_ACCOUNT, 'Utgående moms OSS');
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    expect((await call('POST', '/connections', { tenantId, authorizationCode })).status).toBe(201);
    expect(await call('PUT', `/tenants/${tenantId}/mappings`, corpusMappings())).toMatchObject({ status: 200, body: { currencies: { EUR: { rate: 11.45 } } } });
    const { access_token } = await exchangeCode(sandbox, sandbox.control.authorizationCode(fortnoxTenantId));
    const api = async <T>(method: string, path: string): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${sandbox.url}${path}`, { method, headers: { Authorization: `Bearer ${access_token}` } });
        if (res.status === 429 && attempt < 30) { // the sliding window is 5 s; the connector shares it
          await sleep(500);
          continue;
        }
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      }
    };
    const invoice = async (n: string) => (await api<{ Invoice: FortnoxInvoice }>('GET', `/3/invoices/${n}`)).Invoice;
    /** Waits on the sync log until the document with `ref` is settled, then reads it from Fortnox. */
    const settled = async (ref: string): Promise<FortnoxInvoice> => {
      const orderId = ref.split('|')[3] as string;
      const doc = await eventually(
        async () => {
          const r = await call('GET', `/tenants/${tenantId}/orders/${orderId}/sync-log`);
          const d = (r.body.documents as { externalRef: string; status: string; documentNumber: string; errorCode: string | null }[]).find((x) => x.externalRef === ref);
          if (d?.status === 'parked') throw new Error(`${ref} parked: ${d.errorCode}`);
          return d?.status === 'settled' ? d : null;
        },
        { timeoutMs: 40_000, description: `the document with reference ${ref} is settled` },
      );
      return invoice(doc.documentNumber);
    };
    const bookkeep = (n: string) => api('PUT', `/3/invoices/${n}/bookkeep`);
    const customer = async (n: string) => (await api<{ Customer: { VATType: string; VATNumber: string; CountryCode: string } }>('GET', `/3/customers/${n}`)).Customer;
    return { tenantId, settled, bookkeep, customer, invoice };
  }

  async function publish(event: OrderPlaced | OrderRefunded | OrderCancelled, ref: CanonicalOrder['orderRef']): Promise<void> {
    await withTransaction(producerDb.pool, (tx) => new OutboxWriter(producerDb.schema).append(tx, envelope.of(event, { tenantId: ref.tenantId, storeId: ref.storeId }), { topic, key: orderKey(ref) }));
  }

  it('domestic: mixed 25/12/6 % with a coupon across rates, taxed shipping and a fee; two variations; partial, amount-only and a second partial refund; a cancellation', async () => {
    const t = await connectTenant();
    const ref = (orderId: string) => ({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId, orderNumber: `WC-${orderId}` });
    const mixed = mixedRateOrder(ref('6001'));
    const variations = variationsOrder(ref('6002'));
    const toCancel = orderWithOptionalBook(ref('6003'), true);
    for (const o of [mixed, variations, toCancel]) await publish(new OrderPlaced({ order: o }), o.orderRef);

    const invoice = await t.settled(externalRefOf(mixed.orderRef));
    // 872.00: 25 % 460.00 net (shirts after the 10 % coupon, shipping, fee) → 115.00; 12 % 180.00 → 21.60; 6 % 90.00 → 5.40.
    expectEqualToStore(invoice, '872.00', storeVat(mixed));
    expect(vatPerRate(invoice)).toEqual({ '25': 11500, '12': 2160, '6': 540 });
    expect(invoice.InvoiceRows.map((r) => [r.Description, r.VAT, r.AccountNumber, r.Total])).toEqual([
      ['Tröja', 25, 3001, 360],
      ['Kaffe', 12, 3002, 180],
      ['Bok', 6, 3003, 90],
      ['Postnord', 25, 3001, 80],
      ['Presentinslagning', 25, 3001, 20],
    ]);

    const tees = await t.settled(externalRefOf(variations.orderRef));
    // 447.80 incl. 89.56 VAT: Fortnox rounds the amount to pay to 448 (RoundOff 0.20); Net + TotalVAT is 447.80.
    expectEqualToStore(tees, '447.80', storeVat(variations));
    expect(tees).toMatchObject({ Total: 448, RoundOff: 0.2, TotalVAT: 89.56 });
    expect(tees.InvoiceRows.map((r) => [r.Description, r.DeliveredQuantity, r.Total])).toEqual([
      ['T-shirt – S', '1.00', 199],
      ['T-shirt – M', '2.00', 199.8],
      ['Postnord', '1.00', 49],
    ]);

    // Refunds of the mixed order, in this order: one shirt (180.00 + 45.00), 100.00 amount-only, one coffee and the fee.
    const shirt = refundOf(mixed, '81', '225.00', {
      lines: [{ lineId: 'r1', orderLineId: '1', productId: '1', variationId: null, sku: 'SHIRT-1', name: 'Tröja', quantity: '1', total: sek('180.00'), totalTax: sek('45.00'), taxes: [{ rateId: '1', total: sek('45.00'), subtotal: null }] }],
    });
    const goodwill = refundOf(mixed, '82', '100.00', {}, true);
    const coffee = refundOf(mixed, '83', '92.20', {
      lines: [{ lineId: 'r2', orderLineId: '2', productId: '2', variationId: null, sku: 'FOOD-1', name: 'Kaffe', quantity: '1', total: sek('60.00'), totalTax: sek('7.20'), taxes: [{ rateId: '2', total: sek('7.20'), subtotal: null }] }],
      feeLines: [{ lineId: 'r3', orderLineId: '5', name: 'Presentinslagning', total: sek('20.00'), totalTax: sek('5.00'), taxes: [{ rateId: '1', total: sek('5.00'), subtotal: null }] }],
    });
    for (const r of [shirt, goodwill, coffee]) await publish(r, mixed.orderRef);
    const toCancelInvoice = await t.settled(externalRefOf(toCancel.orderRef));
    await t.bookkeep(toCancelInvoice.DocumentNumber);
    await publish(new OrderCancelled({ orderRef: toCancel.orderRef, reason: 'Kunden ångrade sig', cancelledAt: '2026-11-26T13:00:00.000Z' }), toCancel.orderRef);

    const c1 = await t.settled(externalRefOf(mixed.orderRef, 'R81'));
    expectEqualToStore(c1, '-225.00', { '25': -4500 });
    const c2 = await t.settled(externalRefOf(mixed.orderRef, 'R82'));
    // 100.00 spread by what each rate charged incl. VAT (575.00 / 201.60 / 95.40 of 872.00): 65.94 / 23.12 / 10.94,
    // VAT 65.94 × 25/125 = 13.19, 23.12 × 12/112 = 2.48, 10.94 × 6/106 = 0.62.
    expectEqualToStore(c2, '-100.00', { '25': -1319, '12': -248, '6': -62 });
    expect(c2.InvoiceRows.map((r) => [r.VAT, r.AccountNumber, r.Total])).toEqual([
      [25, 3001, -65.94],
      [12, 3002, -23.12],
      [6, 3003, -10.94],
    ]);
    const c3 = await t.settled(externalRefOf(mixed.orderRef, 'R83'));
    expectEqualToStore(c3, '-92.20', { '25': -500, '12': -720 });
    for (const c of [c1, c2, c3]) expect(c).toMatchObject({ Credit: 'true', CreditInvoiceReference: invoice.DocumentNumber });

    // A booked invoice of 338.00 (25 % 249.00 incl. 49.80, 6 % 89.00 incl. 5.04) is credited in full on cancellation.
    const cancelled = await t.settled(externalRefOf(toCancel.orderRef, 'C'));
    expectEqualToStore(cancelled, '-338.00', { '25': -4980, '6': -504 });
    expect(cancelled).toMatchObject({ Credit: 'true', Cancelled: false, CreditInvoiceReference: toCancelInvoice.DocumentNumber });
  });

  it('EU OSS consumer sale in EUR, EU B2B reverse charge and an export, with the OSS order partly refunded', async () => {
    const t = await connectTenant();
    const ref = (orderId: string) => ({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId, orderNumber: `WC-${orderId}` });
    const oss = ossOrder(ref('7001'));
    const b2b = reverseChargeOrder(ref('7002'));
    const exp = exportOrder(ref('7003'));
    for (const o of [oss, b2b, exp]) await publish(new OrderPlaced({ order: o }), o.orderRef);

    const ossInvoice = await t.settled(externalRefOf(oss.orderRef));
    // 130.90 EUR: net 110.00 on the OSS sales account at Fortnox VAT 0, and the store's 20.90 DE VAT on 2616.
    expectEqualToStore(ossInvoice, '130.90', storeVat(oss));
    expect(ossInvoice).toMatchObject({ Currency: 'EUR', CurrencyRate: 11.45, Total: 130.9, TotalVAT: 0 });
    expect(ossInvoice.InvoiceRows.map((r) => [r.Description, r.VAT, r.AccountNumber, r.Total])).toEqual([
      ['Blue mug', 0, 3106, 100],
      ['DHL', 0, 3106, 10],
      ['Moms DE 19 % (OSS)', 0, OSS_VAT_ACCOUNT, 20.9],
    ]);
    expect(await t.customer(ossInvoice.CustomerNumber)).toMatchObject({ VATType: 'EUVAT', CountryCode: 'DE' });

    const b2bInvoice = await t.settled(externalRefOf(b2b.orderRef));
    expectEqualToStore(b2bInvoice, '1000.00', {});
    expect(b2bInvoice).toMatchObject({ Currency: 'EUR', CurrencyRate: 11.45, TotalVAT: 0 });
    expect(b2bInvoice.InvoiceRows.map((r) => [r.VAT, r.AccountNumber, r.Total])).toEqual([[0, 3108, 1000]]);
    expect(await t.customer(b2bInvoice.CustomerNumber)).toMatchObject({ VATType: 'EUREVERSEDVAT', VATNumber: 'DE123456789' });

    const exportInvoice = await t.settled(externalRefOf(exp.orderRef));
    expectEqualToStore(exportInvoice, '600.00', {});
    expect(exportInvoice).toMatchObject({ Currency: 'SEK', RoundOff: 0 });
    expect(exportInvoice.InvoiceRows.map((r) => [r.VAT, r.AccountNumber, r.Total])).toEqual([
      [0, 3105, 500],
      [0, 3105, 100],
    ]);
    expect(await t.customer(exportInvoice.CustomerNumber)).toMatchObject({ VATType: 'EXPORT', CountryCode: 'NO' });

    // One of the two mugs back: 50.00 + 9.50 DE VAT.
    const mug = refundOf(oss, '91', '59.50', {
      lines: [{ lineId: 'r1', orderLineId: '1', productId: '10', variationId: null, sku: 'MUG-BLUE', name: 'Blue mug', quantity: '1', total: eur('50.00'), totalTax: eur('9.50'), taxes: [{ rateId: '9', total: eur('9.50'), subtotal: null }] }],
    });
    await publish(mug, oss.orderRef);
    const credit = await t.settled(externalRefOf(oss.orderRef, 'R91'));
    expectEqualToStore(credit, '-59.50', { 'OSS DE 19': -950 });
    expect(credit).toMatchObject({ Credit: 'true', CreditInvoiceReference: ossInvoice.DocumentNumber, Currency: 'EUR', CurrencyRate: 11.45 });
  });
});
