// npm run bench:inventory-coalesce — how many ERP levels/s inventory-sync ingests and turns into store-stock requests,
// how many requests a stream of changes coalesces into, ERP change → request latency (p50/p99), and the time and
// number of events of a full sync of 100,000 SKUs. Figures, not assertions: run it on a quiet machine and compare runs.
//
// The service runs in-process as the tests start it (own schema and topic suffix, schedule off); levels are published
// through a producer outbox + relay to its real Kafka topic, as a connector's stock poll would.

import { envelope, keyFor, StockLevelChanged } from '@ledgerline/contracts';
import { createKafka, ensureMessagingSchema, OutboxRelay, OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { createTestDatabase, testInfra, uniqueSuffix } from '@ledgerline/testing';
import { createInventorySyncApp } from '../src/app.factory';
import { loadInventorySyncConfig } from '../src/config/inventory-sync.config';
import { inventoryTopics } from '../src/messaging/topics';

const LEVELS = Number(process.env.BENCH_LEVELS ?? 5_000);
const SKUS = Number(process.env.BENCH_SKUS ?? 250);
const STORES = Number(process.env.BENCH_STORES ?? 2);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 200);
const FULL_SYNC_SKUS = Number(process.env.BENCH_FULL_SYNC_SKUS ?? 100_000);
const BURST = Number(process.env.BENCH_BURST ?? 1_000);
const ADMIN = 'bench-admin-token-0123456789abcdef';
const TENANT = 'bench';

