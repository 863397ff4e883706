import type { Pool } from 'pg';
import type { Consumer, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ContractViolationError, parseEnvelope, type EventEnvelope } from '@ledgerline/contracts';
import { createLogger, extractTraceContext, tracer, type HealthCheck } from '@ledgerline/observability';
import { classifyError, type Classified } from './errors';
import { HeldBehindParked, InboxGuard, type EventHandler, type MessageContext } from './inbox-guard';
import { Parking, type ParkedEvent } from './parking';
import { RetryPolicy, defaultRetrySettings, type RetrySettings } from './retry-policy';
import { consumerHandleDuration, consumerLag, consumerMessages, consumerRetries, eventsReplayed } from './metrics';
import { schemaIdent } from './sql';

/** What happened to one message. */
export type Outcome = 'processed' | 'duplicate' | 'parked' | 'held' | 'ignored';

/** Options of a {@link ConsumerRunner}. */
export interface ConsumerRunnerOptions {
  kafka: Kafka;
  pool: Pool;
  /** The consuming service's schema (inbox_messages, parked_events). */
  schema: string;
  /** `ledgerline.<service>.<stream>` (STYLE.md §3). */
  groupId: string;
  topic: string;
  /** One handler per event type carried on the topic. */
  handlers: Record<string, EventHandler>;
  /** Event types this consumer deliberately does not handle. Any other type without a handler is parked, never skipped. */
  ignore?: string[];
  retry?: Partial<RetrySettings>;
  partitionsConsumedConcurrently?: number;
  /** Where a new consumer group starts; services start from the beginning so nothing published before their first start is missed. */
  fromBeginning?: boolean;
  /** Inbox rows older than this are pruned; keep it longer than the topic's retention. */
  inboxRetentionMs?: number;
}

/** The result of replaying one parked event. */
export interface ReplayResult {
  id: string;
  outcome: 'replayed' | 'duplicate' | 'failed';
  code?: string;
  operatorMessage?: string;
}

const MISSING_HANDLER = 'MESSAGING_HANDLER_MISSING';
const KEY_HELD = 'MESSAGING_KEY_HELD';

function headerMap(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const value = Array.isArray(v) ? v[v.length - 1] : v;
    if (value !== undefined) out[k] = value.toString();
  }
  return out;
}

function classifyContract(err: ContractViolationError): Classified {
  return { kind: 'permanent', code: err.code, operatorMessage: err.operatorMessage };
}

