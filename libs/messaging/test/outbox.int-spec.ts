import { readTopic, eventually } from '@ledgerline/testing';
import { OutboxRelay, withTransaction, Headers } from '../src';
import { appendCommitted, keyOf, orderPlaced, world, type World } from './support';

describe('outbox and relay against the real broker and database', () => {
  let w: World;
  const relays: OutboxRelay[] = [];
  const relay = (extra: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) => {
    const r = new OutboxRelay({ pool: w.pool, kafka: w.kafka, schema: w.schema, standbyRetryMs: 100, ...extra });
    relays.push(r);
    return r;
  };

  beforeAll(async () => {
    w = await world('outbox');
  });
  beforeEach(async () => {
    await w.newTopic();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await w.pool.query(`TRUNCATE ${w.schema}.outbox_messages`);
  });
  afterAll(async () => w.close());

  it('never publishes an event appended in a rolled-back transaction, and publishes a committed one with its key and headers', async () => {
    const rolledBack = orderPlaced(1);
    const committed = orderPlaced(2);
    await expect(
      withTransaction(w.pool, async (tx) => {
        await w.writer.append(tx, rolledBack, { topic: w.topic, key: keyOf(rolledBack) });
        throw new Error('business rule failed after the append');
      }),
    ).rejects.toThrow('business rule failed');
    await appendCommitted(w, [committed]);

    await relay().start();
    const messages = await readTopic(w.topic, { expected: 1, timeoutMs: 20_000 });
    // Give a wrongly published rolled-back event every chance to show up before asserting it did not.
    await eventually(async () => (await w.pool.query(`SELECT 1 FROM ${w.schema}.outbox_messages WHERE sent_at IS NULL`)).rowCount === 0);
    const again = await readTopic(w.topic, { expected: 2, timeoutMs: 2_000 });

    expect(again).toHaveLength(1);
    const [m] = messages;
    expect(m!.key).toBe('tenant-1:store-1:2');
    expect(JSON.parse(m!.value)).toMatchObject({ id: committed.id, type: 'order.placed', schemaVersion: 1, tenantId: 'tenant-1' });
    expect(m!.headers[Headers.eventId]).toBe(committed.id);
    expect(m!.headers[Headers.eventType]).toBe('order.placed');
    expect(m!.headers[Headers.contentType]).toBe('application/json');
    expect(messages.map((x) => JSON.parse(x.value).id)).not.toContain(rolledBack.id);
  });

  it('refuses to append an event that breaks its contract, naming the event and the field', async () => {
    const bad = orderPlaced(3);
    (bad.payload.order as { currency: string }).currency = 'kronor';
    await expect(
      withTransaction(w.pool, (tx) => w.writer.append(tx, bad, { topic: w.topic, key: keyOf(bad) })),
    ).rejects.toThrow(/order\.placed.*currency/s);
    const { rowCount } = await w.pool.query(`SELECT 1 FROM ${w.schema}.outbox_messages`);
    expect(rowCount).toBe(0);
  });

  it('does not skip a transaction that began before and committed after a later one', async () => {
    const early = orderPlaced(10);
    const late = orderPlaced(11);
    await relay({ idleDelayMs: 5 }).start();

    const t1 = await w.pool.connect();
    await t1.query('BEGIN');
    await w.writer.append(t1, early, { topic: w.topic, key: keyOf(early) }); // gets the smaller id, stays open
    await appendCommitted(w, [late]); // larger id, commits first

    // While t1 is open the relay must hold back the later row rather than publish past the gap.
    await new Promise((r) => setTimeout(r, 500));
    const whileOpen = await w.pool.query(`SELECT event_id FROM ${w.schema}.outbox_messages WHERE sent_at IS NOT NULL`);
    await t1.query('COMMIT');
    t1.release();

    const messages = await readTopic(w.topic, { expected: 2, timeoutMs: 20_000 });
    expect(whileOpen.rowCount).toBe(0);
    expect(messages.map((m) => JSON.parse(m.value).id).sort()).toEqual([early.id, late.id].sort());
    const { rows } = await w.pool.query(`SELECT count(*)::int AS n FROM ${w.schema}.outbox_messages WHERE sent_at IS NULL`);
    expect(rows[0].n).toBe(0);
  });

  it('lets only one of two relays on a schema publish, and the standby takes over when the leader stops', async () => {
    const a = relay();
    const b = relay();
    await a.start();
    await eventually(async () => a.isLeader, { description: 'relay a leads' });
    await b.start();
    await new Promise((r) => setTimeout(r, 400));
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);

    await a.stop();
    await eventually(async () => b.isLeader, { timeoutMs: 10_000, description: 'relay b takes over' });
    await appendCommitted(w, [orderPlaced(20)]);
    const messages = await readTopic(w.topic, { expected: 1, timeoutMs: 20_000 });
    expect(messages).toHaveLength(1);
  });

  it('publishes, when stopped, the rows committed just before the stop even though its next round is far off', async () => {
    // A round every minute: once idle, only the drain in stop() can publish what is appended next. The generous drain
    // bound covers transactions of other tests on the same server holding the xmin horizon back for a moment.
    const r = relay({ idleDelayMs: 60_000, drainTimeoutMs: 30_000 });
    await r.start();
    await appendCommitted(w, [orderPlaced(40)]);
    await eventually(async () => (await w.pool.query(`SELECT 1 FROM ${w.schema}.outbox_messages WHERE sent_at IS NOT NULL`)).rowCount === 1, {
      timeoutMs: 20_000,
      description: 'first round published the probe row',
    });
    const [first41, only42, second41] = [orderPlaced(41, 1), orderPlaced(42, 1), orderPlaced(41, 2)];
    const committed = [first41, only42, second41];
    await appendCommitted(w, committed);

    await r.stop();

    const { rows } = await w.pool.query<{ event_id: string }>(`SELECT event_id FROM ${w.schema}.outbox_messages WHERE sent_at IS NULL`);
    expect(rows).toEqual([]);
    const messages = await readTopic(w.topic, { expected: 4, timeoutMs: 20_000 });
    const published = messages.map((m) => JSON.parse(m.value).id);
    expect(published).toEqual(expect.arrayContaining(committed.map((e) => e.id)));
    // Order per key holds through the drain: order 41's seq 1 before its seq 2.
    const order41 = messages.filter((m) => m.key === 'tenant-1:store-1:41').map((m) => JSON.parse(m.value).id);
    expect(order41).toEqual([first41.id, second41.id]);
    expect(r.isLeader).toBe(false);
  });

  it('stops within its drain bound when an open transaction holds rows back, and leaves them to the next leader', async () => {
    const r = relay({ idleDelayMs: 60_000, drainTimeoutMs: 300 });
    await r.start();
    await eventually(async () => r.isLeader, { description: 'relay leads' });
    const open = await w.pool.connect();
    const held = orderPlaced(50);
    const behind = orderPlaced(51);
    try {
      await open.query('BEGIN');
      await w.writer.append(open, held, { topic: w.topic, key: keyOf(held) });
      await appendCommitted(w, [behind]); // committed, but after the open transaction's row: must not jump it

      await r.stop();
      const { rows } = await w.pool.query<{ event_id: string }>(`SELECT event_id FROM ${w.schema}.outbox_messages WHERE sent_at IS NULL`);
      expect(rows.map((x) => x.event_id)).toEqual([behind.id]);
      await open.query('COMMIT');
    } finally {
      open.release();
    }

    await relay().start();
    const messages = await readTopic(w.topic, { expected: 2, timeoutMs: 20_000 });
    expect(messages.map((m) => JSON.parse(m.value).id).sort()).toEqual([held.id, behind.id].sort());
  });

  it('prunes sent rows once the retention window has passed', async () => {
    await appendCommitted(w, [orderPlaced(30), orderPlaced(31)]);
    const r = relay({ retentionMs: 0, pruneIntervalMs: 0 });
    await r.start();
    await readTopic(w.topic, { expected: 2, timeoutMs: 20_000 });
    await eventually(async () => (await w.pool.query(`SELECT 1 FROM ${w.schema}.outbox_messages`)).rowCount === 0, {
      timeoutMs: 10_000,
      description: 'sent rows pruned',
    });
    await r.stop();
  });
});
