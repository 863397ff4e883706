// npm run bench:stock-writes (this file alone) or npm run bench:inventory (with inventory-sync as the driver).
// A full stock sync of BENCH_SKUS (default 100,000) SKUs into one sandbox store through store-gateway: requests
// go onto the gateway's store-stock.requested topic, the bench waits until the store shows every level, then
// prints elapsed time, batch requests (and the fewest possible), and p50/p99 from the request's computedAt to
// the level being visible in the store. Figures, not assertions.
//
// Who produces the requests (BENCH_DRIVER):
// - unset: this file plays inventory-sync: one full-sync request, parts of 1000, appended to an outbox in its own
//   schema and published by an OutboxRelay, exactly as inventory-sync's outbox would.
// - a module path: the module's `drive(ctx: StockBenchContext)` must make a real inventory-sync (running against
//   ctx.kafkaBrokers / ctx.topicSuffix) request ctx.levels for store ctx.storeId of tenant ctx.tenantId, and
//   resolve with the computedAt it used (ISO) once it has published; `npm run bench:inventory` wires this.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { envelope, STORE_STOCK_ITEMS_PER_EVENT, storeKey, StoreStockRequested } from '@ledgerline/contracts';
import { createKafka, ensureMessagingSchema, OutboxRelay, OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { metricsRegistry } from '@ledgerline/observability';
import { startWooSandbox } from '@ledgerline/sandbox-woocommerce';
import { createTestDatabase, testInfra, uniqueSuffix } from '@ledgerline/testing';
import { createStoreGatewayApp } from '../src/app.factory';
import { loadStoreGatewayConfig } from '../src/config/store-gateway.config';
import { gatewayTopics } from '../src/messaging/topics';
import { minimalBatchCount } from '../src/stock/stock-batch.planner';

const SKUS = Number(process.env.BENCH_SKUS ?? 100_000);
const VARIATIONS_SHARE = Number(process.env.BENCH_VARIATIONS_SHARE ?? 0.2);
const PER_PARENT = Number(process.env.BENCH_VARIATIONS_PER_PARENT ?? 100);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 1800);
const ADMIN = 'bench-admin-token-0123456789abcdef';
const STORE = 'bench-stock-shop';
const TENANT = 'bench';