function loosePeek(raw: string): Partial<EventEnvelope> | null {
  try {
    const v = JSON.parse(raw) as Partial<EventEnvelope>;
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

/**
 * Consumes one topic for one consumer group and runs each event through a fixed pipeline:
 * tracing → metrics → InboxGuard → RetryPolicy → Parking.
 *
 * An offset moves on only after its message reached an outcome: processed (effect committed with its inbox row),
 * duplicate (already processed), ignored (a type this consumer declared it does not handle), held (parked behind an
 * earlier parked event with the same key, so one order's events keep their order) or parked (with a code and an
 * operator message; `replay` re-runs it). Nothing is skipped and no message blocks its partition forever.
 */
export class ConsumerRunner {
  private readonly log = createLogger('consumer-runner');
  private readonly inbox: InboxGuard;
  readonly parking: Parking;
  private readonly retry: RetryPolicy;
  private consumer: Consumer | null = null;
  private joined = false;
  private crashed: Error | null = null;
  private readonly lag = new Map<number, number>();
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: ConsumerRunnerOptions) {
    schemaIdent(opts.schema);
    this.inbox = new InboxGuard(opts.pool, opts.schema);
    this.parking = new Parking(opts.pool, opts.schema);
    this.retry = new RetryPolicy({ ...defaultRetrySettings, ...opts.retry });
  }

  /** The consumer group this runner consumes for. */
  get groupId(): string {
    return this.opts.groupId;
  }

  /** Joins the group and starts consuming in the background; resolves once the consumer is running. */
  async start(): Promise<void> {
    const consumer = this.opts.kafka.consumer({ groupId: this.opts.groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.crashed = null;
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.crashed = e.payload.error;
      this.joined = false;
      this.log.error({ err: e.payload.error, group: this.opts.groupId, restart: e.payload.restart }, 'consumer crashed');
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.opts.topic], fromBeginning: this.opts.fromBeginning ?? true });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.consumer = consumer;
    const retention = this.opts.inboxRetentionMs ?? 30 * 24 * 3600_000;
    this.pruneTimer = setInterval(() => void this.pruneInbox(retention).catch((err) => this.log.warn({ err }, 'inbox prune failed')), 3600_000);
    this.pruneTimer.unref();
  }

  /** Resolves once the consumer has joined its group (or rejects after timeoutMs). */
  async waitUntilJoined(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.joined) {
      if (Date.now() > until) throw new Error(`Consumer ${this.opts.groupId} did not join its group within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops consuming after the message in hand reaches its outcome, commits offsets and disconnects. */
  async stop(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    const consumer = this.consumer;
    this.consumer = null;
    this.joined = false;
    if (consumer) await consumer.disconnect();
  }

  /** A readiness check: fails while the consumer has not joined its group or has crashed. */
  healthCheck(): HealthCheck {
    return {
      name: `consumer ${this.opts.groupId}`,
      check: async () => {
        if (this.crashed) throw new Error(`consumer ${this.opts.groupId} crashed: ${this.crashed.message}`);
        if (!this.joined) throw new Error(`consumer ${this.opts.groupId} has not joined its group`);
      },
    };
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const ctx: MessageContext = {
        groupId: this.opts.groupId,
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key ? message.key.toString() : null,
        headers: headerMap(message.headers),
      };
      await this.handle(ctx, message.value ? message.value.toString() : '', heartbeat);
      resolveOffset(message.offset);
      this.lag.set(batch.partition, Math.max(0, Number(batch.highWatermark) - Number(message.offset) - 1));
      consumerLag.set({ group: this.opts.groupId, topic: batch.topic }, [...this.lag.values()].reduce((a, b) => a + b, 0));
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /**
   * Runs one message through the pipeline and returns its outcome. Never throws for a bad message or a failing
   * handler (those are parked); throws only when parking itself fails, so Kafka redelivers and nothing is lost.
   */
  async handle(ctx: MessageContext, raw: string, heartbeat: () => Promise<void> = async () => undefined): Promise<Outcome> {
    const parent = extractTraceContext(ctx.headers);
    return tracer().startActiveSpan(
      `process ${ctx.topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': ctx.topic,
          'messaging.consumer.group.name': ctx.groupId,
          'messaging.destination.partition.id': String(ctx.partition),
          'messaging.kafka.offset': Number(ctx.offset),
          ...(ctx.key ? { 'messaging.kafka.message.key': ctx.key } : {}),
        },
      },
      parent,
      async (span) => {
        const stopTimer = consumerHandleDuration.startTimer({ group: ctx.groupId, topic: ctx.topic });
        try {
          const outcome = await this.pipeline(ctx, raw, heartbeat);
          span.setAttribute('ledgerline.outcome', outcome);
          if (outcome === 'parked') span.setStatus({ code: SpanStatusCode.ERROR, message: 'parked' });
          consumerMessages.inc({ group: ctx.groupId, topic: ctx.topic, outcome });
          stopTimer({ outcome });
          return outcome;
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw err;
        } finally {
          span.end();
        }
      },
    );
  }

  private async pipeline(ctx: MessageContext, raw: string, heartbeat: () => Promise<void>): Promise<Outcome> {
    let event: EventEnvelope;
    try {
      event = parseEnvelope(raw);
    } catch (err) {
      if (!(err instanceof ContractViolationError)) throw err;
      await this.parking.park(ctx, raw, loosePeek(raw), { ...classifyContract(err), attempts: 1, detail: err.problems.join('\n') });
      return 'parked';
    }
    const handler = this.opts.handlers[event.type];
    if (!handler) {
      if (this.opts.ignore?.includes(event.type)) return 'ignored';
      await this.parking.park(ctx, raw, event, {
        kind: 'defect',
        code: MISSING_HANDLER,
        operatorMessage: `Consumer ${ctx.groupId} has no handler for ${event.type} events (event ${event.id} on ${ctx.topic}). This is a Ledgerline defect or a newer producer: upgrade the service, then replay.`,
        attempts: 1,
      });
      return 'parked';
    }
    try {
      const result = await this.retry.run(() => this.inbox.run(event, ctx, handler), {
        isFinal: (e) => e instanceof HeldBehindParked,
        heartbeat,
        onRetry: (c) => consumerRetries.inc({ group: ctx.groupId, topic: ctx.topic, code: c.code }),
      });
      if (result.ok) return result.value;
      const { classified, attempts, error } = result;
      if (classified.kind === 'defect') this.log.error({ err: error, eventId: event.id, group: ctx.groupId }, 'handler defect');
      await this.parking.park(ctx, raw, event, {
        ...classified,
        operatorMessage: classified.kind === 'transient' ? `${classified.operatorMessage} (gave up after ${attempts} attempts)` : classified.operatorMessage,
        attempts,
        detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return 'parked';
    } catch (err) {
      if (!(err instanceof HeldBehindParked)) throw err;
      await this.parking.park(ctx, raw, event, {
        kind: 'permanent',
        code: KEY_HELD,
        operatorMessage: `${event.type} ${event.id} waits behind parked event #${err.parkedId} (${err.parkedCode}) for the same key "${ctx.key}", so that events of one stream stay in order. Fix and replay #${err.parkedId}; this one is replayed after it.`,
        attempts: 1,
        heldBehind: err.parkedId,
      });
      return 'held';
    }
  }

  /**
   * Replays a parked event of this consumer group through InboxGuard and its handler, then the events held behind it
   * for the same key, in order, stopping at the first that fails again. Returns one result per row attempted.
   */
  async replay(parkedId: string): Promise<ReplayResult[]> {
    const first = await this.replayOne(parkedId);
    const results = [first];
    if (first.outcome === 'failed') return results;
    const head = await this.parking.get(parkedId);
    if (!head?.key) return results;
    const { rows } = await this.opts.pool.query<{ id: string }>(
      `SELECT id FROM ${schemaIdent(this.opts.schema)}.parked_events
        WHERE consumer_group = $1 AND message_key = $2 AND status = 'parked' AND id > $3 ORDER BY id`,
      [this.opts.groupId, head.key, parkedId],
    );
    for (const { id } of rows) {
      const r = await this.replayOne(id);
      results.push(r);
      if (r.outcome === 'failed') break;
    }
    return results;
  }

  /** Replays every parked event of this group (optionally only one code), oldest first, key by key. */
  async replayAll(filter: { code?: string } = {}): Promise<ReplayResult[]> {
    const { rows } = await this.opts.pool.query<{ id: string; message_key: string | null }>(
      `SELECT id, message_key FROM ${schemaIdent(this.opts.schema)}.parked_events
        WHERE consumer_group = $1 AND status = 'parked' AND ($2::text IS NULL OR code = $2 OR code = $3) ORDER BY id`,
      [this.opts.groupId, filter.code ?? null, KEY_HELD],
    );
    const failedKeys = new Set<string>();
    const results: ReplayResult[] = [];
    for (const row of rows) {
      if (row.message_key !== null && failedKeys.has(row.message_key)) continue;
      const r = await this.replayOne(row.id);
      results.push(r);
      if (r.outcome === 'failed' && row.message_key !== null) failedKeys.add(row.message_key);
    }
    return results;
  }

  private async replayOne(id: string): Promise<ReplayResult> {
    const row = await this.parking.get(id);
    if (!row || row.consumerGroup !== this.opts.groupId) {
      throw new Error(`Parked event #${id} does not exist for consumer group ${this.opts.groupId}.`);
    }
    if (row.status !== 'parked') return { id, outcome: 'duplicate', operatorMessage: `Parked event #${id} is already ${row.status}.` };
    return tracer().startActiveSpan(`replay ${row.topic}`, { kind: SpanKind.CONSUMER }, extractTraceContext(row.headers), async (span) => {
      try {
        return await this.replayRow(row);
      } finally {
        span.end();
      }
    });
  }

  private async replayRow(row: ParkedEvent): Promise<ReplayResult> {
    const fail = async (c: Classified, detail?: string): Promise<ReplayResult> => {
      await this.parking.recordFailedAttempt(row.id, { ...c, ...(detail ? { detail } : {}) });
      eventsReplayed.inc({ group: this.opts.groupId, outcome: 'failed' });
      return { id: row.id, outcome: 'failed', code: c.code, operatorMessage: c.operatorMessage };
    };
    let event: EventEnvelope;
    try {
      event = parseEnvelope(row.rawValue);
    } catch (err) {
      if (err instanceof ContractViolationError) return fail(classifyContract(err), err.problems.join('\n'));
      throw err;
    }
    const handler = this.opts.handlers[event.type];
    if (!handler) {
      return fail({ kind: 'defect', code: MISSING_HANDLER, operatorMessage: `Consumer ${this.opts.groupId} still has no handler for ${event.type}.` });
    }
    const ctx: MessageContext = {
      groupId: row.consumerGroup,
      topic: row.topic,
      partition: row.partition,
      offset: row.offset,
      key: row.key,
      headers: row.headers,
    };
    const s = schemaIdent(this.opts.schema);
    try {
      const outcome = await this.inbox.run(event, ctx, handler, {
        parkedBefore: row.id,
        within: (tx) =>
          tx
            .query(`UPDATE ${s}.parked_events SET status = 'replayed', resolved_at = now(), attempts = attempts + 1, last_attempt_at = now() WHERE id = $1`, [row.id])
            .then(() => undefined),
      });
      eventsReplayed.inc({ group: this.opts.groupId, outcome: 'replayed' });
      return { id: row.id, outcome: outcome === 'duplicate' ? 'duplicate' : 'replayed' };
    } catch (err) {
      if (err instanceof HeldBehindParked) {
        return fail({
          kind: 'permanent',
          code: KEY_HELD,
          operatorMessage: `Still waiting behind parked event #${err.parkedId} (${err.parkedCode}) for key "${row.key}": replay or discard #${err.parkedId} first.`,
        });
      }
      const c = classifyError(err);
      if (c.kind === 'defect') this.log.error({ err, parkedId: row.id }, 'replay failed with a defect');
      return fail(c, err instanceof Error ? err.stack : String(err));
    }
  }

  private async pruneInbox(retentionMs: number): Promise<void> {
    await this.opts.pool.query(
      `DELETE FROM ${schemaIdent(this.opts.schema)}.inbox_messages WHERE consumer_group = $1 AND processed_at < now() - ($2::bigint * interval '1 millisecond')`,
      [this.opts.groupId, retentionMs],
    );
  }
}

export type { ParkedEvent };
