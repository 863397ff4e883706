import { startWooSandbox, type WooSandbox } from './sandbox';
import { parseGmt, WooApiError, WooCommerceClient, type WooCommerceClientOptions, type WooOrder } from '../src';

const quiet = { info: () => undefined, warn: () => undefined };

describe('orders, refunds and customers against the WooCommerce sandbox (plain http, OAuth 1.0a)', () => {
  let sandbox: WooSandbox;
  let woo: WooCommerceClient;
  const clientFor = (opts: Partial<WooCommerceClientOptions> = {}) =>
    new WooCommerceClient({ siteUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 }, logger: quiet, ...opts });

  /** Orders the default `status=any` returns, as the sandbox holds them. */
  const visibleOrders = () => [...sandbox.state.orders.values()].filter((o) => o.status !== 'trash' && o.status !== 'checkout-draft');
  const floorSecond = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;

  beforeAll(async () => {
    sandbox = await startWooSandbox({ seed: 21 });
    sandbox.control.generateOrders(80, { webhooks: false, from: new Date(Date.now() - 20 * 86_400_000), to: new Date(Date.now() - 60_000), refundShare: 0.3 });
    sandbox.control.generateCustomers(3, { webhooks: false });
    woo = clientFor();
  });
  afterAll(() => sandbox.close());

  it('lists one page of orders with the totals from X-WP-Total and X-WP-TotalPages', async () => {
    const page = await woo.listOrders({ per_page: 10, page: 2, orderby: 'id', order: 'asc' });
    const expectedIds = visibleOrders()
      .map((o) => o.id)
      .sort((a, b) => a - b)
      .slice(10, 20);
    expect(page.items.map((o) => o.id)).toEqual(expectedIds);
    expect(page.total).toBe(visibleOrders().length);
    expect(page.totalPages).toBe(Math.ceil(visibleOrders().length / 10));
  });

  it('iterates every order modified after a date across pages, oldest change first', async () => {
    const sorted = visibleOrders().sort((a, b) => a.dateModified.getTime() - b.dateModified.getTime());
    const cutoff = new Date((sorted[20] as (typeof sorted)[number]).dateModified.getTime() + 500);
    const sweep = woo.iterateOrders({ modifiedAfter: cutoff, perPage: 7 });
    const seen: WooOrder[] = [];
    for await (const order of sweep) seen.push(order);

    // Refunds generated "now" fall in the current second, which the window leaves to the next sweep.
    const expected = sorted.filter((o) => floorSecond(o.dateModified) > floorSecond(cutoff) && o.dateModified < sweep.modifiedBefore).map((o) => o.id);
    expect(expected.length).toBeGreaterThan(20);
    expect(seen.map((o) => o.id).sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    const modified = seen.map((o) => parseGmt(o.date_modified_gmt));
    expect(modified).toEqual([...modified].sort((a, b) => a - b));
    expect(sweep.mode).toBe('modified-cursor');
    expect(sweep.pages).toBeGreaterThanOrEqual(Math.ceil(expected.length / 7));
  });

  it('loses no order that changes during a sweep: it is either in this sweep or in the next one', async () => {
    const before = visibleOrders().map((o) => o.id);
    const first = woo.iterateOrders({ perPage: 10 });
    const firstIds: number[] = [];
    const changed: number[] = [];
    for await (const order of first) {
      firstIds.push(order.id);
      if (firstIds.length === 15) {
        // one order already read and one not yet read change while the sweep runs
        const unread = before.find((id) => !firstIds.includes(id)) as number;
        for (const id of [firstIds[3] as number, unread]) {
          sandbox.control.setOrderStatus(id, sandbox.state.orders.get(id)?.status === 'completed' ? 'on-hold' : 'completed');
          changed.push(id);
        }
      }
    }
    const next = woo.iterateOrders({ modifiedAfter: new Date(first.modifiedBefore.getTime() - 1000), modifiedBefore: new Date(Date.now() + 2000) });
    const nextIds: number[] = [];
    for await (const order of next) nextIds.push(order.id);

    expect(new Set([...firstIds, ...nextIds])).toEqual(new Set(before));
    expect(new Set(firstIds).size).toBe(firstIds.length);
    expect(nextIds).toEqual(expect.arrayContaining(changed));
  });

  it('reads an order and its refunds', async () => {
    const refunded = visibleOrders().find((o) => o.refunds.length > 0);
    if (!refunded) throw new Error('seed 21 should generate refunded orders');
    const order = await woo.getOrder(refunded.id);
    expect(order).toMatchObject({ id: refunded.id, currency: refunded.currency });
    expect(typeof order.line_items[0]?.price).toBe('number');
    expect(order.refunds.every((r) => r.total.startsWith('-'))).toBe(true);

    const refunds = await woo.listRefunds(refunded.id);
    expect(refunds.map((r) => r.id)).toEqual(order.refunds.map((r) => r.id));
    const one = await woo.getRefund(refunded.id, refunds[0]?.id as number);
    expect(one).toMatchObject({ id: refunds[0]?.id, amount: order.refunds[0]?.total.slice(1) });
  });

  it('reports a missing order as permanent WOO_NOT_FOUND naming the store', async () => {
    const err = await woo.getOrder(999_999).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WooApiError);
    expect(err).toMatchObject({ code: 'WOO_NOT_FOUND', kind: 'permanent', wooCode: 'woocommerce_rest_shop_order_invalid_id' });
    expect((err as WooApiError).operatorMessage).toContain(`WooCommerce at ${sandbox.url} does not have what Ledgerline asked for`);
  });

  it('reports a wrong secret and an unknown key as permanent WOO_AUTH_REJECTED', async () => {
    const wrongSecret = await clientFor({ consumerSecret: 'cs_wrong' }).listOrders().catch((e: unknown) => e);
    expect(wrongSecret).toMatchObject({ code: 'WOO_AUTH_REJECTED', kind: 'permanent', status: 401, attempts: 1 });
    expect((wrongSecret as WooApiError).operatorMessage).toContain('rejected the OAuth signature');

    const unknownKey = await clientFor({ consumerKey: 'ck_unknown' }).listOrders().catch((e: unknown) => e);
    expect(unknownKey).toMatchObject({ code: 'WOO_AUTH_REJECTED', kind: 'permanent', wooMessage: 'Consumer key is invalid.' });
    expect((unknownKey as WooApiError).operatorMessage).toBe(
      `WooCommerce at ${sandbox.url} rejected the API key (woocommerce_rest_authentication_error: Consumer key is invalid.) while listing orders: create a Read/Write key under WooCommerce › Settings › Advanced › REST API and update the store in Ledgerline.`,
    );
  });

  it('explains that Basic auth over plain http is ignored, as WooCommerce ignores it', async () => {
    const err = await clientFor({ auth: 'basic' }).listOrders().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WOO_AUTH_REJECTED', kind: 'permanent', wooCode: 'woocommerce_rest_cannot_view' });
    expect((err as WooApiError).operatorMessage).toContain('treated the request as a guest');
  });

  it('reports a Read-only key asked to write as WOO_AUTH_REJECTED', async () => {
    const readOnly = sandbox.control.addApiKey('read');
    const err = await clientFor(readOnly).updateWebhook(1, { status: 'paused' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WOO_AUTH_REJECTED', wooMessage: 'The API key provided does not have write permissions.' });
  });

  it('lists and reads customers', async () => {
    const page = await woo.listCustomers({ per_page: 2, orderby: 'id', order: 'asc' });
    expect(page.items).toHaveLength(2);
    expect(page.total).toBe([...sandbox.state.customers.values()].filter((c) => c.role === 'customer').length);
    const customer = await woo.getCustomer(page.items[0]?.id as number);
    expect(customer.email).toBe(page.items[0]?.email);
  });
});
