import { startWooSandbox, type WooSandbox } from './sandbox';
import { WooApiError, WooCommerceClient, type WooCommerceClientOptions } from '../src';

const quiet = { info: () => undefined, warn: () => undefined };

describe('products, variations and batches against the WooCommerce sandbox', () => {
  let sandbox: WooSandbox;
  let woo: WooCommerceClient;
  let simpleIds: number[];
  let variable: { productId: number; variationIds: number[]; variationSku: string };
  const clientFor = (opts: Partial<WooCommerceClientOptions> = {}) =>
    new WooCommerceClient({ siteUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 }, logger: quiet, ...opts });

  beforeAll(async () => {
    sandbox = await startWooSandbox({ seed: 33 });
    simpleIds = sandbox.control.generateProducts(250, { variationsShare: 0, manageStockShare: 1, skuPrefix: 'STK', webhooks: false }).productIds;
    const generated = sandbox.control.generateProducts(6, { variationsShare: 1, skuPrefix: 'VAR', webhooks: false });
    const variationId = generated.variationIds[0] as number;
    const productId = sandbox.state.products.get(variationId)?.parent_id as number;
    variable = {
      productId,
      variationIds: generated.variationIds.filter((id) => sandbox.state.products.get(id)?.parent_id === productId),
      variationSku: sandbox.state.products.get(variationId)?.sku as string,
    };
    woo = clientFor();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.faults.reset();
    sandbox.control.resetCounters();
  });

  it('sends 250 stock updates as 3 batch requests and surfaces the one item WooCommerce refused', async () => {
    const update = [...simpleIds.map((id, i) => ({ id, stock_quantity: 1000 + i })), { id: 987_654, stock_quantity: 5 }];

    const result = await woo.batchProducts({ update });

    expect(result.requests).toBe(3);
    expect(sandbox.control.counters().batches['products/batch']).toEqual({ requests: 3, rejected: 0, items: 251, create: 0, update: 251, delete: 0, failedItems: 1 });
    expect(result.update.filter((r) => r.ok)).toHaveLength(250);
    expect(result.failures).toHaveLength(1);
    const failure = result.failures[0];
    expect(failure).toMatchObject({ action: 'update', index: 250, id: 987_654, error: { code: 'WOO_NOT_FOUND', kind: 'permanent', wooCode: 'woocommerce_rest_product_invalid_id' } });
    expect(failure?.error.operatorMessage).toContain(`WooCommerce at ${sandbox.url}`);
    expect(failure?.error.operatorMessage).toContain('while updating product 987654 in a batch');
    expect(simpleIds.map((id) => sandbox.state.products.get(id)?.stock_quantity)).toEqual(simpleIds.map((_, i) => 1000 + i));
  });

  it('retries a batch of absolute stock updates that met a 503, without applying anything twice', async () => {
    sandbox.faults.failResponses({ status: 503, count: 1, match: { path: '/products/batch' } });
    const result = await woo.batchProducts({ update: simpleIds.slice(0, 3).map((id) => ({ id, stock_quantity: 7 })) });
    expect(result.failures).toEqual([]);
    expect(sandbox.control.counters().requests['POST products/batch']).toBe(2);
    expect(sandbox.control.counters().statuses['503']).toBe(1);
    expect(simpleIds.slice(0, 3).map((id) => sandbox.state.products.get(id)?.stock_quantity)).toEqual([7, 7, 7]);
  });

  it('retries reads on 503 until the store answers', async () => {
    sandbox.faults.failResponses({ status: 503, count: 2, match: { method: 'GET', path: '/products' } });
    const page = await woo.listProducts({ per_page: 5 });
    expect(page.items).toHaveLength(5);
    expect(sandbox.control.counters().statuses).toEqual({ '200': 1, '503': 2 });
  });

  it('does not repeat a create whose answer was lost, and says so', async () => {
    sandbox.faults.failResponses({ status: 502, count: 1, afterHandling: true, match: { path: '/products/batch' } });
    const err = await woo.batchProducts({ create: [{ name: 'Lost answer', sku: 'LOST-1', regular_price: '10.00' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WooApiError);
    expect(err).toMatchObject({ code: 'WOO_UNAVAILABLE', outcomeUnknown: true, attempts: 1, batchProgress: { itemsUnconfirmed: 1 } });
    // the store did create it: the caller has to look before creating again
    expect(await woo.findProductsBySku('LOST-1')).toHaveLength(1);
    expect(sandbox.control.counters().batches['products/batch']?.requests).toBe(1);
  });

  it('reports a duplicate SKU inside a batch as WOO_CONFLICT for that item', async () => {
    const taken = sandbox.state.products.get(simpleIds[0] as number)?.sku as string;
    const result = await woo.batchProducts({ create: [{ name: 'Clash', sku: taken, regular_price: '1.00' }, { name: 'Fine', sku: 'NEW-OK-1', regular_price: '1.00' }] });
    expect(result.create.map((r) => r.ok)).toEqual([false, true]);
    expect(result.failures[0]?.error).toMatchObject({ code: 'WOO_CONFLICT', wooCode: 'product_invalid_sku' });
    expect(result.failures[0]?.error.operatorMessage).toContain(`creating a product (SKU "${taken}") in a batch`);
  });

  it('finds simple products and variations by exact SKU', async () => {
    const simpleSku = sandbox.state.products.get(simpleIds[10] as number)?.sku as string;
    const found = await woo.findProductsBySku([simpleSku, variable.variationSku]);
    expect(found.map((p) => [p.id, p.type]).sort()).toEqual(
      [
        [simpleIds[10], 'simple'],
        [variable.variationIds[0], 'variation'],
      ].sort(),
    );
    expect(await woo.findProductsBySku('NO-SUCH-SKU')).toEqual([]);
  });

  it('sweeps all products although far more than a page of them share one modification second', async () => {
    const sweep = woo.iterateProducts({ perPage: 50, modifiedBefore: new Date(Date.now() + 2000) });
    const ids: number[] = [];
    for await (const product of sweep) ids.push(product.id);
    const products = [...sandbox.state.products.values()].filter((p) => p.type !== 'variation');
    const perSecond = new Map<number, number>();
    for (const p of products) perSecond.set(Math.floor(p.dateModified.getTime() / 1000), (perSecond.get(Math.floor(p.dateModified.getTime() / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeGreaterThan(50);
    const expected = products.map((p) => p.id);
    expect(ids.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists, sweeps and batch-updates the variations of a variable product', async () => {
    const page = await woo.listVariations(variable.productId, { per_page: 100 });
    expect(page.items.map((v) => v.id).sort()).toEqual([...variable.variationIds].sort());

    const swept: number[] = [];
    for await (const v of woo.iterateVariations(variable.productId, { modifiedBefore: new Date(Date.now() + 2000) })) swept.push(v.id);
    expect(swept.sort()).toEqual([...variable.variationIds].sort());

    const result = await woo.batchVariations(variable.productId, { update: variable.variationIds.map((id) => ({ id, manage_stock: true, stock_quantity: 3 })) });
    expect(result.failures).toEqual([]);
    expect(result.update.map((r) => r.ok && r.item.stock_quantity)).toEqual(variable.variationIds.map(() => 3));
    expect(sandbox.control.counters().batches['products/{id}/variations/batch']?.requests).toBe(1);
  });

  it('authenticates with HTTP Basic when the store sits behind TLS (assumeHttps)', async () => {
    const tls = await startWooSandbox({ seed: 34, assumeHttps: true });
    try {
      tls.control.generateProducts(3, { webhooks: false });
      const basic = new WooCommerceClient({ siteUrl: tls.url, consumerKey: tls.consumerKey, consumerSecret: tls.consumerSecret, auth: 'basic', logger: quiet });
      expect((await basic.listProducts()).items.length).toBeGreaterThan(0);
    } finally {
      await tls.close();
    }
  });
});

describe('rate limits against the WooCommerce sandbox', () => {
  let sandbox: WooSandbox;
  beforeAll(async () => {
    sandbox = await startWooSandbox({ seed: 35, rateLimit: { requestsPerWindow: 3, windowMs: 1000 } });
  });
  afterAll(() => sandbox.close());

  it('waits out a 429 for as long as Retry-After says, then succeeds', async () => {
    const woo = new WooCommerceClient({ siteUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 2000 }, logger: quiet });
    const started = Date.now();
    for (let i = 0; i < 5; i++) await woo.listOrders();
    const counters = sandbox.control.counters();
    expect(counters.rateLimited).toBeGreaterThanOrEqual(1);
    expect(counters.statuses['200']).toBe(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('hands the 429 to the caller when Retry-After is longer than it may wait', async () => {
    const impatient = new WooCommerceClient({ siteUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 100 }, logger: quiet });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => impatient.listOrders()));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as WooApiError);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]).toMatchObject({ code: 'WOO_RATE_LIMITED', kind: 'transient', wooCode: 'rate_limit_exceeded', attempts: 1 });
    expect(rejected[0]?.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });
});
