import { Client } from 'pg';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { createTestDatabase, createTopics, eventually, readTopic, testInfra, uniqueSuffix, type TestDatabase } from '../src';

// Against the real Kafka and PostgreSQL: from KAFKA_BROKERS/DATABASE_URL, testcontainers or deploy/local.
const envGiven = Boolean(process.env.KAFKA_BROKERS && process.env.DATABASE_URL && !process.env.LEDGERLINE_TEST_INFRA);

describe('testInfra', () => {
  it('resolves to reachable servers, the same on every call', async () => {
    const first = await testInfra();
    const second = await testInfra();
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(first.kafkaBrokers.length).toBeGreaterThan(0);
    expect(first.databaseUrl).toMatch(/^postgres(ql)?:\/\//);
    if (envGiven) expect(first.source).toBe('env');
    else expect(['testcontainers', 'deploy-local']).toContain(first.source);
    // The code under test that reads its config from the environment sees the same servers.
    expect(process.env.KAFKA_BROKERS).toBe(first.kafkaBrokers.join(','));
    expect(process.env.DATABASE_URL).toBe(first.databaseUrl);
  });
});

describe('createTestDatabase', () => {
  let a: TestDatabase;
  let b: TestDatabase;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase('harness'), createTestDatabase('harness', 2)]);
  });

  afterAll(async () => {
    await Promise.all([a?.drop(), b?.drop()]);
  });

  it('gives each database its own lower-case schema and a pool bound to it', async () => {
    expect(a.schema).toMatch(/^harness_[0-9a-f]{10}$/);
    expect(b.schema).not.toBe(a.schema);
    const { rows } = await a.pool.query<{ search_path: string }>('SHOW search_path');
    expect(rows[0].search_path).toBe(a.schema);
    expect((await b.pool.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s).toBe(b.schema);
    expect(b.pool.options.max).toBe(2);
  });

  it('keeps the tables of two databases apart', async () => {
    await a.pool.query('CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)');
    await a.pool.query("INSERT INTO items VALUES (1, 'from a')");
    // b does not see a's table under the same unqualified name...
    const seen = await b.pool.query<{ t: string | null }>("SELECT to_regclass('items')::text AS t");
    expect(seen.rows[0].t).toBeNull();
    await expect(b.pool.query('SELECT * FROM items')).rejects.toThrow(/relation "items" does not exist/);
    // ...and can have its own, with another shape.
    await b.pool.query('CREATE TABLE items (sku text PRIMARY KEY)');
    await b.pool.query("INSERT INTO items VALUES ('sku-b1'), ('sku-b2')");
    expect((await a.pool.query('SELECT name FROM items')).rows).toEqual([{ name: 'from a' }]);
    expect((await b.pool.query('SELECT sku FROM items ORDER BY sku')).rows).toEqual([{ sku: 'sku-b1' }, { sku: 'sku-b2' }]);
  });

  it('gives a url that lands in the same schema', async () => {
    const client = new Client({ connectionString: a.url });
    await client.connect();
    try {
      expect((await client.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s).toBe(a.schema);
      expect((await client.query('SELECT name FROM items')).rows).toEqual([{ name: 'from a' }]);
    } finally {
      await client.end();
    }
  });

  it('drop() ends the pool and removes the schema, and may be called twice', async () => {
    const c = await createTestDatabase('Drop Me');
    expect(c.schema).toMatch(/^drop_me_[0-9a-f]{10}$/);
    await c.pool.query('CREATE TABLE t (x int)');
    await c.drop();
    await c.drop();
    expect(c.pool.ended).toBe(true);
    const { rows } = await a.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [c.schema]);
    expect(rows).toHaveLength(0);
  });

  it('drop() does not hang on a client the test never released', async () => {
    const c = await createTestDatabase('leaky');
    const leaked = await c.pool.connect();
    leaked.on('error', () => undefined);
    await leaked.query('BEGIN');
    await leaked.query('CREATE TABLE locked (x int)');
    await c.drop();
    const { rows } = await a.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [c.schema]);
    expect(rows).toHaveLength(0);
  }, 30_000);
});

