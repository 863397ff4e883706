/* eslint-disable @typescript-eslint/no-non-null-assertion -- stores and SKUs asserted to exist just before. */
import type { WooSandbox } from '@ledgerline/sandbox-woocommerce';
import { addStore, batchRequests, reportsOf, StockRequestProducer } from './stock.harness';
import { startGateway, type Gateway } from './store-gateway.harness';

// 20,000 SKUs in each of three stores, a fifth of them variations in groups of 100 per variable product (the grouping
// that lets a full sync reach ⌈SKUs/100⌉ batch requests; see README "Stock writes" for the general minimum).
const STORES = [
  { storeId: 'vol-a', seed: 61, simple: 16_000, variations: 4_000 },
  { storeId: 'vol-b', seed: 62, simple: 16_000, variations: 4_000 },
  { storeId: 'vol-c', seed: 63, simple: 16_000, variations: 4_000 },
];

describe('store-gateway full stock sync at volume (sandbox WooCommerce, real PostgreSQL and Kafka)', () => {
  let gw: Gateway;
  let producer: StockRequestProducer;
  const stores = new Map<string, { woo: WooSandbox; skus: string[] }>();

  beforeAll(async () => {
    gw = await startGateway({ seed: 60, env: { STORE_GATEWAY_STOCK_POLL_MS: '50' } });
    producer = await StockRequestProducer.start(gw);
    for (const s of STORES) {
      const woo = await addStore(gw, s.seed, s.storeId);
      const n = s.simple + s.variations;
      const made = woo.control.generateProducts(n, { variationsShare: s.variations / n, variationsPerParent: 100, webhooks: false });
      stores.set(s.storeId, { woo, skus: made.skus });
    }
  }, 90_000);
  afterAll(async () => {
    await producer?.close();
    for (const { woo } of stores.values()) await woo.close();
    await gw?.close();
  });

  it('writes every level of 20,000 SKUs in each of 3 stores with ⌈SKUs/100⌉ batch requests per store, one report per part', async () => {
    const quantity = (i: number) => String((i * 37) % 400);
    const requests = new Map<string, string>();
    for (const s of STORES) {
      const { skus } = stores.get(s.storeId)!;
      expect(skus).toHaveLength(s.simple + s.variations);
      requests.set(s.storeId, await producer.request({ storeId: s.storeId, reason: 'full-sync', complete: true, items: skus.map((sku, i) => ({ sku, quantity: quantity(i) })) }));
    }
    for (const s of STORES) {
      const { woo, skus } = stores.get(s.storeId)!;
      const parts = Math.ceil(skus.length / 1000);
      const reports = await reportsOf(gw, requests.get(s.storeId)!, parts, 240_000);
      expect(reports.map((r) => r.part)).toEqual(Array.from({ length: parts }, (_, i) => i + 1));
      expect(reports.reduce((n, r) => n + r.written.length, 0)).toBe(skus.length);
      expect(reports.flatMap((r) => [...r.unknownSkus, ...r.failed])).toEqual([]);
      expect(reports[parts - 1].storeOnlySkus).toEqual([]);
      for (const [i, sku] of skus.entries()) {
        const p = woo.state.products.get(woo.state.skus.get(sku)!)!;
        if (p.stock_quantity !== Number(quantity(i)) || !p.manage_stock) throw new Error(`store ${s.storeId} shows ${p.stock_quantity} for ${sku}, expected ${quantity(i)}`);
      }
      const batches = batchRequests(woo);
      expect(batches).toEqual({ products: Math.ceil(s.simple / 100), variations: Math.ceil(s.variations / 100), total: Math.ceil(skus.length / 100) });
    }
  }, 300_000);

  it('writes nothing twice when a request is delivered again', async () => {
    const { woo, skus } = stores.get('vol-a')!;
    const envs = producer.envelopes({ storeId: 'vol-a', reason: 'change', complete: false, items: skus.slice(0, 150).map((sku) => ({ sku, quantity: '9' })) });
    await producer.publish(envs);
    await reportsOf(gw, envs[0]!.payload.requestId, 1);
    const after = batchRequests(woo).total;
    // The same event again (same id), then a new request behind it on the same key: once that one is reported,
    // the repeat has been consumed.
    await producer.redeliver(envs);
    const marker = await producer.request({ storeId: 'vol-a', reason: 'change', complete: false, items: [{ sku: skus[0]!, quantity: '10' }] });
    await reportsOf(gw, marker, 1);
    expect(batchRequests(woo).total).toBe(after + 1);
    const { rows } = await gw.db.pool.query(`SELECT count(*)::int AS n FROM ${gw.db.schema}.outbox_messages WHERE event_type = 'store-stock.applied' AND envelope->'payload'->>'requestId' = $1`, [envs[0]!.payload.requestId]);
    expect(rows[0].n).toBe(1);
  }, 60_000);
});
