// BENCH_DRIVER for services/store-gateway/bench/stock-writes.bench.ts (`npm run bench:inventory`): a real
// inventory-sync, in this process, on its own schema and the gateway's topic suffix, computes the store's levels and
// emits them through its own full sync (`POST /tenants/:tenant/full-syncs`): one complete request, parts of 1,000
// items, appended to its outbox and published by its OutboxRelay, exactly as in production.
//
// The ERP levels are written into inventory-sync's `stock_levels` table in one set-based statement before the full
// sync, not consumed as stock-level.changed events: ingest runs at a few hundred readings/s on the 2-core VM (README,
// "Figures measured"), so 100,000 events would take minutes and measure the consumer rather than the write path this
// bench is about. The store is configured before the levels are written, so nothing is marked for the flush loop and
// the full sync is the only request the gateway gets.
import type { INestApplication } from '@nestjs/common';
import { createTestDatabase, eventually, type TestDatabase } from '@ledgerline/testing';
import { createInventorySyncApp } from '../src/app.factory';
import { loadInventorySyncConfig } from '../src/config/inventory-sync.config';

/**
 * The context stock-writes.bench.ts hands a driver (its `StockBenchContext`, repeated here so that this service does
 * not import another service's code).
 */
export interface StockBenchContext {
  tenantId: string;
  storeId: string;
  levels: Map<string, number>;
  kafkaBrokers: string[];
  databaseUrl: string;
  topicSuffix: string;
}

const ADMIN = 'bench-inventory-driver-admin-0123456789';
const SEED_CHUNK = 20_000;

const seconds = (from: number): string => ((performance.now() - from) / 1000).toFixed(1);

/** Makes inventory-sync request `ctx.levels` for the store; resolves with the request's computedAt once all parts are on Kafka. */
export async function drive(ctx: StockBenchContext): Promise<string> {
  const t0 = performance.now();
  const db: TestDatabase = await createTestDatabase('bench_inventory_driver', 5);
  const config = loadInventorySyncConfig({
    DATABASE_URL: ctx.databaseUrl,
    KAFKA_BROKERS: ctx.kafkaBrokers.join(','),
    PORT: '0',
    INVENTORY_SYNC_SCHEMA: db.schema,
    INVENTORY_SYNC_TOPIC_SUFFIX: ctx.topicSuffix,
    INVENTORY_SYNC_ADMIN_TOKEN: ADMIN,
    INVENTORY_SYNC_RECONCILE_INTERVAL_MS: '0',
  });
  const app: INestApplication = await createInventorySyncApp(config, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const admin = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`inventory-sync ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  // One ERP figure per article (warehouse null), no buffer: the store must show exactly ctx.levels.
  await admin('PUT', `/tenants/${ctx.tenantId}/stores/${ctx.storeId}`, { warehouses: [null], safetyBuffer: '0' });
  const seedStart = performance.now();
  const entries = [...ctx.levels];
  for (let i = 0; i < entries.length; i += SEED_CHUNK) {
    const chunk = entries.slice(i, i + SEED_CHUNK);
    await db.pool.query(
      `INSERT INTO ${db.schema}.stock_levels (tenant_id, sku, warehouse_key, quantity, erp, erp_connection_id, read_at)
       SELECT $1, u.sku, '', u.quantity, 'fortnox', 'bench', now() FROM unnest($2::text[], $3::numeric[]) AS u(sku, quantity)`,
      [ctx.tenantId, chunk.map(([sku]) => sku), chunk.map(([, q]) => q)],
    );
  }
  const seeded = seconds(seedStart);

  const syncStart = performance.now();
  const started = await admin('POST', `/tenants/${ctx.tenantId}/full-syncs`, { storeId: ctx.storeId });
  const computed = seconds(syncStart);
  const [request] = started['requests'] as Array<{ requestId: string; parts: number; items: number }>;
  if (!request || request.items !== ctx.levels.size) throw new Error(`the full sync requested ${request?.items ?? 0} SKUs, expected ${ctx.levels.size}`);
  const { rows } = await db.pool.query<{ computed_at: string }>(
    `SELECT envelope->'payload'->>'computedAt' AS computed_at FROM ${db.schema}.outbox_messages WHERE envelope->'payload'->>'requestId' = $1 LIMIT 1`,
    [request.requestId],
  );
  const computedAt = rows[0]?.computed_at;
  if (!computedAt) throw new Error(`no outbox row for full sync ${request.requestId}`);

  const relayStart = performance.now();
  await eventually(
    async () => {
      const { rows: open } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${db.schema}.outbox_messages WHERE sent_at IS NULL`);
      return open[0]?.n === 0;
    },
    { timeoutMs: 600_000, intervalMs: 50, description: 'inventory-sync relay published the full sync' },
  );
  console.log(
    `inventory-sync driver: started in ${((seedStart - t0) / 1000).toFixed(1)} s; ${ctx.levels.size} ERP levels written in ${seeded} s; full sync computed and appended as ${request.parts} store-stock.requested events in ${computed} s; relay published them ${seconds(relayStart)} s later`,
  );

  // The gateway does the rest. inventory-sync is stopped once it has published (the bench exits without asking drivers
  // to clean up), so its consumers do not compete with the gateway for the two cores.
  void app.close().finally(() => db.drop());
  return computedAt;
}
