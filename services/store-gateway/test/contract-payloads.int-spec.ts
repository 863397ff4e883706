/* eslint-disable @typescript-eslint/no-explicit-any -- tests read canonical events field by field in assertions; typing every shape would only restate the contract files. */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { parseEnvelope } from '@ledgerline/contracts';
import { readTopic } from '@ledgerline/testing';
import { startGateway, TENANT, type Gateway } from './store-gateway.harness';

// Byte-for-byte copies of ../shared/contracts/woocommerce/ (fixtures/SOURCE.md).
const fixture = (file: string): Buffer => readFileSync(join(__dirname, 'fixtures', file));

// webhook-delivery.md §3, worked example: this secret over webhook-order-updated.body.json gives this signature.
const DEMO_SECRET = 'wc-demo-secret-0123456789';
const DEMO_SIGNATURE = 'hPsNIR8W8zHJm6WCDxyN0GOlmgmLYotRhAftkSYDpMU=';
const STORE = 'contract-shop';

/**
 * Stands in for the shop of the contract examples (https://shop.example.com) for the one REST read the gateway makes
 * here: GET /orders/1287/refunds/1290 answers the constructed refund file, as is. Everything else is WordPress's 404.
 */
async function contractShop(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push(`${req.method} ${path}`);
    if (req.method === 'GET' && path === '/wp-json/wc/v3/orders/1287/refunds/1290') {
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(fixture('order-refund-constructed-with-line-items.json'));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json; charset=UTF-8' }).end('{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

const usd = (amount: string) => ({ amount, currency: 'USD' });
const eur = (amount: string) => ({ amount, currency: 'EUR' });
const cents = (amount: string) => Math.round(Number(amount) * 100);

/** The money of a canonical order, field by field (everything else is compared separately). */
function money(order: any) {
  return {
    lines: order.lines.map((l: any) => ({ lineId: l.lineId, quantity: l.quantity, unitPrice: l.unitPrice, subtotal: l.subtotal, subtotalTax: l.subtotalTax, total: l.total, totalTax: l.totalTax, taxes: l.taxes })),
    shippingLines: order.shippingLines.map((s: any) => ({ lineId: s.lineId, total: s.total, totalTax: s.totalTax, taxes: s.taxes })),
    feeLines: order.feeLines.map((f: any) => ({ lineId: f.lineId, total: f.total, totalTax: f.totalTax, taxes: f.taxes })),
    couponLines: order.couponLines,
    taxLines: order.taxLines,
    totals: order.totals,
  };
}

describe('store-gateway maps every webhook-deliverable contract payload to its canonical event on Kafka', () => {
  let gw: Gateway;
  let shop: Awaited<ReturnType<typeof contractShop>>;
  let base: string;

  /** POSTs `raw` exactly as WooCommerce's Hookshot does (webhook-delivery.md §1), signed over these bytes. */
  const deliver = async (raw: Buffer, topic: string, signature = createHmac('sha256', DEMO_SECRET).update(raw).digest('base64')) => {
    const res = await fetch(`${base}/webhooks/woocommerce/${STORE}`, {
      method: 'POST',
      headers: {
        'user-agent': 'WooCommerce/9.1.2 Hookshot (WordPress/6.5.4)',
        'content-type': 'application/json',
        'x-wc-webhook-source': 'https://shop.example.com/',
        'x-wc-webhook-topic': topic,
        'x-wc-webhook-resource': topic.split('.')[0] as string,
        'x-wc-webhook-event': topic.split('.')[1] as string,
        'x-wc-webhook-signature': signature,
        'x-wc-webhook-id': '42',
        'x-wc-webhook-delivery-id': '0b1c3e5a7d9f2b4c6e8a0c2e4f6a8b0d',
      },
      body: raw,
    });
    return { status: res.status, json: (await res.json()) as any };
  };

  beforeAll(async () => {
    gw = await startGateway({ seed: 41 });
    base = gw.base;
    shop = await contractShop();
    const registered = await gw.admin('PUT', `/stores/${STORE}`, {
      tenantId: TENANT,
      siteUrl: shop.url,
      currency: 'USD',
      consumerKey: 'ck_0123456789abcdef0123456789abcdef01234567',
      consumerSecret: 'cs_0123456789abcdef0123456789abcdef01234567',
      webhookSecret: DEMO_SECRET,
    });
    expect(registered.status).toBe(200);
  });
  afterAll(async () => {
    await new Promise((resolve) => shop?.server.close(resolve));
    await gw?.close();
  });

  it('accepts webhook-order-updated.body.json with the documented signature and publishes order.placed with the exact amounts of order 727', async () => {
    const raw = fixture('webhook-order-updated.body.json');
    expect(createHmac('sha256', DEMO_SECRET).update(raw).digest('base64')).toBe(DEMO_SIGNATURE);
    expect(await deliver(raw, 'order.updated', DEMO_SIGNATURE)).toEqual({ status: 200, json: { status: 'ok', outcome: 'placed', events: ['order.placed'] } });
    // order.json is the same order, pretty-printed (other bytes, same version): nothing new.
    expect(await deliver(fixture('order.json'), 'order.created')).toEqual({ status: 200, json: { status: 'ok', outcome: 'duplicate', events: [] } });

    const messages = (await readTopic(gw.topics.orders, { expected: 1, timeoutMs: 20_000 })).filter((m) => m.key === `${TENANT}:${STORE}:727`);
    expect(messages).toHaveLength(1);
    const event = parseEnvelope(messages[0]?.value as string) as any;
    expect(event).toMatchObject({ type: 'order.placed', tenantId: TENANT, storeId: STORE });
    const order = event.payload.order;
    expect(order).toMatchObject({
      orderRef: { tenantId: TENANT, storeId: STORE, orderId: '727', orderNumber: '727' },
      status: 'processing',
      currency: 'USD',
      pricesIncludeTax: false,
      createdAt: '2017-03-22T19:28:02.000Z',
      modifiedAt: '2017-03-22T19:28:08.000Z',
      paidAt: '2017-03-22T19:28:08.000Z',
      customer: { customerId: null, email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe' },
      paymentMethod: { id: 'bacs', title: 'Direct Bank Transfer', transactionId: null },
    });
    expect(order.lines.map((l: any) => [l.productId, l.variationId, l.sku])).toEqual([['93', null, null], ['22', '23', 'Bar3']]);
    expect(money(order)).toEqual({
      lines: [
        { lineId: '315', quantity: '2', unitPrice: usd('3'), subtotal: usd('6.00'), subtotalTax: usd('0.45'), total: usd('6.00'), totalTax: usd('0.45'), taxes: [{ rateId: '75', total: usd('0.45'), subtotal: usd('0.45') }] },
        { lineId: '316', quantity: '1', unitPrice: usd('12'), subtotal: usd('12.00'), subtotalTax: usd('0.90'), total: usd('12.00'), totalTax: usd('0.90'), taxes: [{ rateId: '75', total: usd('0.9'), subtotal: usd('0.9') }] },
      ],
      shippingLines: [{ lineId: '317', total: usd('10.00'), totalTax: usd('0.00'), taxes: [] }],
      feeLines: [],
      couponLines: [],
      taxLines: [{ lineId: '318', rateId: '75', rateCode: 'US-CA-STATE TAX', label: 'State Tax', compound: false, ratePercent: null, taxTotal: usd('1.35'), shippingTaxTotal: usd('0.00') }],
      totals: { discount: usd('0.00'), discountTax: usd('0.00'), shipping: usd('10.00'), shippingTax: usd('0.00'), totalTax: usd('1.35'), total: usd('29.35') },
    });
    expect(order.shippingLines[0]).toMatchObject({ methodId: 'flat_rate', instanceId: null, title: 'Flat Rate' });
  });

  it('publishes the constructed EUR order with fee, coupon and shipping to the cent, then its refund (read over REST) with positive amounts', async () => {
    const answer = await deliver(fixture('order-constructed-fees-coupons-refund.json'), 'order.updated');
    expect(answer).toEqual({ status: 200, json: { status: 'ok', outcome: 'placed', events: ['order.placed', 'order.refunded'] } });
    expect(shop.seen).toEqual(['GET /wp-json/wc/v3/orders/1287/refunds/1290']);

    const all = await readTopic(gw.topics.orders, { expected: 3, timeoutMs: 20_000 });
    const mine = all.filter((m) => m.key === `${TENANT}:${STORE}:1287`).map((m) => parseEnvelope(m.value) as any);
    expect(mine.map((e) => e.type)).toEqual(['order.placed', 'order.refunded']);
    const order = mine[0].payload.order;
    expect(order).toMatchObject({
      orderRef: { tenantId: TENANT, storeId: STORE, orderId: '1287', orderNumber: '1287' },
      status: 'completed',
      currency: 'EUR',
      pricesIncludeTax: true,
      modifiedAt: '2024-06-10T07:01:44.000Z',
      customer: { customerId: '57', email: 'erika.mustermann@example.com', phone: null },
      paymentMethod: { id: 'stripe', title: 'Credit / Debit Card', transactionId: 'ch_3PNa1b2C3d4E5f6G0x1y2z3A' },
    });
    expect(money(order)).toEqual({
      lines: [
        { lineId: '901', quantity: '2', unitPrice: eur('14.695'), subtotal: eur('33.60'), subtotalTax: eur('6.38'), total: eur('29.39'), totalTax: eur('5.59'), taxes: [{ rateId: '1', total: eur('5.59'), subtotal: eur('6.38') }] },
        { lineId: '902', quantity: '1', unitPrice: eur('10.5'), subtotal: eur('10.50'), subtotalTax: eur('2.00'), total: eur('10.50'), totalTax: eur('2.00'), taxes: [{ rateId: '1', total: eur('2'), subtotal: eur('2') }] },
      ],
      shippingLines: [{ lineId: '903', total: eur('4.12'), totalTax: eur('0.78'), taxes: [{ rateId: '1', total: eur('0.78'), subtotal: null }] }],
      feeLines: [{ lineId: '904', total: eur('2.00'), totalTax: eur('0.38'), taxes: [{ rateId: '1', total: eur('0.38'), subtotal: null }] }],
      couponLines: [{ lineId: '906', code: 'tshirt5', discount: eur('4.21'), discountTax: eur('0.79'), discountType: 'fixed_product' }],
      taxLines: [{ lineId: '905', rateId: '1', rateCode: 'DE-MWST.-1', label: 'MwSt.', compound: false, ratePercent: '19', taxTotal: eur('7.97'), shippingTaxTotal: eur('0.78') }],
      totals: { discount: eur('4.21'), discountTax: eur('0.79'), shipping: eur('4.12'), shippingTax: eur('0.78'), totalTax: eur('8.75'), total: eur('54.76') },
    });
    expect(order.feeLines[0]).toMatchObject({ name: 'Gift wrapping', taxClass: null, taxStatus: 'taxable' });
    expect(order.shippingLines[0]).toMatchObject({ methodId: 'flat_rate', instanceId: '3' });
    // lines + shipping + fees + taxes = total, to the cent, as published.
    const parts = [...order.lines.map((l: any) => l.total.amount), order.totals.shipping.amount, ...order.feeLines.map((f: any) => f.total.amount), order.totals.totalTax.amount];
    expect(parts.reduce((sum: number, a: string) => sum + cents(a), 0)).toBe(cents(order.totals.total.amount));

    const refund = mine[1].payload;
    expect(refund).toEqual({
      refundId: '1290',
      orderRef: { tenantId: TENANT, storeId: STORE, orderId: '1287', orderNumber: '1287' },
      currency: 'EUR',
      createdAt: '2024-06-10T07:01:40.000Z',
      amount: eur('12.50'),
      reason: 'Returned item',
      amountOnly: false,
      refundedPayment: true,
      lines: [
        {
          lineId: '1291',
          orderLineId: '902',
          productId: '202',
          variationId: '205',
          sku: 'TOTE-CV-NAT',
          name: 'Canvas Tote Bag - Natural',
          quantity: '1',
          total: eur('10.50'),
          totalTax: eur('2.00'),
          taxes: [{ rateId: '1', total: eur('2'), subtotal: eur('2') }],
        },
      ],
      shippingLines: [],
      feeLines: [],
    });

    // The same body again (WooCommerce sends order.created and order.updated for one checkout): no new event, no new read.
    expect((await deliver(fixture('order-constructed-fees-coupons-refund.json'), 'order.created')).json).toEqual({ status: 'ok', outcome: 'duplicate', events: [] });
    expect(shop.seen).toHaveLength(1);
    expect((await gw.outbox()).filter((r) => r.message_key.startsWith(`${TENANT}:${STORE}:`)).map((r) => `${r.message_key} ${r.event_type}`)).toEqual([
      `${TENANT}:${STORE}:727 order.placed`,
      `${TENANT}:${STORE}:1287 order.placed`,
      `${TENANT}:${STORE}:1287 order.refunded`,
    ]);
  });

  it('publishes product.json as product.upserted priced in the store currency', async () => {
    expect((await deliver(fixture('product.json'), 'product.updated')).json).toEqual({ status: 'ok', outcome: 'upserted', events: ['product.upserted'] });
    const messages = (await readTopic(gw.topics.products, { expected: 1, timeoutMs: 20_000 })).filter((m) => m.key?.includes(`:${STORE}:794`));
    expect(messages).toHaveLength(1);
    const event = parseEnvelope(messages[0]?.value as string) as any;
    expect(event.type).toBe('product.upserted');
    expect(event.payload).toEqual({
      productRef: { tenantId: TENANT, storeId: STORE, productId: '794' },
      variationId: null,
      parentId: null,
      sku: null,
      name: 'Premium Quality',
      type: 'simple',
      status: 'publish',
      currency: 'USD',
      price: usd('21.99'),
      regularPrice: usd('21.99'),
      salePrice: null,
      taxClass: null,
      manageStock: false,
      stockQuantity: null,
      modifiedAt: '2017-03-23T20:01:14.000Z',
    });
  });

  it('parks product-variation.json as sent by the variations endpoint (no type), and publishes it keyed by its parent once it has the product-endpoint fields webhooks carry', async () => {
    // product-variation.json is GET /products/22/variations/732; webhooks build variations from /products/732, which adds
    // type "variation" and parent_id (webhook-delivery.md §1). The bare shape cannot be told from a grouped product.
    const bare = await deliver(fixture('product-variation.json'), 'product.updated');
    expect(bare.json).toMatchObject({ status: 'ok', outcome: 'parked', events: [] });
    const parked = await gw.admin('GET', `/parked-deliveries?storeId=${STORE}`);
    expect(parked.json.map((p: any) => [p.resourceId, p.code])).toContainEqual(['732', 'STORE_PRODUCT_TYPE_UNSUPPORTED']);

    const asWebhook = Buffer.from(JSON.stringify({ ...JSON.parse(fixture('product-variation.json').toString('utf8')), type: 'variation', parent_id: 22, name: 'Ship Your Idea - Black' }));
    expect((await deliver(asWebhook, 'product.updated')).json).toEqual({ status: 'ok', outcome: 'upserted', events: ['product.upserted'] });
    const messages = (await readTopic(gw.topics.products, { expected: 2, timeoutMs: 20_000 })).filter((m) => m.key?.includes(`:${STORE}:22`));
    expect(messages).toHaveLength(1);
    expect((parseEnvelope(messages[0]?.value as string) as any).payload).toMatchObject({
      productRef: { productId: '22' },
      variationId: '732',
      parentId: '22',
      type: 'variation',
      price: usd('9.00'),
      regularPrice: usd('9.00'),
      salePrice: null,
      manageStock: false,
      stockQuantity: null,
      modifiedAt: '2017-03-23T03:36:38.000Z',
    });
  });

  it('publishes customer.json as customer.upserted with both addresses', async () => {
    expect((await deliver(fixture('customer.json'), 'customer.updated')).json).toEqual({ status: 'ok', outcome: 'upserted', events: ['customer.upserted'] });
    const messages = (await readTopic(gw.topics.customers, { expected: 1, timeoutMs: 20_000 })).filter((m) => m.key?.includes(`:${STORE}:25`));
    expect(messages).toHaveLength(1);
    const address = { firstName: 'John', lastName: 'Doe', company: null, address1: '969 Market', address2: null, city: 'San Francisco', state: 'CA', postcode: '94103', country: 'US' };
    expect((parseEnvelope(messages[0]?.value as string) as any).payload).toEqual({
      customerRef: { tenantId: TENANT, sourceSystem: 'woocommerce', storeId: STORE, erpConnectionId: null, customerId: '25' },
      email: 'john.doe@example.com',
      firstName: 'John',
      lastName: 'Doe',
      company: null,
      vatNumber: null,
      orgNumber: null,
      phone: '(555) 555-5555',
      billingAddress: { ...address, phone: '(555) 555-5555' },
      shippingAddress: { ...address, phone: null },
      modifiedAt: '2017-03-21T19:09:30.000Z',
    });
  });
});
