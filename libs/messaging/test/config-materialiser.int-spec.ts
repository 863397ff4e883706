import { ControlConfigPublished, configKey, envelope, type ControlConfigKind, type EventEnvelope } from '@ledgerline/contracts';
import { eventually } from '@ledgerline/testing';
import { ConfigMaterialiser, controlConfigRunner, controlConfigTopicSpec, ensureControlConfigSchema, ensureTopics, OutboxRelay, PermanentError, withTransaction, type ConsumerRunner } from '../src';
import { world, type World } from './support';

const TENANT = 'acme';

describe('ConfigMaterialiser: the control plane config topic, materialised by version on the real broker', () => {
  let w: World;
  let relay: OutboxRelay;
  let runner: ConsumerRunner;
  let topic: string;
  // The service's own table that `apply` writes; "refuse" makes it throw as a service refusing a record would.
  const refuse = new Set<number>();

  const materialiser = () =>
    new ConfigMaterialiser({
      schema: w.schema,
      service: 'test-svc',
      kinds: {
        mappings: {
          accept: (r, previous) => (r.deleted ? previous?.data['erp'] : r.data['erp']) === 'fortnox',
          apply: async ({ record }, tx) => {
            if (refuse.has(record.version)) throw new PermanentError('TEST_MAPPING_INVALID', `tenant "${record.tenantId}": taxCodes is wrong in version ${record.version}`);
            await tx.query(`INSERT INTO ${w.schema}.effects (event_id, message_key, seq) VALUES (gen_random_uuid(), $1, $2)`, [`${record.subjectId}:${record.deleted ? 'deleted' : 'applied'}`, record.version]);
          },
        },
        store: {},
      },
    });

  const publish = async (...records: { kind?: ControlConfigKind; subjectId?: string; version: number; deleted?: boolean; data?: Record<string, unknown> }[]): Promise<EventEnvelope[]> => {
    const events = records.map((r) =>
      envelope.of(
        new ControlConfigPublished({
          tenantId: TENANT,
          kind: r.kind ?? 'mappings',
          subjectId: r.subjectId ?? 'fortnox-acme',
          version: r.version,
          deleted: r.deleted ?? false,
          data: r.data ?? { erp: 'fortnox', version: r.version },
          changedBy: 'finance',
          publishedAt: new Date().toISOString(),
        }),
        { tenantId: TENANT, storeId: null },
      ),
    );
    await withTransaction(w.pool, async (tx) => {
      for (const e of events) {
        const p = e.payload as ControlConfigPublished;
        await w.writer.append(tx, e, { topic, key: configKey(p.tenantId, p.kind, p.subjectId) });
      }
    });
    return events;
  };
  const processed = (ids: string[]) =>
    eventually(
      async () => {
        const { rows } = await w.pool.query(`SELECT count(*)::int AS n FROM ${w.schema}.inbox_messages WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`, [runner.groupId, ids]);
        return rows[0].n === ids.length;
      },
      { timeoutMs: 20_000, description: `config records ${ids.join(', ')} processed` },
    );
  const effects = async () => (await w.pool.query(`SELECT message_key, seq FROM ${w.schema}.effects ORDER BY applied_at`)).rows.map((r) => `${r.message_key}@${r.seq}`);

  beforeAll(async () => {
    w = await world('config_materialiser', 1);
    await ensureControlConfigSchema(w.pool, w.schema);
    await ensureControlConfigSchema(w.pool, w.schema); // idempotent
    const spec = controlConfigTopicSpec(w.suffix, 1);
    topic = spec.topic;
    await ensureTopics(w.kafka, [spec]);
    relay = new OutboxRelay({ pool: w.pool, kafka: w.kafka, schema: w.schema, idleDelayMs: 20 });
    await relay.start();
    runner = controlConfigRunner({ kafka: w.kafka, pool: w.pool, schema: w.schema, service: 'test-svc', topicSuffix: w.suffix, materialiser: materialiser(), retry: { maxAttempts: 1 } });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
    await relay?.stop();
    await w?.close();
  });

  it('consumes as ledgerline.<service>.control-config on the compacted config topic', () => {
    expect(runner.groupId).toBe(`ledgerline.test-svc.control-config.${w.suffix}`);
    expect(controlConfigTopicSpec(w.suffix, 3)).toEqual({
      topic,
      numPartitions: 3,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'min.compaction.lag.ms', value: '60000' },
      ],
    });
  });

  it('applies only records above the version held, keeps a tombstone for deleted, and skips kinds and ERPs it was not given', async () => {
    const events = await publish(
      { version: 1 },
      { version: 2 },
      { version: 1, data: { erp: 'fortnox', stale: true } },
      { version: 2, data: { erp: 'fortnox', replayed: true } },
      { kind: 'tenant', subjectId: TENANT, version: 1, data: { name: 'Acme' } },
      { subjectId: 'visma-acme', version: 1, data: { erp: 'visma-net' } },
      { kind: 'store', subjectId: 'shop', version: 1, data: { flows: {} } },
    );
    await processed(events.map((e) => e.id));
    expect(await effects()).toEqual(['fortnox-acme:applied@1', 'fortnox-acme:applied@2']);
    const m = materialiser();
    expect(await m.get(w.pool, { tenantId: TENANT, kind: 'mappings', subjectId: 'fortnox-acme' })).toMatchObject({ version: 2, deleted: false, data: { erp: 'fortnox', version: 2 }, changedBy: 'finance' });
    expect((await m.list(w.pool, { tenantId: TENANT })).map((c) => `${c.kind}:${c.subjectId}@${c.version}`)).toEqual(['mappings:fortnox-acme@2', 'store:shop@1']);

    const later = await publish({ version: 3, deleted: true, data: {} }, { version: 2 });
    await processed(later.map((e) => e.id));
    expect(await effects()).toEqual(['fortnox-acme:applied@1', 'fortnox-acme:applied@2', 'fortnox-acme:deleted@3']);
    expect(await m.get(w.pool, { tenantId: TENANT, kind: 'mappings', subjectId: 'fortnox-acme' })).toMatchObject({ version: 3, deleted: true, data: {} });
  });

  it('parks a refused record with the service\'s message, holds the newer one behind it, and applies the newer one when the refused one is replayed', async () => {
    refuse.add(5);
    const [bad, good] = (await publish({ subjectId: 'fortnox-b', version: 5 }, { subjectId: 'fortnox-b', version: 6 })) as [EventEnvelope, EventEnvelope];
    const parked = await eventually(
      async () => {
        const list = await runner.parking.list({ consumerGroup: runner.groupId, status: 'parked' });
        return list.length === 2 ? list : null;
      },
      { timeoutMs: 20_000, description: 'the refused record parked and the newer one held behind it' },
    );
    expect(parked.map((p) => [p.eventId, p.code]).sort()).toEqual([[bad.id, 'TEST_MAPPING_INVALID'], [good.id, 'MESSAGING_KEY_HELD']].sort());
    const head = parked.find((p) => p.eventId === bad.id);
    if (!head) throw new Error('the refused record is not among the parked ones');
    expect(head.operatorMessage).toBe('tenant "acme": taxCodes is wrong in version 5');
    expect(await materialiser().get(w.pool, { tenantId: TENANT, kind: 'mappings', subjectId: 'fortnox-b' })).toBeNull();

    const results = await runner.replay(head.id);
    expect(results.map((r) => r.outcome)).toEqual(['replayed', 'replayed']);
    expect((await effects()).filter((e) => e.startsWith('fortnox-b'))).toEqual(['fortnox-b:applied@6']);
    expect(await materialiser().get(w.pool, { tenantId: TENANT, kind: 'mappings', subjectId: 'fortnox-b' })).toMatchObject({ version: 6, eventId: good.id });
  });
});
