import type { Pool, PoolClient } from 'pg';
import { consumerGroup, deploymentTopic, EventTypes, Topics, type ControlConfigKind, type ControlConfigPublished, type EventEnvelope } from '@ledgerline/contracts';
import { createLogger } from '@ledgerline/observability';
import { ConsumerRunner, type ConsumerRunnerOptions } from './consumer-runner';
import type { EventHandler, MessageContext } from './inbox-guard';
import type { TopicSpec } from './kafka';
import { schemaIdent, type Tx } from './sql';

/** The latest record of one configuration key that a service holds (a `deleted` record is kept as a tombstone). */
export interface MaterialisedConfig {
  tenantId: string;
  kind: ControlConfigKind;
  subjectId: string;
  version: number;
  deleted: boolean;
  data: Record<string, unknown>;
  changedBy: string;
  publishedAt: string;
  eventId: string;
  appliedAt: Date;
}

/** One record to apply, with what the service held for its key before (null the first time). */
export interface ConfigChange {
  record: ControlConfigPublished;
  previous: MaterialisedConfig | null;
  eventId: string;
  ctx: MessageContext;
}

/** What a service does with one kind of configuration record. */
export interface ConfigKindHandler {
  /**
   * Whether this service keeps the record, e.g. only the mappings of its own ERP. Records not accepted are neither
   * stored nor applied. `previous` lets a `deleted` record (whose data may be empty) be judged by what it deletes.
   */
  accept?: (record: ControlConfigPublished, previous: MaterialisedConfig | null) => boolean;
  /**
   * Applies a newer record to the service's own tables. Runs inside the inbox transaction, before the record is
   * stored: write only through `tx`, call no remote API. Throw a PermanentError (code + operator message) to park it.
   */
  apply?: (change: ConfigChange, tx: PoolClient) => Promise<void>;
}

/** Options of a {@link ConfigMaterialiser}. */
export interface ConfigMaterialiserOptions {
  /** The consuming service's schema; `control_config` lives there. */
  schema: string;
  /** The service's name, for logs and its consumer group. */
  service: string;
  /** The kinds this service materialises; records of other kinds are ignored (and not stored). */
  kinds: Partial<Record<ControlConfigKind, ConfigKindHandler>>;
}

/** What {@link ConfigMaterialiser.handle} did with a record. */
export type ConfigOutcome = 'applied' | 'stale' | 'superseded' | 'ignored';