describe('createTopics and readTopic', () => {
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    const { kafkaBrokers } = await testInfra();
    kafka = new Kafka({ clientId: `harness-${uniqueSuffix()}`, brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  it('round-trips keys, values and headers through a fresh topic', async () => {
    const topic = `ledgerline.testing.roundtrip.${uniqueSuffix()}`;
    await createTopics([{ topic, numPartitions: 3 }]);
    await createTopics([{ topic, numPartitions: 3 }]); // idempotent

    const admin = kafka.admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(topics[0].partitions).toHaveLength(3);

    const sent = Array.from({ length: 9 }, (_, i) => ({
      key: `order-${i % 3}`,
      value: JSON.stringify({ seq: i }),
      headers: { 'event-type': 'order.placed', seq: String(i) },
    }));
    await producer.send({ topic, messages: [...sent, { key: null, value: 'no key', headers: { h: Buffer.from('buffer value') } }] });

    const read = await readTopic(topic, { expected: 10, timeoutMs: 20_000 });
    expect(read).toHaveLength(10);
    const keyless = read.find((m) => m.key === null);
    expect(keyless).toMatchObject({ value: 'no key', headers: { h: 'buffer value' } });
    const byKey = new Map<string, number[]>();
    for (const m of read) {
      expect(typeof m.offset).toBe('string');
      expect(m.partition).toBeGreaterThanOrEqual(0);
      expect(m.partition).toBeLessThan(3);
      if (m.key === null) continue;
      expect(m.headers['event-type']).toBe('order.placed');
      expect(JSON.parse(m.value).seq).toBe(Number(m.headers.seq));
      byKey.set(m.key, [...(byKey.get(m.key) ?? []), Number(m.headers.seq)]);
    }
    // Per key, the order of sending is kept (one key, one partition, read in offset order).
    expect(Object.fromEntries(byKey)).toEqual({ 'order-0': [0, 3, 6], 'order-1': [1, 4, 7], 'order-2': [2, 5, 8] });
    for (const key of byKey.keys()) expect(new Set(read.filter((m) => m.key === key).map((m) => m.partition)).size).toBe(1);

    // Nothing more is there: asking for one more returns the same ten after the timeout.
    const again = await readTopic(topic, { expected: 11, timeoutMs: 3_000 });
    expect(again).toEqual(read);
  });

  it('creates several topics at once, and grows an existing one', async () => {
    const suffix = uniqueSuffix();
    const one = `ledgerline.testing.one.${suffix}`;
    const two = `ledgerline.testing.two.${suffix}`;
    await createTopics([{ topic: one, numPartitions: 1 }, { topic: two }]);
    await createTopics([{ topic: one, numPartitions: 2 }]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [one, two] });
      const counts = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
      expect(counts).toEqual({ [one]: 2, [two]: 3 });
    } finally {
      await admin.disconnect();
    }
  });

  it('returns what it could read when the timeout passes first', async () => {
    const topic = `ledgerline.testing.empty.${uniqueSuffix()}`;
    await createTopics([{ topic, numPartitions: 1 }]);
    const started = Date.now();
    await expect(readTopic(topic, { expected: 1, timeoutMs: 1_500 })).resolves.toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('eventually', () => {
  it('times out with the description', async () => {
    await expect(eventually(async () => false, { timeoutMs: 300, intervalMs: 50, description: 'the ledger to balance' })).rejects.toThrow(
      'timed out after 300 ms waiting for the ledger to balance',
    );
  });

  it('waits for a condition that becomes true in the database', async () => {
    const db = await createTestDatabase('eventually');
    try {
      await db.pool.query('CREATE TABLE flags (done boolean NOT NULL)');
      setTimeout(() => void db.pool.query('INSERT INTO flags VALUES (true)').catch(() => undefined), 300);
      const row = await eventually(async () => (await db.pool.query<{ done: boolean }>('SELECT done FROM flags')).rows[0], {
        timeoutMs: 5_000,
        description: 'the flag row',
      });
      expect(row).toEqual({ done: true });
    } finally {
      await db.drop();
    }
  });
});
