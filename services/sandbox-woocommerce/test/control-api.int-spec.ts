import { startWooSandbox, type WooSandbox } from '../src';
import { control as callControl, type RestAnswer } from './woo-http';

describe('control API over HTTP (/__sandbox)', () => {
  let sandbox: WooSandbox;
  const control = (method: string, path: string, body?: unknown): Promise<RestAnswer> => callControl(sandbox, method, path, body);

  beforeAll(async () => {
    sandbox = await startWooSandbox({ seed: 21 });
  });
  afterAll(() => sandbox.close());

  it('reports where the store is and its keys', async () => {
    const { json } = await control('GET', '');
    expect(json).toMatchObject({ url: sandbox.url, apiUrl: sandbox.apiUrl, consumerKey: sandbox.consumerKey, seed: 21, currency: 'SEK' });
  });

  it('generates products, customers and orders', async () => {
    const products = await control('POST', '/generate/products', { n: 40, variationsShare: 0.5 });
    expect(products.json.skus).toHaveLength(40);
    const customers = await control('POST', '/generate/customers', { n: 3 });
    expect(customers.json.customerIds).toHaveLength(3);
    const orders = await control('POST', '/generate/orders', { n: 5, refundShare: 1 });
    expect(orders.json.orders).toBe(5);
    expect(sandbox.state.orders.size).toBe(5);
  });

  it('switches faults on and off', async () => {
    expect((await control('POST', '/faults/fail-responses', { count: 1, status: 502 })).json.failResponses).toEqual([{ count: 1, status: 502, injected: 0 }]);
    expect((await fetch(`${sandbox.apiUrl}/orders`)).status).toBe(502);
    await control('POST', '/faults/drop-deliveries', { topic: 'order.updated' });
    expect((await control('DELETE', '/faults')).json).toEqual({ slowResponses: [], failResponses: [], duplicateDeliveries: [], reorderDeliveries: [], dropDeliveries: [] });
  });

  it('shows counters and delivery logs, trashes and restores orders, resets the store', async () => {
    const counters = await control('GET', '/counters');
    expect(counters.json.requests['GET orders']).toBeGreaterThan(0);
    const id = [...sandbox.state.orders.keys()][0];
    await control('POST', `/orders/${id}/trash`);
    expect(sandbox.state.orders.get(id)?.status).toBe('trash');
    expect((await control('POST', `/orders/${id}/restore`)).json.status).not.toBe('trash');
    expect((await control('GET', '/deliveries')).json).toEqual([]);
    expect((await control('POST', '/webhooks/idle')).json).toEqual({ idle: true });
    await control('POST', '/reset');
    expect(sandbox.state.orders.size).toBe(0);
  });

  it('answers unknown routes and bad input with a JSON error', async () => {
    expect(await control('GET', '/nope')).toMatchObject({ status: 404, json: { error: expect.stringContaining('no control route') } });
    expect(await control('POST', '/generate/orders', {})).toMatchObject({ status: 400, json: { error: expect.stringContaining('"n"') } });
  });
});
