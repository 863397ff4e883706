import { eventually } from '@ledgerline/testing';
import type { PoolClient } from 'pg';
import type { EventEnvelope } from '@ledgerline/contracts';
import { ConsumerRunner, OutboxRelay, PermanentError, TransientError, type EventHandler } from '../src';
import { appendCommitted, effectCounts, keyOf, orderPlaced, world, type World } from './support';

describe('ConsumerRunner: inbox, retry, parking and replay on the real broker', () => {
  let w: World;
  let relay: OutboxRelay;
  let runner: ConsumerRunner | null = null;
  // Orders whose handling fails permanently until a person "fixes the mapping".
  const brokenOrders = new Set<string>();
  const flaky = new Map<string, number>();

  const recordEffect: EventHandler = async (event: EventEnvelope, tx: PoolClient, ctx) => {
    const order = (event.payload as { order: { orderRef: { orderId: string; orderNumber: string } } }).order;
    if (brokenOrders.has(order.orderRef.orderId)) {
      throw new PermanentError('MAPPING_TAX_CODE_MISSING', `Order ${order.orderRef.orderNumber}: tax rate 25% has no ERP VAT code. Add it under Mappings → Tax codes, then replay.`);
    }
    const left = flaky.get(order.orderRef.orderId) ?? 0;
    if (left > 0) {
      flaky.set(order.orderRef.orderId, left - 1);
      throw new TransientError('ERP_UNAVAILABLE', 'ERP answered 503');
    }
    await tx.query(`INSERT INTO ${w.schema}.effects (event_id, message_key, seq) VALUES ($1, $2, $3)`, [event.id, ctx.key, Number(order.orderRef.orderNumber.split('-')[1])]);
  };

  const startRunner = async (handlers: Record<string, EventHandler> = { 'order.placed': recordEffect }) => {
    runner = new ConsumerRunner({
      kafka: w.kafka,
      pool: w.pool,
      schema: w.schema,
      groupId: `ledgerline.test.${w.suffix}.${Math.random().toString(36).slice(2, 7)}`,
      topic: w.topic,
      handlers,
      retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
    });
    await runner.start();
    return runner;
  };

  beforeAll(async () => {
    w = await world('consumer', 1);
    relay = new OutboxRelay({ pool: w.pool, kafka: w.kafka, schema: w.schema });
    await relay.start();
  });
  afterEach(async () => {
    await runner?.stop();
    runner = null;
  });
  afterAll(async () => {
    await relay.stop();
    await w.close();
  });

  it('parks a permanent failure with its code and message, keeps later events flowing, holds same-order events behind it, and replays them in order once fixed', async () => {
    const r = await startRunner();
    const broken = [orderPlaced(100, 0), orderPlaced(100, 1)]; // same order: the second must wait behind the first
    const fine = [orderPlaced(101, 0), orderPlaced(102, 0)];
    brokenOrders.add('100');
    await appendCommitted(w, [broken[0]!, fine[0]!, broken[1]!, fine[1]!]);

    await eventually(async () => (await effectCounts(w)).has(fine[1]!.id), { timeoutMs: 30_000, description: 'later events still flow' });
    const parked = await r.parking.list({ consumerGroup: undefined });
    const mine = parked.filter((p) => p.key === keyOf(broken[0]!)).sort((a, b) => Number(a.id) - Number(b.id));
    expect(mine.map((p) => [p.eventId, p.code])).toEqual([
      [broken[0]!.id, 'MAPPING_TAX_CODE_MISSING'],
      [broken[1]!.id, 'MESSAGING_KEY_HELD'],
    ]);
    expect(mine[0]!.operatorMessage).toContain('Mappings → Tax codes');
    expect(mine[1]!.heldBehind).toBe(mine[0]!.id);
    expect((await effectCounts(w)).has(broken[0]!.id)).toBe(false);

    // Replaying before the fix fails again and says so, without losing the row.
    const early = await r.replay(mine[0]!.id);
    expect(early).toEqual([expect.objectContaining({ outcome: 'failed', code: 'MAPPING_TAX_CODE_MISSING' })]);
    expect((await r.parking.get(mine[0]!.id))!.attempts).toBe(2);

    brokenOrders.delete('100');
    const results = await r.replay(mine[0]!.id);
    expect(results.map((x) => x.outcome)).toEqual(['replayed', 'replayed']);
    const { rows } = await w.pool.query(`SELECT event_id FROM ${w.schema}.effects WHERE message_key = $1 ORDER BY applied_at`, [keyOf(broken[0]!)]);
    expect(rows.map((x) => x.event_id)).toEqual([broken[0]!.id, broken[1]!.id]);
    expect((await r.parking.get(mine[0]!.id))!.status).toBe('replayed');
    // A second replay of the same row changes nothing.
    expect((await r.replay(mine[0]!.id))[0]!.outcome).toBe('duplicate');
    expect((await effectCounts(w)).get(broken[0]!.id)).toBe(1);
  });

  it('applies a redelivered event once', async () => {
    const r = await startRunner();
    const e = orderPlaced(200, 0);
    await appendCommitted(w, [e]);
    await eventually(async () => (await effectCounts(w)).has(e.id), { timeoutMs: 30_000 });
    // Redeliver the very same message, as Kafka does after a rebalance before an offset commit.
    const outcome = await r.handle({ groupId: r.groupId, topic: w.topic, partition: 0, offset: '999999', key: keyOf(e), headers: {} }, JSON.stringify(e));
    expect(outcome).toBe('duplicate');
    expect((await effectCounts(w)).get(e.id)).toBe(1);
  });

  it('retries a transient failure with backoff and applies the event once it succeeds', async () => {
    await startRunner();
    const e = orderPlaced(300, 0);
    flaky.set('300', 2);
    await appendCommitted(w, [e]);
    await eventually(async () => (await effectCounts(w)).has(e.id), { timeoutMs: 30_000 });
    expect(flaky.get('300')).toBe(0);
    expect((await effectCounts(w)).get(e.id)).toBe(1);
  });

  it('parks a transient failure that outlasts its retries instead of blocking the partition', async () => {
    const r = await startRunner();
    const stuck = orderPlaced(400, 0);
    const after = orderPlaced(401, 0);
    flaky.set('400', 100);
    await appendCommitted(w, [stuck, after]);
    await eventually(async () => (await effectCounts(w)).has(after.id), { timeoutMs: 30_000 });
    const [p] = await r.parking.list({ eventId: stuck.id });
    expect(p).toMatchObject({ code: 'ERP_UNAVAILABLE', kind: 'transient', attempts: 4 });
    expect(p!.operatorMessage).toContain('gave up after 4 attempts');
    flaky.delete('400');
  });

  it('parks an event type without a handler and a message that breaks the contract, each with a clear reason', async () => {
    const r = await startRunner({});
    const e = orderPlaced(500, 0);
    await appendCommitted(w, [e]);
    await eventually(async () => (await r.parking.list({ eventId: e.id })).length === 1, { timeoutMs: 30_000 });
    const [missing] = await r.parking.list({ eventId: e.id });
    expect(missing!.code).toBe('MESSAGING_HANDLER_MISSING');
    expect(missing!.operatorMessage).toContain('has no handler for order.placed');

    const groupId = r.groupId;
    const bad = { ...orderPlaced(501, 0) } as EventEnvelope;
    (bad.payload as { order: { totals: { total: unknown } } }).order.totals.total = 12.5;
    const outcome = await r.handle({ groupId, topic: w.topic, partition: 0, offset: '424242', key: 'tenant-1:store-1:501', headers: {} }, JSON.stringify(bad));
    expect(outcome).toBe('parked');
    const [invalid] = await r.parking.list({ eventId: bad.id });
    expect(invalid!.code).toBe('CONTRACT_EVENT_INVALID');
    expect(invalid!.operatorMessage).toMatch(/totals\.total/);

    const garbage = await r.handle({ groupId, topic: w.topic, partition: 0, offset: '424243', key: null, headers: {} }, '{not json');
    expect(garbage).toBe('parked');
    const rows = await r.parking.list({ code: 'CONTRACT_EVENT_MALFORMED' });
    expect(rows.some((x) => x.rawValue === '{not json')).toBe(true);
  });
});
