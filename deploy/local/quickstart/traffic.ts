// Realistic traffic: a catalogue and a month of checkout orders (with refunds and cancellations) in each store,
// Stripe orders placed and paid live in the first store, a stock change in Fortnox, and a Stripe payout.
import type { QuickstartConfig } from './config/quickstart.config';
import type { DemoStore, DemoTenant } from './demo-tenant';
import { STRIPE_ACCOUNT } from './demo-tenant';
import { bearer, call, expectOk } from './http';
import type { Urls } from './stack';

export interface WooProduct {
  id: number;
  sku: string;
  type: string;
  status: string;
  price: string;
  manage_stock: boolean;
  stock_quantity: number | null;
}

export interface GroundTruthPayout {
  payoutId: string;
  currency: string;
  amount: string;
  arrivalDate: string;
  lines: Array<{ lineId: string; type: string; orderId: string; gross: string; fee: string; net: string }>;
}

export interface StockChange {
  sku: string;
  inStock: number;
  availableStock: number;
}

/** Catalogue and generated order history in each store; webhooks carry them to store-gateway as they happen. */
export async function generateStoreTraffic(config: QuickstartConfig, tenant: DemoTenant, print: (line: string) => void): Promise<void> {
  for (const store of tenant.stores) {
    const products = expectOk(`${store.storeId}: generate products`, await call<{ skus: string[] }>('POST', `${store.controlUrl}/__sandbox/generate/products`, { n: 40, variationsShare: 0.3 }));
    const orders = expectOk(
      `${store.storeId}: generate orders`,
      await call<{ orders: number; refunds: number }>('POST', `${store.controlUrl}/__sandbox/generate/orders`, { n: config.ordersPerStore, refundShare: 0.15 }),
    );
    print(`  store "${store.storeId}": ${products.skus.length} SKUs, ${orders.orders} orders of the last 30 days (SE and EU/OSS customers, exports, coupons, fees, several currencies), ${orders.refunds} refunds`);
  }
}

/** SKUs sold in both stores as simple products (the stock change must reach both). */
export async function sharedSkus(tenant: DemoTenant, count: number): Promise<string[]> {
  const perStore = await Promise.all(tenant.stores.map(async (s) => (await s.woo.all<WooProduct>('/products', { type: 'simple' })).filter((p) => p.status === 'publish' && p.sku !== '')));
  const [first, ...rest] = perStore.map((list) => new Set(list.map((p) => p.sku)));
  const shared = [...(first ?? [])].filter((sku) => rest.every((set) => set.has(sku))).sort();
  if (shared.length < count) throw new Error(`only ${shared.length} simple SKUs are in every store; the stock change needs ${count}`);
  return shared.slice(0, count);
}

export interface LiveOrder {
  id: number;
  number: string;
  total: string;
  transactionId: string;
}

/**
 * Checkouts paid by card in the first store while the demo runs: the order is created pending, the payment is
 * captured at Stripe (sandbox-psp, which answers the charge id), and the order is marked paid with that charge id as
 * its transaction id, as the Stripe plugin does.
 */
