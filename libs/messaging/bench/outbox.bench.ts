// npm run bench:outbox — prints outbox append rates (1 and 8 connections) beside the plain one-row INSERT rate on
// the same database, the relay's publish rate, and end-to-end lag p50/p99 from append to consumer.
// Figures, not assertions: run it on a quiet machine and compare runs, never gate CI on it.
import { Pool } from 'pg';
import { createTestDatabase, createTopics, testInfra, uniqueSuffix } from '@ledgerline/testing';
import { envelope, orderKey, OrderPlaced, Topics, withSuffix } from '@ledgerline/contracts';
import { ConsumerRunner, createKafka, ensureMessagingSchema, OutboxRelay, OutboxWriter, withTransaction } from '../src';
import { orderPayload } from '../test/order-fixture';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RELAY_ROWS = Number(process.env.BENCH_RELAY_ROWS ?? 50_000);
const LAG_RATE = Number(process.env.BENCH_LAG_RATE ?? 500);

function event(i: number) {
  const order = orderPayload({ tenantId: 'bench', storeId: 'store-1', orderId: String(i % 1000), seq: i });
  return envelope.of(new OrderPlaced(order), { tenantId: 'bench', storeId: 'store-1' });
}

async function rate(connections: number, pool: Pool, once: (pool: Pool, i: number) => Promise<void>): Promise<number> {
  let done = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, w) => {
      for (let i = w; Date.now() < until; i += connections) {
        await once(pool, i);
        done++;
      }
    }),
  );
  return done / SECONDS;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const infra = await testInfra();
  const db = await createTestDatabase('bench_outbox', 10);
  const s = db.schema;
  await ensureMessagingSchema(db.pool, s);
  // The baseline: a table shaped like the outbox (same payload), one row per transaction, no outbox logic.
  await db.pool.query(`CREATE TABLE ${s}.plain_rows (id bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, topic text NOT NULL, message_key text NOT NULL, envelope jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  const suffix = uniqueSuffix();
  const topic = withSuffix(Topics.storeOrders, suffix);
  await createTopics([{ topic, numPartitions: 3 }]);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench', logLevel: 'nothing' });
  const writer = new OutboxWriter(s);
  const events = Array.from({ length: 2000 }, (_, i) => event(i));
  const fresh = (i: number) => ({ ...events[i % events.length]!, id: crypto.randomUUID() });

  const append = async (pool: Pool, i: number) => {
    const e = fresh(i);
    await withTransaction(pool, (tx) => writer.append(tx, e, { topic, key: orderKey(e.payload.order.orderRef) }));
  };
  const plain = async (pool: Pool, i: number) => {
    const e = fresh(i);
    await pool.query(`INSERT INTO ${s}.plain_rows (event_id, topic, message_key, envelope) VALUES ($1, $2, $3, $4)`, [e.id, topic, orderKey(e.payload.order.orderRef), JSON.stringify(e)]);
  };

  console.log(`# outbox benchmark: PostgreSQL ${(await db.pool.query('SHOW server_version')).rows[0].server_version}, Kafka ${infra.kafkaBrokers.join(',')}, ${SECONDS}s per rate`);
  for (const c of [1, 8]) {
    const plainRate = await rate(c, db.pool, plain);
    const outboxRate = await rate(c, db.pool, append);
    console.log(`append_rate connections=${c} outbox=${outboxRate.toFixed(0)}/s plain_insert=${plainRate.toFixed(0)}/s ratio=${(outboxRate / plainRate).toFixed(2)}`);
  }

  // Relay publish rate: a backlog of RELAY_ROWS committed rows drained by one relay.
  await db.pool.query(`UPDATE ${s}.outbox_messages SET sent_at = now() WHERE sent_at IS NULL`);
  for (let i = 0; i < RELAY_ROWS; i += 1000) {
    await withTransaction(db.pool, async (tx) => {
      for (let j = i; j < Math.min(RELAY_ROWS, i + 1000); j++) {
        const e = fresh(j);
        await writer.append(tx, e, { topic, key: orderKey(e.payload.order.orderRef) });
      }
    });
  }
  const relay = new OutboxRelay({ pool: db.pool, kafka, schema: s, batchSize: 1000 });
  const t0 = Date.now();
  await relay.start();
  for (;;) {
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${s}.outbox_messages WHERE sent_at IS NULL`);
    if (rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const relaySeconds = (Date.now() - t0) / 1000;
  console.log(`relay_publish_rate rows=${RELAY_ROWS} seconds=${relaySeconds.toFixed(2)} rate=${(RELAY_ROWS / relaySeconds).toFixed(0)}/s batch=1000`);

  // End-to-end lag: steady appends at LAG_RATE/s for SECONDS, consumer measures now - occurredAt.
  const lags: number[] = [];
  const lagTopic = withSuffix(Topics.storeOrders, `${suffix}-lag`);
  await createTopics([{ topic: lagTopic, numPartitions: 3 }]);
  const runner = new ConsumerRunner({
    kafka,
    pool: db.pool,
    schema: s,
    groupId: `ledgerline.bench.${suffix}`,
    topic: lagTopic,
    handlers: { 'order.placed': async (e) => void lags.push(Date.now() - Date.parse(e.occurredAt)) },
  });
  await runner.start();
  await runner.waitUntilJoined();
  const total = LAG_RATE * SECONDS;
  const start = Date.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / LAG_RATE;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const e = { ...fresh(i), occurredAt: new Date().toISOString() };
    await withTransaction(db.pool, (tx) => writer.append(tx, e, { topic: lagTopic, key: orderKey(e.payload.order.orderRef) }));
  }
  while (lags.length < total && Date.now() - start < (SECONDS + 60) * 1000) await new Promise((r) => setTimeout(r, 50));
  await runner.stop();
  await relay.stop();
  lags.sort((a, b) => a - b);
  console.log(`e2e_lag_ms rate=${LAG_RATE}/s events=${lags.length}/${total} p50=${pct(lags, 50)} p99=${pct(lags, 99)} max=${lags[lags.length - 1]}`);
  await db.drop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
