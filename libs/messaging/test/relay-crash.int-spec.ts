import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eventually, readTopic } from '@ledgerline/testing';
import { ConsumerRunner, OutboxRelay, type EventHandler } from '../src';
import { appendCommitted, effectCounts, orderPlaced, world, type World } from './support';

const root = path.resolve(__dirname, '../../..');

function startRelayProcess(w: World): ChildProcess {
  return spawn(process.execPath, ['-r', path.join(root, 'scripts/register.cjs'), path.join(__dirname, 'fixtures/relay-process.ts')], {
    env: { ...process.env, DATABASE_URL: w.db.url, KAFKA_BROKERS: w.brokers.join(','), RELAY_SCHEMA: w.schema, RELAY_BATCH: '100' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function sentCount(w: World): Promise<number> {
  const { rows } = await w.pool.query(`SELECT count(*)::int AS n FROM ${w.schema}.outbox_messages WHERE sent_at IS NOT NULL`);
  return rows[0].n;
}

describe('relay killed with SIGKILL mid-batch', () => {
  let w: World;
  beforeAll(async () => {
    w = await world('crash', 3);
  });
  afterAll(async () => w.close());

  it('delivers every committed event after restarts, and the consumer applies each exactly once', async () => {
    const total = 3000;
    const events = Array.from({ length: total }, (_, i) => orderPlaced(i % 300, Math.floor(i / 300)));
    for (let i = 0; i < total; i += 500) await appendCommitted(w, events.slice(i, i + 500));

    // Kill the relay process three times, each time right after its third produce request of the round reached
    // Kafka and before it marked those rows sent: the worst moment, which forces a re-send.
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const child = startRelayProcess(w);
      await new Promise<void>((resolve, reject) => {
        let sends = 0;
        const timer = setTimeout(() => reject(new Error(`relay round ${round} did not publish within 60 s`)), 60_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          sends += chunk.toString().split('\n').filter((l) => l.startsWith('sent ')).length;
          if (sends >= 3 && !child.killed) {
            clearTimeout(timer);
            child.kill('SIGKILL');
            resolve();
          }
        });
      });
      await new Promise((r) => child.once('exit', r));
      kills++;
    }
    const markedBeforeRestart = await sentCount(w);
    expect(markedBeforeRestart).toBeGreaterThan(0);
    expect(markedBeforeRestart).toBeLessThan(total);

    // A fresh relay finishes the job: the dead one's session lock went with its connection.
    const relay = new OutboxRelay({ pool: w.pool, kafka: w.kafka, schema: w.schema, standbyRetryMs: 100 });
    await relay.start();
    try {
      await eventually(async () => (await sentCount(w)) === total, { timeoutMs: 60_000, description: 'all rows sent' });
    } finally {
      await relay.stop();
    }

    const messages = await readTopic(w.topic, { expected: total * 2, timeoutMs: 8_000 });
    const ids = new Set(messages.map((m) => JSON.parse(m.value).id as string));
    expect(ids.size).toBe(total);
    expect(events.every((e) => ids.has(e.id))).toBe(true);
    // Each kill left one published batch unmarked, so its rows went to Kafka twice: the consumer must not care.
    expect(kills).toBe(3);
    expect(messages.length).toBeGreaterThanOrEqual(total + 3);

    const effect: EventHandler = async (event, tx, ctx) => {
      await tx.query(`INSERT INTO ${w.schema}.effects (event_id, message_key, seq) VALUES ($1, $2, 0)`, [event.id, ctx.key]);
    };
    const runner = new ConsumerRunner({ kafka: w.kafka, pool: w.pool, schema: w.schema, groupId: `ledgerline.test.crash.${w.suffix}`, topic: w.topic, handlers: { 'order.placed': effect } });
    await runner.start();
    try {
      await eventually(async () => (await effectCounts(w)).size === total, { timeoutMs: 90_000, description: 'every event applied' });
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await runner.stop();
    }
    const counts = await effectCounts(w);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(total);
  }, 300_000);
});