/** Returns the idempotent DDL of `control_config` in `schema`. */
export function controlConfigSchemaSql(schema: string): string {
  const s = schemaIdent(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.control_config (
  tenant_id    text        NOT NULL,
  kind         text        NOT NULL,
  subject_id   text        NOT NULL,
  version      integer     NOT NULL,
  deleted      boolean     NOT NULL DEFAULT false,
  data         jsonb       NOT NULL,
  changed_by   text        NOT NULL,
  published_at timestamptz NOT NULL,
  event_id     uuid        NOT NULL,
  applied_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_control_config PRIMARY KEY (tenant_id, kind, subject_id)
);
`;
}

/** Creates `control_config` in `schema` if it is missing; serialised by an advisory lock so replicas do not race on DDL. */
export async function ensureControlConfigSchema(pool: Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  const lock = `ledgerline.control-config.ddl:${schema}`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      await client.query(controlConfigSchemaSql(schema));
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
    }
  } finally {
    client.release();
  }
}

/** The config topic of a deployment (docs/adr/0006-configuration-distribution.md). */
export function controlConfigTopic(topicSuffix: string): string {
  return deploymentTopic(Topics.controlConfig, topicSuffix);
}

/**
 * The config topic as the control plane creates it (compacted), for a consumer that may start first: a topic
 * auto-created by the broker would not be compacted.
 */
export function controlConfigTopicSpec(topicSuffix: string, numPartitions: number): TopicSpec {
  return {
    topic: controlConfigTopic(topicSuffix),
    numPartitions,
    configEntries: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'min.compaction.lag.ms', value: '60000' },
    ],
  };
}

interface Row {
  tenant_id: string;
  kind: ControlConfigKind;
  subject_id: string;
  version: number;
  deleted: boolean;
  data: Record<string, unknown>;
  changed_by: string;
  published_at: Date;
  event_id: string;
  applied_at: Date;
}

const toConfig = (r: Row): MaterialisedConfig => ({
  tenantId: r.tenant_id,
  kind: r.kind,
  subjectId: r.subject_id,
  version: r.version,
  deleted: r.deleted,
  data: r.data,
  changedBy: r.changed_by,
  publishedAt: r.published_at.toISOString(),
  eventId: r.event_id,
  appliedAt: r.applied_at,
});

const versionOf = (raw: string): number | null => {
  try {
    const v = (JSON.parse(raw) as { payload?: { version?: unknown } }).payload?.version;
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
};

/**
 * Materialises `control-config.published` records of chosen kinds into the service's `control_config` table
 * (docs/adr/0006-configuration-distribution.md), as a ConsumerRunner handler, so the inbox, retries and parking of
 * the runner apply:
 * - a record is applied only when its `version` is above the one held for its key, so redelivery and replays from
 *   the beginning of the compacted topic change nothing (`stale`);
 * - the kind's `apply` runs in the same inbox transaction as the upsert, so the service's own tables and the version
 *   it holds never disagree; when it throws, nothing is stored and the runner retries or parks the record;
 * - `deleted: true` calls `apply` (the service removes what it derived) and keeps a tombstone row (`deleted`, empty
 *   data) so an older record replayed later cannot bring the subject back;
 * - a parked record that a newer record of the same key is held behind is, when replayed, `superseded`: it is not
 *   applied and the runner goes on to replay the newer one. So the fix of a refused record is to correct it in the
 *   control plane, then replay the parked one.
 */
export class ConfigMaterialiser {
  private readonly log;
  private readonly s: string;

  constructor(private readonly opts: ConfigMaterialiserOptions) {
    this.s = schemaIdent(opts.schema);
    this.log = createLogger(`${opts.service}.control-config`);
  }

  /** The handlers of a ConsumerRunner on the config topic. */
  get handlers(): Record<string, EventHandler> {
    return { [EventTypes.controlConfigPublished]: (event, tx, ctx) => this.handle(event as EventEnvelope<ControlConfigPublished>, tx, ctx).then(() => undefined) };
  }

  /** Applies one record if it is of a chosen kind, accepted and newer than the one held; see the class comment. */
  async handle(event: EventEnvelope<ControlConfigPublished>, tx: PoolClient, ctx: MessageContext): Promise<ConfigOutcome> {
    const record = event.payload;
    const kind = this.opts.kinds[record.kind];
    if (!kind) return 'ignored';
    const { rows } = await tx.query<Row>(`SELECT * FROM ${this.s}.control_config WHERE tenant_id = $1 AND kind = $2 AND subject_id = $3 FOR UPDATE`, [
      record.tenantId,
      record.kind,
      record.subjectId,
    ]);
    const previous = rows[0] ? toConfig(rows[0]) : null;
    const where = { tenantId: record.tenantId, kind: record.kind, subjectId: record.subjectId, version: record.version };
    if (previous && previous.version >= record.version) {
      this.log.debug({ ...where, held: previous.version }, 'config record not newer than the one held; ignored');
      return 'stale';
    }
    if (kind.accept && !kind.accept(record, previous)) return 'ignored';
    if (await this.supersededByHeld(tx, ctx, record.version)) {
      this.log.info({ ...where }, 'parked config record superseded by a newer one held behind it; not applied');
      return 'superseded';
    }
    await kind.apply?.({ record, previous, eventId: event.id, ctx }, tx);
    await tx.query(
      `INSERT INTO ${this.s}.control_config (tenant_id, kind, subject_id, version, deleted, data, changed_by, published_at, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, kind, subject_id) DO UPDATE SET version = EXCLUDED.version, deleted = EXCLUDED.deleted, data = EXCLUDED.data,
         changed_by = EXCLUDED.changed_by, published_at = EXCLUDED.published_at, event_id = EXCLUDED.event_id, applied_at = now()
       WHERE control_config.version < EXCLUDED.version`,
      [record.tenantId, record.kind, record.subjectId, record.version, record.deleted, JSON.stringify(record.deleted ? {} : record.data), record.changedBy, record.publishedAt, event.id],
    );
    this.log.info({ ...where, deleted: record.deleted, changedBy: record.changedBy }, 'config record applied');
    return 'applied';
  }

  /** The record held for one key (a tombstone when deleted), or null. */
  async get(db: Tx | Pool, key: { tenantId: string; kind: ControlConfigKind; subjectId: string }): Promise<MaterialisedConfig | null> {
    const { rows } = await (db as Tx).query<Row>(`SELECT * FROM ${this.s}.control_config WHERE tenant_id = $1 AND kind = $2 AND subject_id = $3`, [key.tenantId, key.kind, key.subjectId]);
    return rows[0] ? toConfig(rows[0]) : null;
  }

  /** The records held for a tenant (optionally of one kind), tombstones included, by kind and subject. */
  async list(db: Tx | Pool, filter: { tenantId: string; kind?: ControlConfigKind }): Promise<MaterialisedConfig[]> {
    const { rows } = await (db as Tx).query<Row>(
      `SELECT * FROM ${this.s}.control_config WHERE tenant_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY kind, subject_id`,
      [filter.tenantId, filter.kind ?? null],
    );
    return rows.map(toConfig);
  }

  /** True while replaying a parked record behind which a newer record of the same key is held. */
  private async supersededByHeld(tx: PoolClient, ctx: MessageContext, version: number): Promise<boolean> {
    if (ctx.key === null) return false;
    const { rows } = await tx.query<{ raw_value: string }>(
      `SELECT raw_value FROM ${this.s}.parked_events WHERE consumer_group = $1 AND message_key = $2 AND status = 'parked' AND NOT (topic = $3 AND kafka_partition = $4 AND kafka_offset = $5)`,
      [ctx.groupId, ctx.key, ctx.topic, ctx.partition, ctx.offset],
    );
    return rows.some((r) => (versionOf(r.raw_value) ?? 0) > version);
  }
}

/**
 * Gives the ConsumerRunner of a service's config materialiser: consumer group `ledgerline.<service>.control-config`
 * (+ suffix), the deployment's config topic, from the beginning (a new replica rebuilds its view from the compacted
 * topic). Other event types on the topic are parked by the runner, as everywhere.
 */
export function controlConfigRunner(
  opts: Pick<ConsumerRunnerOptions, 'kafka' | 'pool' | 'retry'> & { materialiser: ConfigMaterialiser; service: string; schema: string; topicSuffix: string },
): ConsumerRunner {
  return new ConsumerRunner({
    kafka: opts.kafka,
    pool: opts.pool,
    schema: opts.schema,
    groupId: consumerGroup(opts.service, 'control-config', opts.topicSuffix),
    topic: controlConfigTopic(opts.topicSuffix),
    handlers: opts.materialiser.handlers,
    fromBeginning: true,
    ...(opts.retry ? { retry: opts.retry } : {}),
    // One partition at a time is plenty for configuration, and keeps a tenant's kinds applied in topic order per partition.
    partitionsConsumedConcurrently: 1,
  });
}
