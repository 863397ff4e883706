// npm run bench:ingest — store-gateway's webhook ingest rate and acknowledgement latency, beside the plain
// one-row-per-transaction INSERT rate of a store_orders-shaped table on the same database at the same concurrency.
// Figures, not assertions: run it on a quiet machine and compare runs, never gate CI on it.
//
// The gateway runs in-process as the tests start it (own schema and topic suffix, schedules off). The store is
// registered with an unreachable site URL: distinct orders without refunds never make the gateway call the store.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, testInfra, uniqueSuffix } from '@ledgerline/testing';
import { createStoreGatewayApp } from '../src/app.factory';
import { loadStoreGatewayConfig } from '../src/config/store-gateway.config';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const BODIES = Number(process.env.BENCH_BODIES ?? 20_000);
const ADMIN = 'bench-admin-token-0123456789abcdef';
const SECRET = 'bench-webhook-secret-0123456789';
const STORE = 'bench-shop';

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

/** Runs `once(i)` from `CONCURRENCY` workers for SECONDS (or until `limit` calls); returns calls/s and latencies. */
async function drive(once: (i: number) => Promise<void>, limit = Infinity): Promise<{ done: number; seconds: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const start = performance.now();
  const until = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until && next < limit) {
        const i = next++;
        const t = performance.now();
        await once(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { done: latencies.length, seconds: (performance.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

async function main(): Promise<void> {
  const infra = await testInfra();
  const db = await createTestDatabase('bench_store_gateway', 10);
  const config = loadStoreGatewayConfig({
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PORT: '0',
    STORE_GATEWAY_SCHEMA: db.schema,
    STORE_GATEWAY_TOPIC_SUFFIX: uniqueSuffix(),
    STORE_GATEWAY_SECRETS_KEY: randomBytes(32).toString('base64'),
    STORE_GATEWAY_ADMIN_TOKEN: ADMIN,
    STORE_GATEWAY_PUBLIC_URL: 'http://127.0.0.1:1',
    STORE_GATEWAY_SWEEP_INTERVAL_MS: '0',
    STORE_GATEWAY_WEBHOOK_HEALTH_INTERVAL_MS: '0',
    STORE_GATEWAY_WEBHOOK_HEALTH_AT_START: 'false',
  });
  const app = await createStoreGatewayApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const put = await fetch(`${base}/stores/${STORE}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: 'bench', siteUrl: 'http://127.0.0.1:9', currency: 'USD', consumerKey: 'ck_bench', consumerSecret: 'cs_bench', webhookSecret: SECRET }),
  });
  if (put.status !== 200) throw new Error(`store registration failed: ${put.status} ${await put.text()}`);

  // Pre-built, signed deliveries of distinct orders (the contract's order 727 with other ids), compact like wp_json_encode.
  const template = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/order.json'), 'utf8'));
  const now = new Date().toISOString().slice(0, 19);
  const bodies = Array.from({ length: BODIES }, (_, i) => {
    const raw = Buffer.from(JSON.stringify({ ...template, id: 100_000 + i, number: String(100_000 + i), date_modified_gmt: now }));
    return { raw, signature: createHmac('sha256', SECRET).update(raw).digest('base64') };
  });
  const headers = (signature: string) => ({
    'user-agent': 'WooCommerce/9.1.2 Hookshot (WordPress/6.5.4)',
    'content-type': 'application/json',
    'x-wc-webhook-source': 'https://shop.example.com/',
    'x-wc-webhook-topic': 'order.created',
    'x-wc-webhook-resource': 'order',
    'x-wc-webhook-event': 'created',
    'x-wc-webhook-id': '1',
    'x-wc-webhook-delivery-id': '0b1c3e5a7d9f2b4c6e8a0c2e4f6a8b0d',
    'x-wc-webhook-signature': signature,
  });
  let refused = 0;
  const deliver = async (i: number) => {
    const b = bodies[i] as { raw: Buffer; signature: string };
    const res = await fetch(`${base}/webhooks/woocommerce/${STORE}`, { method: 'POST', headers: headers(b.signature), body: b.raw });
    const answer = (await res.json()) as { outcome?: string };
    if (res.status !== 200 || answer.outcome !== 'placed') refused++;
  };

  // The baseline: a table shaped like store_orders, one autocommit INSERT per row, same pool size as the gateway (10).
  await db.pool.query(`CREATE TABLE ${db.schema}.plain_orders (LIKE ${db.schema}.store_orders INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
  const plain = async (i: number) => {
    await db.pool.query(`INSERT INTO ${db.schema}.plain_orders (tenant_id, store_id, order_id, modified_gmt, content_hash, status, order_number, total, currency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      'bench', STORE, String(i), new Date(), 'hash', 'processing', String(i), '29.35', 'USD',
    ]);
  };

  const pg = (await db.pool.query('SHOW server_version')).rows[0].server_version;
  console.log(`# store-gateway ingest benchmark: PostgreSQL ${pg}, Kafka ${infra.kafkaBrokers.join(',')}, concurrency ${CONCURRENCY}, ${SECONDS}s per rate`);
  await drive(deliver, 200); // warm-up (JIT, connections); not counted
  const warm = 200;
  const ingest = await drive((i) => deliver(warm + i), BODIES - warm);
  const plainRun = await drive(plain);
  const { rows } = await db.pool.query(`SELECT count(*)::int AS orders, (SELECT count(*)::int FROM ${db.schema}.outbox_messages) AS events FROM ${db.schema}.store_orders`);
  const ingestRate = ingest.done / ingest.seconds;
  const plainRate = plainRun.done / plainRun.seconds;
  console.log(
    `webhook_ingest accepted=${ingest.done} refused=${refused} rate=${ingestRate.toFixed(0)}/s ack_p50=${pct(ingest.latencies, 50).toFixed(1)}ms ack_p99=${pct(ingest.latencies, 99).toFixed(1)}ms` +
      `${ingest.done >= BODIES - warm ? ' (ran out of pre-built bodies: raise BENCH_BODIES)' : ''}`,
  );
  console.log(`plain_insert rows=${plainRun.done} rate=${plainRate.toFixed(0)}/s p50=${pct(plainRun.latencies, 50).toFixed(1)}ms p99=${pct(plainRun.latencies, 99).toFixed(1)}ms`);
  console.log(`ratio webhook_ingest/plain_insert=${(ingestRate / plainRate).toFixed(2)} (store_orders rows=${rows[0].orders}, outbox events=${rows[0].events})`);
  await app.close();
  await db.drop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
