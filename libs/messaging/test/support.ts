import type { Pool } from 'pg';
import { envelope, orderKey, OrderPlaced, Topics, withSuffix, type EventEnvelope } from '@ledgerline/contracts';
import { createTestDatabase, createTopics, testInfra, uniqueSuffix, type TestDatabase } from '@ledgerline/testing';
import { createKafka, ensureMessagingSchema, OutboxWriter, withTransaction, type Kafka } from '../src';
import { orderPayload } from './order-fixture';

/** One isolated world per test file: its own schema, topic and Kafka client on the real broker and database. */
export interface World {
  db: TestDatabase;
  pool: Pool;
  schema: string;
  kafka: Kafka;
  brokers: string[];
  topic: string;
  suffix: string;
  writer: OutboxWriter;
  /** Creates another topic for this file and makes it `topic`, so a test reads only its own messages. */
  newTopic(partitions?: number): Promise<string>;
  close(): Promise<void>;
}

export async function world(prefix: string, partitions = 3): Promise<World> {
  const infra = await testInfra();
  const db = await createTestDatabase(prefix, 12);
  await ensureMessagingSchema(db.pool, db.schema);
  // The consumer's effect, counted per event id: a duplicate effect would show as two rows.
  await db.pool.query(`CREATE TABLE ${db.schema}.effects (event_id uuid NOT NULL, message_key text NOT NULL, seq integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  const suffix = uniqueSuffix();
  const topic = withSuffix(Topics.storeOrders, suffix);
  await createTopics([{ topic, numPartitions: partitions }]);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: `test-${prefix}-${suffix}`, logLevel: 'nothing' });
  let topics = 0;
  const w: World = {
    db,
    pool: db.pool,
    schema: db.schema,
    kafka,
    brokers: infra.kafkaBrokers,
    topic,
    suffix,
    writer: new OutboxWriter(db.schema),
    newTopic: async (n = partitions) => {
      w.topic = withSuffix(Topics.storeOrders, `${suffix}-${++topics}`);
      await createTopics([{ topic: w.topic, numPartitions: n }]);
      return w.topic;
    },
    close: () => db.drop(),
  };
  return w;
}

/** A valid order.placed envelope for order `orderId` of store `storeId`; `seq` is stamped in the order number. */
export function orderPlaced(orderId: number, seq = 0, storeId = 'store-1', tenantId = 'tenant-1'): EventEnvelope<OrderPlaced> {
  return envelope.of(new OrderPlaced(orderPayload({ tenantId, storeId, orderId: String(orderId), seq })), { tenantId, storeId });
}

export function keyOf(e: EventEnvelope<OrderPlaced>): string {
  return orderKey(e.payload.order.orderRef);
}

/** Appends the events in one committed transaction. */
export async function appendCommitted(w: World, events: EventEnvelope<OrderPlaced>[]): Promise<void> {
  await withTransaction(w.pool, async (tx) => {
    for (const e of events) await w.writer.append(tx, e, { topic: w.topic, key: keyOf(e) });
  });
}

export async function effectCounts(w: World): Promise<Map<string, number>> {
  const { rows } = await w.pool.query<{ event_id: string; n: string }>(`SELECT event_id, count(*) AS n FROM ${w.schema}.effects GROUP BY event_id`);
  return new Map(rows.map((r) => [r.event_id, Number(r.n)]));
}