const pct = (sorted: number[], p: number): number => (sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const infra = await testInfra();
  const db = await createTestDatabase('bench_inventory_sync', 5);
  const producerDb = await createTestDatabase('bench_inventory_sync_producer', 5);
  const config = loadInventorySyncConfig({
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PORT: '0',
    INVENTORY_SYNC_SCHEMA: db.schema,
    INVENTORY_SYNC_TOPIC_SUFFIX: uniqueSuffix(),
    INVENTORY_SYNC_ADMIN_TOKEN: ADMIN,
    INVENTORY_SYNC_RECONCILE_INTERVAL_MS: '0',
    INVENTORY_SYNC_FLUSH_TICK_MS: process.env.INVENTORY_SYNC_FLUSH_TICK_MS ?? '20',
    INVENTORY_SYNC_COALESCE_WINDOW_MS: process.env.INVENTORY_SYNC_COALESCE_WINDOW_MS ?? '200',
    INVENTORY_SYNC_COALESCE_MAX_DELAY_MS: process.env.INVENTORY_SYNC_COALESCE_MAX_DELAY_MS ?? '1000',
  });
  const app = await createInventorySyncApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  await ensureMessagingSchema(producerDb.pool, producerDb.schema);
  const relay = new OutboxRelay({ pool: producerDb.pool, kafka: createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench-inventory-producer' }), schema: producerDb.schema, idleDelayMs: 10 });
  await relay.start();
  const writer = new OutboxWriter(producerDb.schema);
  const topics = inventoryTopics(config);
  const s = db.schema;
  const publish = async (levels: StockLevelChanged[]) => {
    for (let i = 0; i < levels.length; i += 500) {
      await withTransaction(producerDb.pool, async (tx) => {
        for (const level of levels.slice(i, i + 500)) {
          const env = envelope.of(level, { tenantId: TENANT, storeId: null });
          await writer.append(tx, env, { topic: topics.stockLevels, key: keyFor(env) });
        }
      });
    }
  };
  const level = (sku: string, quantity: number, readAt: Date) =>
    new StockLevelChanged({ tenantId: TENANT, sku, warehouseCode: null, quantity: String(quantity), erp: 'fortnox', erpConnectionId: 'bench', readAt: readAt.toISOString() });
  const count = async (sql: string, params: unknown[] = []) => Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);
  const processed = () => count(`SELECT count(*)::text AS n FROM ${s}.inbox_messages WHERE topic = $1`, [topics.stockLevels]);
  const requestsOf = (reason: string) => count(`SELECT count(*)::text AS n FROM ${s}.outbox_messages WHERE envelope->'payload'->>'reason' = $1`, [reason]);
  const untilSettled = async () => {
    while ((await count(`SELECT count(*)::text AS n FROM ${s}.store_stock WHERE dirty`)) > 0) await sleep(50);
  };

  try {
    for (let i = 1; i <= STORES; i++) await admin('PUT', `/tenants/${TENANT}/stores/store-${i}`, { warehouses: [null], safetyBuffer: '1' });

    // 0. Burst: BURST readings of one SKU published in one go; how many requests reach one store, and the final level.
    const burstStart = performance.now();
    await publish(Array.from({ length: BURST }, (_, i) => level('BURST-1', BURST - i, new Date(Date.now() + i))));
    const burstPublished = (performance.now() - burstStart) / 1000;
    while ((await processed()) < BURST) await sleep(50);
    const burstConsumed = (performance.now() - burstStart) / 1000;
    await untilSettled();
    const burstRequests = await count(`SELECT count(*)::text AS n FROM ${s}.outbox_messages WHERE envelope->'payload'->>'storeId' = 'store-1' AND envelope->'payload'->'items' @> '[{"sku": "BURST-1"}]'`);
    const { rows: last } = await db.pool.query<{ q: string }>(`SELECT requested_quantity::text AS q FROM ${s}.store_stock WHERE store_id = 'store-1' AND sku = 'BURST-1'`);
    console.log(
      `burst: ${BURST} readings of one SKU published in ${burstPublished.toFixed(2)} s, consumed after ${burstConsumed.toFixed(2)} s -> ${burstRequests} requests to store-1; last requested ${last[0]?.q} (expected 0: newest reading 1 less buffer 1)`,
    );

    const mark = await count(`SELECT coalesce(max(id), 0)::text AS n FROM ${s}.outbox_messages`);
    // 1. Ingest: LEVELS readings over SKUS SKUs, each SKU's readings in one run (a burst per SKU, as an ERP import
    // or a busy article gives), published as fast as the producer can.
    const t0 = Date.now();
    const perSku = Math.max(1, Math.floor(LEVELS / SKUS));
    const stream = Array.from({ length: LEVELS }, (_, i) => level(`SKU-${Math.floor(i / perSku) % SKUS}`, 1000 - (i % perSku), new Date(t0 + i)));
    const pubStart = performance.now();
    await publish(stream);
    const pubSeconds = (performance.now() - pubStart) / 1000;
    while ((await processed()) < LEVELS + BURST) await sleep(50);
    const ingestSeconds = (performance.now() - pubStart) / 1000;
    await untilSettled();
    const flushedSeconds = (performance.now() - pubStart) / 1000;
    const changeRequests = await count(`SELECT count(*)::text AS n FROM ${s}.outbox_messages WHERE id > $1`, [mark]);
    const changeItems = await count(`SELECT coalesce(sum(jsonb_array_length(envelope->'payload'->'items')), 0)::text AS n FROM ${s}.outbox_messages WHERE id > $1`, [mark]);
    console.log(`ingest: ${LEVELS} levels over ${SKUS} SKUs x ${STORES} stores published in ${pubSeconds.toFixed(2)} s`);
    console.log(`ingest: consumed in ${ingestSeconds.toFixed(2)} s = ${(LEVELS / ingestSeconds).toFixed(0)} levels/s; all requests committed after ${flushedSeconds.toFixed(2)} s`);
    console.log(`coalescing: ${LEVELS * STORES} store SKU changes -> ${changeRequests} requests carrying ${changeItems} items (${((LEVELS * STORES) / Math.max(1, changeItems)).toFixed(1)} changes per item sent)`);

    // 2. Latency: one change at a time, spaced apart, ERP event occurredAt -> request committed (outbox created_at).
    const marks: Array<{ sku: string; at: number }> = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const sku = `LAT-${i}`;
      marks.push({ sku, at: Date.now() });
      await publish([level(sku, 5 + i, new Date())]);
      await sleep(25);
    }
    while ((await processed()) < LEVELS + BURST + LATENCY_SAMPLES) await sleep(50);
    await untilSettled();
    const { rows } = await db.pool.query<{ sku: string; created: Date; occurred: string }>(
      `SELECT i->>'sku' AS sku, min(o.created_at) AS created FROM ${s}.outbox_messages o, jsonb_array_elements(o.envelope->'payload'->'items') i
        WHERE i->>'sku' LIKE 'LAT-%' GROUP BY i->>'sku'`,
    );
    const latencies = rows.map((r) => r.created.getTime() - (marks.find((m) => m.sku === r.sku)?.at ?? NaN)).filter(Number.isFinite).sort((a, b) => a - b);
    console.log(`latency ERP change -> request committed (window ${config.coalesceWindowMs} ms): n=${latencies.length} p50=${pct(latencies, 50)} ms p99=${pct(latencies, 99)} ms`);

    // 3. Full sync of FULL_SYNC_SKUS SKUs to one store: levels loaded straight into the table (ingest is measured above).
    await db.pool.query(
      `INSERT INTO ${s}.stock_levels (tenant_id, sku, warehouse_key, quantity, erp, erp_connection_id, read_at)
       SELECT 'bench-full', 'FS-' || g, '', (g % 50)::numeric, 'fortnox', 'bench', now() FROM generate_series(1, $1::int) g`,
      [FULL_SYNC_SKUS],
    );
    await admin('PUT', `/tenants/bench-full/stores/big`, { warehouses: [null], safetyBuffer: '2' });
    await untilSettled();
    const before = await requestsOf('full-sync');
    const fsStart = performance.now();
    const started = await admin('POST', `/tenants/bench-full/full-syncs`, { storeId: 'big' });
    const fsSeconds = (performance.now() - fsStart) / 1000;
    const requests = (started.json['requests'] as Array<{ parts: number; items: number }>) ?? [];
    console.log(
      `full sync: ${requests[0]?.items ?? 0} SKUs computed and appended as ${requests[0]?.parts ?? 0} store-stock.requested events in ${fsSeconds.toFixed(2)} s (HTTP ${started.status}; outbox rows ${(await requestsOf('full-sync')) - before})`,
    );
    const relayStart = performance.now();
    while ((await count(`SELECT count(*)::text AS n FROM ${s}.outbox_messages WHERE sent_at IS NULL`)) > 0) await sleep(50);
    console.log(`full sync: relay published them to Kafka ${((performance.now() - relayStart) / 1000).toFixed(2)} s later`);
  } finally {
    await relay.stop();
    await app.close();
    await db.drop();
    await producerDb.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
