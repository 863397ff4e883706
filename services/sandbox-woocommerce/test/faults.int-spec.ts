import { startWooSandbox, type WooSandbox } from '../src';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { basicAuth, type WooJson } from './woo-http';

describe('fault injection', () => {
  let sandbox: WooSandbox;
  let receiver: WebhookReceiver;
  const call = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${sandbox.apiUrl}/${path}`, { method, headers: { authorization: basicAuth(sandbox), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = async (method: string, path: string, body?: unknown): Promise<WooJson> => (await call(method, path, body)).json();
  const bodies = (): Array<{ id: number; status: string; deliveryId: string }> =>
    receiver.deliveries().map((r) => ({ ...JSON.parse(r.rawBody.toString()), deliveryId: String(r.headers['x-wc-webhook-delivery-id']) }));

  beforeAll(async () => {
    sandbox = await startWooSandbox({ assumeHttps: true, seed: 9 });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.control.reset();
    receiver = await startWebhookReceiver();
    await json('POST', 'webhooks', { topic: 'order.updated', delivery_url: receiver.url, secret: 's' });
  });
  afterEach(() => receiver.close());

  it('duplicates the next delivery: same body, same delivery id, both logged', async () => {
    const order = await json('POST', 'orders', {});
    await sandbox.control.webhooksIdle();
    receiver.requests.length = 0;
    sandbox.faults.duplicateDeliveries({ count: 1 });
    await call('PUT', `orders/${order.id}`, { status: 'on-hold' });
    await call('PUT', `orders/${order.id}`, { status: 'processing' });
    await sandbox.control.webhooksIdle();
    const got = bodies();
    expect(got.map((b) => b.status)).toEqual(['on-hold', 'on-hold', 'processing']);
    expect(receiver.deliveries()[0].rawBody.equals(receiver.deliveries()[1].rawBody)).toBe(true);
    expect(sandbox.control.counters().webhooks).toMatchObject({ duplicates: 1 });
    expect(sandbox.faults.active().duplicateDeliveries).toEqual([{ count: 1, injected: 1 }]);
  });

  it('delivers out of order: the older body arrives after the newer one', async () => {
    const order = await json('POST', 'orders', {});
    await sandbox.control.webhooksIdle();
    receiver.requests.length = 0;
    sandbox.faults.reorderDeliveries({ count: 1 });
    await call('PUT', `orders/${order.id}`, { status: 'on-hold' });
    await call('PUT', `orders/${order.id}`, { status: 'completed' });
    await sandbox.control.webhooksIdle();
    expect(bodies().map((b) => b.status)).toEqual(['completed', 'on-hold']);
    expect(sandbox.control.deliveries().filter((d) => d.kind === 'delivery').slice(-2).map((d) => d.fault)).toEqual([null, 'out-of-order']);
  });

  it('drops deliveries: the change happens, no request is sent, the log says so', async () => {
    const order = await json('POST', 'orders', {});
    await sandbox.control.webhooksIdle();
    receiver.requests.length = 0;
    sandbox.faults.dropDeliveries({ topic: 'order.updated' });
    await call('PUT', `orders/${order.id}`, { status: 'completed' });
    await sandbox.control.webhooksIdle();
    expect(receiver.deliveries()).toEqual([]);
    expect(sandbox.state.orders.get(order.id)?.status).toBe('completed');
    expect(sandbox.control.deliveries().at(-1)).toMatchObject({ outcome: 'dropped', fault: 'dropped', response: null });
    sandbox.faults.reset();
    await call('PUT', `orders/${order.id}`, { customer_note: 'after reset' });
    await sandbox.control.webhooksIdle();
    expect(receiver.deliveries()).toHaveLength(1);
  });

  it('slows REST responses down', async () => {
    sandbox.faults.slowResponses({ ms: 150, match: { path: '/orders' }, count: 1 });
    const t0 = Date.now();
    await call('GET', 'orders');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const t1 = Date.now();
    await call('GET', 'orders');
    expect(Date.now() - t1).toBeLessThan(140);
  });

  it('fails the next N requests with 5xx bodies a store or its proxy sends', async () => {
    sandbox.faults.failResponses({ count: 2, status: 503 });
    const first = await call('GET', 'orders');
    expect([first.status, first.headers.get('retry-after'), first.headers.get('content-type')]).toEqual([503, '600', 'text/html; charset=UTF-8']);
    const second = await call('POST', 'orders', {});
    expect(second.status).toBe(503);
    expect(sandbox.state.orders.size).toBe(0);
    expect((await call('GET', 'orders')).status).toBe(200);

    sandbox.faults.failResponses({ count: 1 });
    const crash = await call('GET', 'orders');
    expect(crash.status).toBe(500);
    expect(await crash.json()).toMatchObject({ code: 'internal_server_error', data: { status: 500 }, additional_errors: [] });
  });

  it('can fail after handling, so the change lands but the client sees an error', async () => {
    sandbox.faults.failResponses({ count: 1, status: 504, afterHandling: true, match: { method: 'POST' } });
    const res = await call('POST', 'orders', { customer_note: 'did it land?' });
    expect(res.status).toBe(504);
    expect([...sandbox.state.orders.values()].map((o) => o.customer_note)).toEqual(['did it land?']);
  });

  it('fails a share of requests at a seeded rate', async () => {
    sandbox.faults.failResponses({ rate: 0.5, status: 502 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await call('GET', 'orders')).status);
    const failed = statuses.filter((s) => s === 502).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
    expect(statuses.every((s) => s === 200 || s === 502)).toBe(true);
  });
});

describe('rate limiting', () => {
  let sandbox: WooSandbox;
  beforeAll(async () => {
    sandbox = await startWooSandbox({ assumeHttps: true, rateLimit: { requestsPerWindow: 3, windowMs: 60_000 } });
  });
  afterAll(() => sandbox.close());

  it('answers 429 with Retry-After once the window is used up', async () => {
    const answers: Response[] = [];
    for (let i = 0; i < 4; i++) answers.push(await fetch(`${sandbox.apiUrl}/products`, { headers: { authorization: basicAuth(sandbox) } }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const last = answers[3];
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last.json()).toMatchObject({ code: 'rate_limit_exceeded', data: { status: 429 } });
    expect(sandbox.control.counters().rateLimited).toBe(1);
  });
});