export async function placeStripeOrders(config: QuickstartConfig, store: DemoStore, urls: Urls, avoidSkus: readonly string[], print: (line: string) => void): Promise<LiveOrder[]> {
  const catalogue = (await store.woo.all<WooProduct>('/products', { type: 'simple' })).filter((p) => p.status === 'publish' && p.price !== '' && !avoidSkus.includes(p.sku));
  if (catalogue.length < 2) throw new Error(`store "${store.storeId}" has too few simple products for the live orders`);
  const out: LiveOrder[] = [];
  const people = [
    ['Eva', 'Lind', 'Uppsala', '75320'],
    ['Oskar', 'Berg', 'Göteborg', '41104'],
    ['Maja', 'Holm', 'Malmö', '21120'],
    ['Lars', 'Ek', 'Umeå', '90326'],
    ['Sara', 'Nyström', 'Lund', '22100'],
    ['Nils', 'Sjöberg', 'Västerås', '72211'],
  ];
  for (let i = 0; i < config.payoutOrders; i++) {
    const [first, last, city, postcode] = people[i % people.length] as [string, string, string, string];
    const address = { first_name: first, last_name: last, address_1: `Storgatan ${i + 1}`, city, postcode, country: 'SE' };
    const a = catalogue[(i * 2) % catalogue.length] as WooProduct;
    const b = catalogue[(i * 2 + 1) % catalogue.length] as WooProduct;
    const created = expectOk(
      `${store.storeId}: checkout ${i + 1}`,
      await store.woo.request<{ id: number; number: string; total: string; currency: string }>('POST', '/orders', {}, {
        payment_method: 'stripe',
        payment_method_title: 'Kort (Stripe)',
        billing: { ...address, email: `${first.toLowerCase()}.${last.toLowerCase()}@example.se` },
        shipping: address,
        line_items: [
          { product_id: a.id, quantity: 1 + (i % 2) },
          { product_id: b.id, quantity: 1 },
        ],
        shipping_lines: [{ method_id: 'flat_rate', method_title: 'Postnord', total: '49.00' }],
      }),
    );
    const paidAt = new Date().toISOString();
    const [captured] = expectOk(
      'sandbox-psp: capture',
      await call<Array<{ orderId: string; transactionId: string }>>('POST', `${urls.of('sandbox-psp')}/__sandbox/stripe/${STRIPE_ACCOUNT}/capture`, {
        orders: [{ orderId: String(created.id), orderNumber: created.number, total: created.total, currency: created.currency, paidAt }],
      }),
    );
    const transactionId = captured?.transactionId ?? '';
    expectOk(`${store.storeId}: mark order ${created.id} paid`, await store.woo.request('PUT', `/orders/${created.id}`, {}, { set_paid: true, transaction_id: transactionId }));
    out.push({ id: created.id, number: created.number, total: created.total, transactionId });
  }
  print(`  store "${store.storeId}": ${out.length} live card checkouts, captured at Stripe (${out.map((o) => `#${o.number} ${o.total}`).join(', ')} SEK)`);
  return out;
}

/** Stripe settles the month of the live checkouts: one automatic payout (no refunds, chargebacks or reserve). */
export async function settleStripe(urls: Urls, print: (line: string) => void): Promise<GroundTruthPayout[]> {
  const month = new Date().toISOString().slice(0, 7);
  const truth = expectOk(
    'sandbox-psp: settle',
    await call<{ payouts: GroundTruthPayout[] }>('POST', `${urls.of('sandbox-psp')}/__sandbox/stripe/${STRIPE_ACCOUNT}/settle-month`, { month, seed: 7, refunds: 0, chargebacks: 0, settlementCurrency: 'SEK' }),
  );
  for (const p of truth.payouts) {
    const fees = p.lines.reduce((sum, l) => sum + Number(l.fee), 0);
    print(`  Stripe payout ${p.payoutId}: ${p.amount} ${p.currency} arriving ${p.arrivalDate} (${p.lines.length} balance transactions, fees ${fees.toFixed(2)})`);
  }
  return truth.payouts;
}

/** Asks payout-reconciliation to read Stripe now (it also polls on its own schedule) and to match. */
export async function pollPayouts(config: QuickstartConfig, urls: Urls): Promise<void> {
  const base = urls.of('payout-reconciliation');
  expectOk('payout-reconciliation: poll Stripe', await call('POST', `${base}/poll/stripe`, { merchantAccount: STRIPE_ACCOUNT }, bearer(config.secrets.payoutAdminToken)));
  expectOk('payout-reconciliation: reconcile', await call('POST', `${base}/reconcile`, undefined, bearer(config.secrets.payoutAdminToken)));
}

/** New stock levels in Fortnox (stock point MAIN, 2 units reserved each), then the connector's stock poll runs now. */
export async function changeStockInFortnox(tenant: DemoTenant, urls: Urls, skus: readonly string[], print: (line: string) => void): Promise<StockChange[]> {
  const changes = skus.map((sku, i) => ({ sku, inStock: 17 + i * 9, availableStock: 15 + i * 9 }));
  for (const c of changes) {
    expectOk(
      `sandbox-fortnox: stock ${c.sku}`,
      await call('PUT', `${urls.of('sandbox-fortnox')}/__sandbox/tenants/${tenant.fortnoxCompanyId}/stock`, { itemId: c.sku, inStock: c.inStock, availableStock: c.availableStock, stockPointCode: 'MAIN' }),
    );
  }
  const polled = expectOk('connector-fortnox: stock poll', await call<{ read: number; changed: number }>('POST', `${urls.of('connector-fortnox')}/tenants/${tenant.tenantId}/stock/poll`));
  print(`  Fortnox stock set for ${changes.map((c) => `${c.sku}=${c.inStock} (${c.availableStock} available)`).join(', ')}; connector poll read ${polled.read}, changed ${polled.changed}`);
  return changes;
}