/** What a BENCH_DRIVER module gets. */
export interface StockBenchContext {
  tenantId: string;
  storeId: string;
  /** SKU → whole quantity the store must end up showing. */
  levels: Map<string, number>;
  kafkaBrokers: string[];
  databaseUrl: string;
  /** The topic suffix the gateway runs with; a real inventory-sync must use the same. */
  topicSuffix: string;
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

/** The default driver: plays inventory-sync through an outbox and relay of its own. */
async function publishAsInventorySync(ctx: StockBenchContext): Promise<string> {
  const db = await createTestDatabase('bench_inventory_sync');
  await ensureMessagingSchema(db.pool, db.schema);
  const relay = new OutboxRelay({ pool: db.pool, kafka: createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench-inventory-sync' }), schema: db.schema });
  await relay.start();
  const outbox = new OutboxWriter(db.schema);
  const topic = gatewayTopics({ topicSuffix: ctx.topicSuffix }).stockRequests;
  const items = [...ctx.levels].map(([sku, q]) => ({ sku, quantity: String(q) }));
  const parts = Math.ceil(items.length / STORE_STOCK_ITEMS_PER_EVENT);
  const requestId = `bench-${Date.now()}`;
  const computedAt = new Date().toISOString();
  await withTransaction(db.pool, async (tx) => {
    for (let i = 0; i < parts; i++) {
      const event = new StoreStockRequested({
        tenantId: ctx.tenantId,
        storeId: ctx.storeId,
        requestId,
        reason: 'full-sync',
        part: i + 1,
        parts,
        complete: true,
        items: items.slice(i * STORE_STOCK_ITEMS_PER_EVENT, (i + 1) * STORE_STOCK_ITEMS_PER_EVENT),
        computedAt,
      });
      await outbox.append(tx, envelope.of(event, { tenantId: ctx.tenantId, storeId: ctx.storeId }), { topic, key: storeKey(ctx.tenantId, ctx.storeId) });
    }
  });
  // Stop the relay once everything went out (the gateway's consumer does the rest).
  void (async () => {
    for (;;) {
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${db.schema}.outbox_messages WHERE sent_at IS NULL`);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await relay.stop();
    await db.drop();
  })();
  return computedAt;
}

async function main(): Promise<void> {
  const infra = await testInfra();
  const db = await createTestDatabase('bench_store_gateway', 10);
  const topicSuffix = uniqueSuffix();
  const config = loadStoreGatewayConfig({
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PORT: '0',
    STORE_GATEWAY_SCHEMA: db.schema,
    STORE_GATEWAY_TOPIC_SUFFIX: topicSuffix,
    STORE_GATEWAY_SECRETS_KEY: randomBytes(32).toString('base64'),
    STORE_GATEWAY_ADMIN_TOKEN: ADMIN,
    STORE_GATEWAY_PUBLIC_URL: 'http://127.0.0.1:1',
    STORE_GATEWAY_SWEEP_INTERVAL_MS: '0',
    STORE_GATEWAY_WEBHOOK_HEALTH_INTERVAL_MS: '0',
    STORE_GATEWAY_WEBHOOK_HEALTH_AT_START: 'false',
    STORE_GATEWAY_STOCK_POLL_MS: '50',
  });
  const app: INestApplication = await createStoreGatewayApp(config, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const woo = await startWooSandbox({ seed: 7 });
  try {
    const reg = await fetch(`${base.replace('[::1]', '127.0.0.1')}/stores/${STORE}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: TENANT, siteUrl: woo.url, currency: 'SEK', consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret }),
    });
    if (reg.status !== 200) throw new Error(`store registration failed: ${reg.status} ${await reg.text()}`);

    const t0 = performance.now();
    const made = woo.control.generateProducts(SKUS, { variationsShare: VARIATIONS_SHARE, variationsPerParent: PER_PARENT, webhooks: false });
    console.log(`catalogue: ${made.skus.length} SKUs (${made.variationIds.length} variations of ${made.parentSkus.length} variable products) generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // Above anything the generator sets (0–250), so no level is right before it is written.
    const levels = new Map(made.skus.map((sku, i) => [sku, 1000 + ((i * 37 + 11) % 500)]));
    const ids = made.skus.map((sku) => woo.state.skus.get(sku) as number);
    const parents = ids.map((id) => woo.state.products.get(id)?.parent_id ?? 0);
    const minimum = minimalBatchCount(parents.map((parentId) => ({ parentId })));
    woo.control.resetCounters();

    const ctx: StockBenchContext = { tenantId: TENANT, storeId: STORE, levels, kafkaBrokers: infra.kafkaBrokers, databaseUrl: infra.databaseUrl, topicSuffix };
    const driverPath = process.env.BENCH_DRIVER;
    const start = performance.now();
    const computedAt = driverPath
      ? await ((await import(resolve(driverPath))) as { drive(c: StockBenchContext): Promise<string> }).drive(ctx)
      : await publishAsInventorySync(ctx);
    const computedMs = Date.parse(computedAt);

    // Watch the store: the first moment each SKU shows its level (50 ms polls) is its write time.
    const latencies: number[] = [];
    let firstVisible = NaN;
    let open = made.skus.map((sku, i) => ({ id: ids[i] as number, want: levels.get(sku) as number }));
    const deadline = Date.now() + TIMEOUT_S * 1000;
    while (open.length > 0) {
      if (Date.now() > deadline) throw new Error(`${open.length} of ${made.skus.length} levels not in the store after ${TIMEOUT_S} s`);
      await new Promise((r) => setTimeout(r, 50));
      const now = Date.now();
      const before = open.length;
      open = open.filter((o) => {
        const p = woo.state.products.get(o.id);
        if (p && p.manage_stock && p.stock_quantity === o.want) {
          latencies.push(now - computedMs);
          return false;
        }
        return true;
      });
      if (open.length < before && Number.isNaN(firstVisible)) firstVisible = (performance.now() - start) / 1000;
    }
    const elapsed = (performance.now() - start) / 1000;
    const counters = woo.control.counters();
    const products = counters.batches['products/batch']?.requests ?? 0;
    const variations = counters.batches['products/{id}/variations/batch']?.requests ?? 0;
    const gets = Object.entries(counters.requests).filter(([k]) => k.startsWith('GET ')).reduce((n, [, v]) => n + v, 0);
    latencies.sort((a, b) => a - b);
    console.log(`full sync of ${made.skus.length} SKUs into one store: ${elapsed.toFixed(1)} s (${Math.round(made.skus.length / elapsed)} SKUs/s), driver ${driverPath ?? 'built-in outbox publisher'}`);
    console.log(`batch requests: ${products + variations} (products/batch ${products}, variations/batch ${variations}); minimum ${minimum}; ratio ${((products + variations) / minimum).toFixed(3)}; ⌈SKUs/100⌉ = ${Math.ceil(made.skus.length / 100)}`);
    console.log(`catalogue reads (SKU index crawl and look-ups): ${gets} GET requests; first level visible after ${firstVisible.toFixed(1)} s (consumer start, parts, index crawl), writes took ${(elapsed - firstVisible).toFixed(1)} s (${Math.round((products + variations) / (elapsed - firstVisible))} batch requests/s)`);
    const json = await metricsRegistry.getMetricsAsJSON();
    const writeHist = json.find((m) => m.name === 'ledgerline_store_stock_write_duration_seconds');
    const sum = (writeHist?.values ?? []).filter((v) => String((v as { metricName?: string }).metricName).endsWith('_sum')).reduce((n, v) => n + Number(v.value), 0);
    console.log(`time inside batch calls (store answering, client retries included): ${sum.toFixed(1)} s of the ${(elapsed - firstVisible).toFixed(1)} s of writes (${((sum / (products + variations)) * 1000).toFixed(0)} ms per batch request); the rest is the gateway's bookkeeping (outcomes, echo guards, index) and the outbox reports`);
    console.log(`computedAt → level visible in the store: p50 ${(pct(latencies, 50) / 1000).toFixed(2)} s, p99 ${(pct(latencies, 99) / 1000).toFixed(2)} s, max ${(pct(latencies, 100) / 1000).toFixed(2)} s`);
  } finally {
    await woo.close();
    await app.close();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
