import { createHmac, timingSafeEqual } from 'node:crypto';
import { startWooSandbox, type WooSandbox } from '../src';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { rest, type RestAnswer } from './woo-http';

describe('webhooks', () => {
  let sandbox: WooSandbox;
  let receiver: WebhookReceiver;

  const api = (method: string, path: string, body?: unknown): Promise<RestAnswer> => rest(sandbox, method, path, body);
  const createWebhook = (topic: string, extra: Record<string, unknown> = {}) => api('POST', 'webhooks', { name: `test ${topic}`, topic, delivery_url: receiver.url, secret: 'wc-demo-secret-0123456789', ...extra });

  beforeAll(async () => {
    sandbox = await startWooSandbox({ assumeHttps: true, seed: 7 });
  });
  afterAll(() => sandbox.close());

  beforeEach(async () => {
    sandbox.control.reset();
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.close());

  it('pings the delivery URL on creation with a form body and no X-WC headers, and keeps the secret out of the response', async () => {
    const { status, json } = await createWebhook('order.updated');
    expect(status).toBe(201);
    expect(json).toMatchObject({ name: 'test order.updated', status: 'active', topic: 'order.updated', resource: 'order', event: 'updated', delivery_url: receiver.url });
    expect(json.hooks).toEqual(['woocommerce_update_order', 'woocommerce_order_refunded', 'woocommerce_delete_order_refund']);
    expect(json).not.toHaveProperty('secret');
    expect(receiver.requests).toHaveLength(1);
    const [ping] = receiver.requests;
    expect(ping.method).toBe('POST');
    expect(ping.httpVersion).toBe('1.0');
    expect(ping.rawBody.toString()).toBe(`webhook_id=${json.id}`);
    expect(ping.headers['user-agent']).toBe('WooCommerce/9.1.2 Hookshot (WordPress/6.5.4)');
    expect(Object.keys(ping.headers).filter((h) => h.startsWith('x-wc-'))).toEqual([]);
    expect(sandbox.control.webhook(json.id)).toMatchObject({ pendingDelivery: false, failureCount: 0 });
  });

  it('generates a 50-character secret when none is given, readable only through control', async () => {
    const { json } = await api('POST', 'webhooks', { topic: 'order.created', delivery_url: receiver.url });
    expect(json.name).toMatch(/^Webhook created on [A-Z][a-z]{2} \d{2}, \d{4} @ \d{2}:\d{2} [AP]M$/);
    expect(sandbox.control.webhook(json.id)?.secret).toHaveLength(50);
  });

  it('refuses invalid topics and URLs with WooCommerce\'s codes', async () => {
    const topic = await api('POST', 'webhooks', { topic: 'product.published', delivery_url: receiver.url });
    expect(topic).toEqual({ status: 400, headers: expect.anything(), json: { code: 'woocommerce_rest_shop_webhook_invalid_topic', message: 'Webhook topic is required and must be valid.', data: { status: 400 } } });
    const url = await api('POST', 'webhooks', { topic: 'order.created', delivery_url: 'ftp://example.com/x' });
    expect(url.json.code).toBe('woocommerce_rest_shop_webhook_invalid_delivery_url');
    const missing = await api('POST', 'webhooks', { name: 'no topic' });
    expect(missing.json).toEqual({ code: 'rest_missing_callback_param', message: 'Missing parameter(s): topic, delivery_url', data: { status: 400, params: ['topic', 'delivery_url'] } });
  });

  it('delivers order.updated after a status change: headers, HMAC over the raw body, the REST representation at send time', async () => {
    const { json: hook } = await createWebhook('order.updated');
    const { json: order } = await api('POST', 'orders', { billing: { email: 'a@example.com', country: 'SE' }, line_items: [], shipping_lines: [{ method_id: 'flat_rate', method_title: 'Flat rate', total: '49.00' }] });
    await sandbox.control.webhooksIdle();
    receiver.requests.length = 0;

    await api('PUT', `orders/${order.id}`, { status: 'completed' });
    await sandbox.control.webhooksIdle();
    const [delivery] = receiver.deliveries();
    expect(receiver.deliveries()).toHaveLength(1);
    expect(delivery.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'WooCommerce/9.1.2 Hookshot (WordPress/6.5.4)',
      'x-wc-webhook-source': `${sandbox.url}/`,
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'updated',
      'x-wc-webhook-id': String(hook.id),
    });
    expect(delivery.headers['x-wc-webhook-delivery-id']).toMatch(/^[0-9a-f]{32}$/);
    const expected = createHmac('sha256', 'wc-demo-secret-0123456789').update(delivery.rawBody).digest();
    expect(timingSafeEqual(Buffer.from(String(delivery.headers['x-wc-webhook-signature']), 'base64'), expected)).toBe(true);
    // wp_json_encode escapes slashes, so re-serializing the parsed body would not verify.
    expect(delivery.rawBody.toString()).toContain('"href":"http:\\/\\/127.0.0.1');
    const reserialized = createHmac('sha256', 'wc-demo-secret-0123456789').update(JSON.stringify(JSON.parse(delivery.rawBody.toString()))).digest('base64');
    expect(reserialized).not.toBe(delivery.headers['x-wc-webhook-signature']);
    const body = JSON.parse(delivery.rawBody.toString());
    const { json: current } = await api('GET', `orders/${order.id}`);
    expect(body).toEqual(current);
    expect(body.status).toBe('completed');
  });

  it('fires order.created and order.updated for one REST create, and coalesces saves within a request', async () => {
    await createWebhook('order.created');
    await createWebhook('order.updated');
    receiver.requests.length = 0;
    const { json: order } = await api('POST', 'orders', { set_paid: true, status: 'pending', billing: { email: 'b@example.com' } });
    await sandbox.control.webhooksIdle();
    expect(receiver.deliveries().map((r) => r.headers['x-wc-webhook-topic']).sort()).toEqual(['order.created', 'order.updated']);
    expect(receiver.deliveries().map((r) => JSON.parse(r.rawBody.toString()).id)).toEqual([order.id, order.id]);
  });

  it('sends {id} for order.deleted when an order is trashed, and nothing for a permanent delete', async () => {
    await createWebhook('order.deleted');
    const { json: a } = await api('POST', 'orders', {});
    const { json: b } = await api('POST', 'orders', {});
    receiver.requests.length = 0;
    await api('DELETE', `orders/${a.id}`);
    await api('DELETE', `orders/${b.id}?force=true`);
    await sandbox.control.webhooksIdle();
    expect(receiver.deliveries().map((r) => r.rawBody.toString())).toEqual([`{"id":${a.id}}`]);
  });

  it('disables the webhook on the 7th consecutive failed delivery and keeps the counter when re-enabled', async () => {
    const { json: hook } = await createWebhook('product.updated');
    receiver.status = 500;
    const { json: product } = await api('POST', 'products', { name: 'Mug', regular_price: '99.00' });
    for (let i = 1; i <= 7; i++) {
      await api('PUT', `products/${product.id}`, { regular_price: `${100 + i}.00` });
      await sandbox.control.webhooksIdle();
      const state = sandbox.control.webhook(hook.id);
      expect([i, state?.failureCount, state?.status]).toEqual([i, Math.min(i, 6), i < 7 ? 'active' : 'disabled']);
    }
    expect(receiver.deliveries()).toHaveLength(7);
    expect(sandbox.control.deliveries(hook.id).filter((d) => d.kind === 'delivery').map((d) => d.response?.status)).toEqual([500, 500, 500, 500, 500, 500, 500]);

    // A disabled webhook delivers nothing.
    await api('PUT', `products/${product.id}`, { regular_price: '120.00' });
    await sandbox.control.webhooksIdle();
    expect(receiver.deliveries()).toHaveLength(7);

    // Re-enabled: the counter stays at 6, so one more failure disables it again.
    const { json: enabled } = await api('PUT', `webhooks/${hook.id}`, { status: 'active' });
    expect(enabled.status).toBe('active');
    await api('PUT', `products/${product.id}`, { regular_price: '121.00' });
    await sandbox.control.webhooksIdle();
    expect(sandbox.control.webhook(hook.id)?.status).toBe('disabled');

    // A success resets the counter.
    await api('PUT', `webhooks/${hook.id}`, { status: 'active' });
    receiver.status = 200;
    await api('PUT', `products/${product.id}`, { regular_price: '122.00' });
    await sandbox.control.webhooksIdle();
    expect(sandbox.control.webhook(hook.id)).toMatchObject({ status: 'active', failureCount: 0 });
  });

  it('counts 301/302 as success but 303 as failure, and never retries', async () => {
    const { json: hook } = await createWebhook('customer.created');
    for (const [status, failures] of [[302, 0], [303, 1], [204, 0], [404, 1]] as const) {
      receiver.status = status;
      await api('POST', 'customers', { email: `c${status}@example.com` });
      await sandbox.control.webhooksIdle();
      expect([status, sandbox.control.webhook(hook.id)?.failureCount]).toEqual([status, failures]);
    }
    expect(receiver.deliveries()).toHaveLength(4);
  });

  it('logs each delivery with request, response status and duration', async () => {
    const { json: hook } = await createWebhook('customer.created');
    await api('POST', 'customers', { email: 'log@example.com' });
    await sandbox.control.webhooksIdle();
    const log = sandbox.control.deliveries(hook.id);
    expect(log.map((e) => e.kind)).toEqual(['ping', 'delivery']);
    expect(log[1]).toMatchObject({ topic: 'customer.created', outcome: 'success', response: { status: 200 }, request: { url: receiver.url, method: 'POST', httpVersion: '1.0' } });
    expect(log[1].durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(log[1].request.body).email).toBe('log@example.com');
  });

  it('refuses to be configured with retries, which WooCommerce does not do', async () => {
    await expect(startWooSandbox({ webhookMaxRetries: 3 })).rejects.toThrow(/does not retry/);
  });
});
