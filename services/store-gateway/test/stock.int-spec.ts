/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-non-null-assertion -- reports are read as JSON; ids asserted to exist just before. */
import type { WooSandbox } from '@ledgerline/sandbox-woocommerce';
import { eventually, readTopic } from '@ledgerline/testing';
import { addStore, batchRequests, reportsOf, StockRequestProducer } from './stock.harness';
import { startGateway, TENANT, type Gateway } from './store-gateway.harness';

async function metric(gw: Gateway, name: string): Promise<number> {
  const text = await (await fetch(`${gw.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : 0;
}

// Each test waits on Kafka, the consumer and the sandbox; on a busy shared machine that can take a while.
jest.setTimeout(120_000);

const sellable = (woo: WooSandbox) => [...woo.state.products.values()].filter((p) => p.type !== 'variable');

describe('store-gateway stock writes (sandbox WooCommerce, real PostgreSQL and Kafka)', () => {
  let gw: Gateway;
  let producer: StockRequestProducer;

  beforeAll(async () => {
    gw = await startGateway({ seed: 51, env: { STORE_GATEWAY_STOCK_POLL_MS: '50', STORE_GATEWAY_STOCK_PARTS_WAIT_MS: '1500' } });
    producer = await StockRequestProducer.start(gw);
  });
  afterAll(async () => {
    await producer?.close();
    await gw?.close();
  });

  it('writes a change through one products batch and one variations batch, reports was/now, and reports an unknown SKU after looking it up', async () => {
    const woo = gw.woo;
    const made = woo.control.generateProducts(30, { variationsShare: 1 / 3, variationsPerParent: 10, manageStockShare: 1, webhooks: false });
    const before = new Map(sellable(woo).map((p) => [p.sku, p.stock_quantity]));
    const items = made.skus.map((sku, i) => ({ sku, quantity: String(100 + i) }));
    woo.control.resetCounters();
    const requestId = await producer.request({ storeId: gw.storeId, reason: 'change', complete: false, items: [...items, { sku: 'NOPE-404', quantity: '1' }] });

    const [report] = await reportsOf(gw, requestId, 1);
    expect(report).toMatchObject({ tenantId: TENANT, storeId: gw.storeId, requestId, part: 1, parts: 1, unknownSkus: ['NOPE-404'], failed: [], storeOnlySkus: [], unchangedCount: '0' });
    expect(report.written).toHaveLength(30);
    for (const w of report.written) expect(w).toEqual({ sku: w.sku, was: String(before.get(w.sku)), now: items.find((i) => i.sku === w.sku)!.quantity });
    for (const p of sellable(woo)) expect(p).toMatchObject({ manage_stock: true, stock_quantity: Number(items.find((i) => i.sku === p.sku)!.quantity) });
    // 20 simple products in one products batch; 10 variations of one parent in one variations batch.
    expect(batchRequests(woo)).toEqual({ products: 1, variations: 1, total: 2 });
    // Every SKU was unknown to the index: one ?sku= look-up of 100 SKUs at most per request.
    expect(woo.control.counters().requests['GET products']).toBe(1);

    // The report reaches Kafka through the relay, keyed by store.
    const msgs = await readTopic(gw.topics.stockReports, { expected: 1, timeoutMs: 45_000 });
    expect(msgs.some((m) => m.key === `${TENANT}:${gw.storeId}` && JSON.parse(m.value).payload.requestId === requestId)).toBe(true);
  });

  it('reports a per-item refusal with WooCommerce\'s code and message, and applies the other items', async () => {
    const woo = gw.woo;
    const [gone, kept] = sellable(woo).filter((p) => p.parent_id === 0);
    // Deleted in the store after the index learnt it (a permanent delete fires no webhook).
    woo.state.products.delete(gone!.id);
    woo.state.skus.delete(gone!.sku);
    const requestId = await producer.request({ storeId: gw.storeId, reason: 'change', complete: false, items: [{ sku: gone!.sku, quantity: '5' }, { sku: kept!.sku, quantity: '6' }] });
    const [report] = await reportsOf(gw, requestId, 1);
    expect(report.failed).toEqual([{ sku: gone!.sku, code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.' }]);
    expect(report.written).toEqual([{ sku: kept!.sku, was: expect.any(String), now: '6' }]);
    expect(woo.state.products.get(kept!.id)!.stock_quantity).toBe(6);

    // The index forgot the stale id: the next request looks the SKU up and reports it unknown.
    const again = await producer.request({ storeId: gw.storeId, reason: 'change', complete: false, items: [{ sku: gone!.sku, quantity: '5' }] });
    expect((await reportsOf(gw, again, 1))[0]).toMatchObject({ unknownSkus: [gone!.sku], failed: [], written: [] });
  });

  it('reconciles: reads the store, writes only drifted SKUs, reports was/now, and lists managed store SKUs the complete request did not name', async () => {
    const woo = await addStore(gw, 52, 'recon-shop');
    try {
      const made = woo.control.generateProducts(60, { variationsShare: 0.5, variationsPerParent: 15, manageStockShare: 1, webhooks: false });
      const levels = new Map(sellable(woo).map((p) => [p.sku, p.stock_quantity as number]));
      const drifted = [made.skus[3]!, made.skus[40]!, made.skus[59]!];
      // A shop manager changes three levels by hand.
      for (const [n, sku] of drifted.entries()) woo.control.setStock(woo.state.skus.get(sku)!, 500 + n);
      const notNamed = [made.skus[10]!, made.skus[11]!];
      const items = made.skus.filter((s) => !notNamed.includes(s)).map((sku) => ({ sku, quantity: String(levels.get(sku)) }));
      woo.control.resetCounters();

      const requestId = await producer.request({ storeId: 'recon-shop', reason: 'reconciliation', complete: true, items });
      const [report] = await reportsOf(gw, requestId, 1);
      expect(report.written.sort((a: any, b: any) => a.sku.localeCompare(b.sku))).toEqual(
        drifted.map((sku, n) => ({ sku, was: String(500 + n), now: String(levels.get(sku)) })).sort((a, b) => a.sku.localeCompare(b.sku)),
      );
      expect(report.unchangedCount).toBe(String(items.length - 3));
      expect(report.storeOnlySkus).toEqual([...notNamed].sort());
      for (const sku of drifted) expect(woo.state.products.get(woo.state.skus.get(sku)!)!.stock_quantity).toBe(levels.get(sku));
      expect(batchRequests(woo).total).toBeLessThanOrEqual(3);
      expect(woo.control.counters().batches['products/batch']?.items ?? 0).toBe(drifted.filter((s) => woo.state.products.get(woo.state.skus.get(s)!)!.parent_id === 0).length);
    } finally {
      await woo.close();
    }
  });

  it('publishes no product.upserted for the webhooks its own writes cause, but does for a rename and a stock change made by hand', async () => {
    const woo = await addStore(gw, 53, 'echo-shop');
    try {
      const check = await gw.admin('POST', '/stores/echo-shop/webhooks/check');
      expect(check.json.created.length).toBeGreaterThan(0);
      const made = woo.control.generateProducts(12, { variationsShare: 0.5, variationsPerParent: 6, manageStockShare: 1, webhooks: false });
      const suppressedBefore = await metric(gw, 'ledgerline_store_stock_echo_suppressed_total');
      const requestId = await producer.request({ storeId: 'echo-shop', reason: 'full-sync', complete: true, items: made.skus.map((sku, i) => ({ sku, quantity: String(40 + i) })) });
      await reportsOf(gw, requestId, 1);
      await woo.control.webhooksIdle();
      const updates = woo.control.deliveries().filter((d) => d.kind === 'delivery' && d.topic === 'product.updated');
      expect(updates).toHaveLength(12);
      expect(updates.every((d) => d.response?.status === 200)).toBe(true);
      const upserts = async () => (await gw.outbox()).filter((r) => r.event_type === 'product.upserted' && r.message_key.startsWith(`${TENANT}:echo-shop:`));
      expect(await upserts()).toEqual([]);
      expect((await metric(gw, 'ledgerline_store_stock_echo_suppressed_total')) - suppressedBefore).toBe(12);

      const simple = sellable(woo).find((p) => p.parent_id === 0)!;
      const variation = sellable(woo).find((p) => p.parent_id !== 0)!;
      woo.control.editProduct(simple.id, { name: 'Renamed by the shop' });
      woo.control.setStock(variation.id, 3);
      await woo.control.webhooksIdle();
      const published = (await eventually(async () => ((await upserts()).length >= 2 ? upserts() : null), { timeoutMs: 30_000, description: 'two product.upserted' })).map((r) => r.envelope.payload);
      expect(published).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'Renamed by the shop', sku: simple.sku, stockQuantity: String(simple.stock_quantity) }),
          expect.objectContaining({ variationId: String(variation.id), sku: variation.sku, stockQuantity: '3' }),
        ]),
      );
      expect(published).toHaveLength(2);
    } finally {
      await woo.close();
    }
  });

  it('keeps a request through a store outage, shows it as open with the error, and writes each level once when the store answers again', async () => {
    const woo = await addStore(gw, 54, 'flaky-shop');
    try {
      const made = woo.control.generateProducts(250, { variationsShare: 0, manageStockShare: 1, webhooks: false });
      woo.control.resetCounters();
      // More failures in a row than the client's 4 attempts: the first pass gives up, the request waits and is retried.
      woo.faults.failResponses({ status: 502, count: 6, match: { path: 'products/batch' } });
      const requestId = await producer.request({ storeId: 'flaky-shop', reason: 'change', complete: false, items: made.skus.map((sku) => ({ sku, quantity: '77' })) });
      const open = await eventually(async () => {
        const res = await gw.admin('GET', '/stores/flaky-shop/stock-requests');
        return res.json[0]?.attempts >= 1 ? res.json[0] : null;
      }, { timeoutMs: 45_000, description: 'the request open after a failed attempt' });
      expect(open).toMatchObject({ requestId, reason: 'change', parts: 1, partsReceived: 1, partsReported: 0, lastErrorCode: expect.stringMatching(/^WOO_/), lastError: expect.stringContaining(woo.url) });
      expect((await gw.admin('POST', `/stores/flaky-shop/stock-requests/${requestId}/retry`)).status).toBe(200);

      const [report] = await reportsOf(gw, requestId, 1, 45_000);
      expect(report.written).toHaveLength(250);
      expect(report.failed).toEqual([]);
      expect([...woo.state.products.values()].every((p) => p.stock_quantity === 77)).toBe(true);
      // Refused requests never reached WooCommerce; the 3 accepted ones carried each SKU exactly once.
      expect(woo.control.counters().statuses['502']).toBe(6);
      expect(woo.control.counters().batches['products/batch']).toMatchObject({ requests: 3, items: 250 });
      expect((await gw.admin('GET', '/stores/flaky-shop/stock-requests?status=done')).json[0]).toMatchObject({ requestId, partsReported: 1 });
    } finally {
      await woo.close();
    }
  }, 120_000);

  it('applies the parts that came when another part never arrives, then closes the request so later ones go on', async () => {
    const woo = gw.woo;
    const skus = sellable(woo)
      .filter((p) => p.parent_id === 0)
      .slice(0, 3)
      .map((p) => p.sku);
    const items = Array.from({ length: 1001 }, (_, i) => ({ sku: i < 3 ? (skus[i] as string) : `MISSING-${i}`, quantity: '21' }));
    const envs = producer.envelopes({ storeId: gw.storeId, reason: 'full-sync', complete: true, items });
    expect(envs).toHaveLength(2);
    await producer.publish([envs[0]!]);
    const later = await producer.request({ storeId: gw.storeId, reason: 'change', complete: false, items: [{ sku: skus[0]!, quantity: '22' }] });

    const [part1] = await reportsOf(gw, envs[0]!.payload.requestId, 1);
    expect(part1).toMatchObject({ part: 1, parts: 2, storeOnlySkus: [] });
    expect(part1.written.map((w: any) => w.sku).sort()).toEqual([...skus].sort());
    expect(part1.unknownSkus).toHaveLength(997);
    await reportsOf(gw, later, 1);
    expect(woo.state.products.get(woo.state.skus.get(skus[0]!)!)!.stock_quantity).toBe(22);
    const closed = (await gw.admin('GET', `/stores/${gw.storeId}/stock-requests?status=done`)).json.find((r: any) => r.requestId === envs[0]!.payload.requestId);
    expect(closed).toMatchObject({ partsReceived: 1, partsReported: 1, lastErrorCode: 'STORE_STOCK_PARTS_MISSING', lastError: expect.stringContaining('without part(s) 2 of 2') });
  });
});
