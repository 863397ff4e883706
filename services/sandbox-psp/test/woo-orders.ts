// The brief asks for settlements of orders the WooCommerce sandbox generated, so this test helper drives that sandbox
// (a sandbox's tests may use other sandboxes; its src may not: no-restricted-imports in eslint.config).
import { startWooSandbox, type WooSandbox } from '@ledgerline/sandbox-woocommerce';
import type { CaptureOrder } from '../src';

export type { WooSandbox };

/**
 * Paid orders of a WooCommerce sandbox store generated across `month`, as a payment plugin would hand
 * them to the PSP: ID, number, total, currency and `date_paid_gmt`. Read back through the store's REST API.
 */
export async function paidWooOrders(month: string, count: number, seed: number): Promise<{ woo: WooSandbox; orders: CaptureOrder[] }> {
  const woo = await startWooSandbox({ seed, currency: 'SEK', assumeHttps: true });
  woo.control.generateProducts(40);
  woo.control.generateCustomers(300);
  const [y, m] = month.split('-').map(Number);
  const from = new Date(Date.UTC(y, m - 1, 1, 0, 0, 0));
  const to = new Date(Date.UTC(y, m, 0, 23, 59, 59));
  // Some generated orders are unpaid (pending, failed, ...): generate extra and keep the paid ones.
  woo.control.generateOrders(Math.ceil(count * 1.6), { from, to, webhooks: false, refundShare: 0 });
  const auth = `Basic ${Buffer.from(`${woo.consumerKey}:${woo.consumerSecret}`).toString('base64')}`;
  const orders: CaptureOrder[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${woo.apiUrl}/orders?per_page=100&page=${page}&orderby=id&order=asc`, { headers: { authorization: auth } });
    if (!res.ok) throw new Error(`WooCommerce sandbox answered ${res.status} for orders page ${page}: ${await res.text()}`);
    const batch = (await res.json()) as Array<{ id: number; number: string; total: string; currency: string; date_paid_gmt: string | null }>;
    for (const o of batch) {
      if (o.date_paid_gmt && o.date_paid_gmt.startsWith(month)) orders.push({ orderId: String(o.id), orderNumber: o.number, total: o.total, currency: o.currency, paidAt: `${o.date_paid_gmt}Z` });
    }
    if (batch.length < 100) break;
  }
  return { woo, orders: orders.filter((o) => Number(o.total) > 0).slice(0, count) };
}
