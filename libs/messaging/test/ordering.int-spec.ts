import { readTopic } from '@ledgerline/testing';
import { OutboxRelay, withTransaction } from '../src';
import { keyOf, orderPlaced, world, type World } from './support';

describe('per-key order through two competing relays', () => {
  let w: World;
  beforeAll(async () => {
    w = await world('ordering', 3);
  });
  afterAll(async () => w.close());

  it('keeps per-key order over 10,000 events on 3 partitions while two relays compete', async () => {
    const orders = 50;
    const perOrder = 200;
    const a = new OutboxRelay({ pool: w.pool, kafka: w.kafka, schema: w.schema, standbyRetryMs: 50, batchSize: 1000 });
    const b = new OutboxRelay({ pool: w.pool, kafka: w.kafka, schema: w.schema, standbyRetryMs: 50, batchSize: 1000 });
    await Promise.all([a.start(), b.start()]);
    try {

    // Eight writers at once, each owning some orders, so transactions interleave and commit out of id order.
    await Promise.all(
      Array.from({ length: 8 }, (_, writer) =>
        (async () => {
          for (let seq = 0; seq < perOrder; seq += 20) {
            await withTransaction(w.pool, async (tx) => {
              for (let o = writer; o < orders; o += 8) {
                for (let s = seq; s < seq + 20; s++) {
                  const e = orderPlaced(o, s);
                  await w.writer.append(tx, e, { topic: w.topic, key: keyOf(e) });
                }
              }
            });
          }
        })(),
      ),
    );
    // Hand leadership over mid-stream: order must survive the switch.
    await a.stop();

    const messages = await readTopic(w.topic, { expected: orders * perOrder, timeoutMs: 120_000 });

    expect(messages).toHaveLength(orders * perOrder);
    const lastSeq = new Map<string, number>();
    const partitionOf = new Map<string, number>();
    let outOfOrder = 0;
    for (const m of messages.sort((x, y) => x.partition - y.partition || Number(x.offset) - Number(y.offset))) {
      const seq = Number(JSON.parse(m.value).payload.order.orderRef.orderNumber.split('-')[1]);
      if ((lastSeq.get(m.key!) ?? -1) >= seq) outOfOrder++;
      lastSeq.set(m.key!, seq);
      expect(partitionOf.get(m.key!) ?? m.partition).toBe(m.partition);
      partitionOf.set(m.key!, m.partition);
    }
    expect(outOfOrder).toBe(0);
    expect(new Set(messages.map((m) => m.partition)).size).toBe(3);
    expect([...lastSeq.values()].every((s) => s === perOrder - 1)).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    // 10,000 validated appends from 8 writers on a 2-core machine take a minute or more: a generous bound, not a target.
  }, 300_000);
});
