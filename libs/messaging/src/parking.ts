import type { Pool } from 'pg';
import type { EventEnvelope } from '@ledgerline/contracts';
import { createLogger } from '@ledgerline/observability';
import type { Classified } from './errors';
import type { MessageContext } from './inbox-guard';
import { schemaIdent } from './sql';
import { eventsParked } from './metrics';

/** A parked event as an operator sees it. */
export interface ParkedEvent {
  id: string;
  consumerGroup: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  eventId: string | null;
  eventType: string | null;
  tenantId: string | null;
  storeId: string | null;
  code: string;
  kind: string;
  operatorMessage: string;
  attempts: number;
  heldBehind: string | null;
  status: 'parked' | 'replayed' | 'discarded';
  parkedAt: Date;
  lastAttemptAt: Date;
  resolvedAt: Date | null;
  rawValue: string;
  headers: Record<string, string>;
}

interface ParkedRow {
  id: string;
  consumer_group: string;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  message_key: string | null;
  event_id: string | null;
  event_type: string | null;
  tenant_id: string | null;
  store_id: string | null;
  code: string;
  kind: string;
  operator_message: string;
  attempts: number;
  held_behind: string | null;
  status: ParkedEvent['status'];
  parked_at: Date;
  last_attempt_at: Date;
  resolved_at: Date | null;
  raw_value: string;
  headers: Record<string, string>;
}

function toParked(r: ParkedRow): ParkedEvent {
  return {
    id: r.id,
    consumerGroup: r.consumer_group,
    topic: r.topic,
    partition: r.kafka_partition,
    offset: r.kafka_offset,
    key: r.message_key,
    eventId: r.event_id,
    eventType: r.event_type,
    tenantId: r.tenant_id,
    storeId: r.store_id,
    code: r.code,
    kind: r.kind,
    operatorMessage: r.operator_message,
    attempts: r.attempts,
    heldBehind: r.held_behind,
    status: r.status,
    parkedAt: r.parked_at,
    lastAttemptAt: r.last_attempt_at,
    resolvedAt: r.resolved_at,
    rawValue: r.raw_value,
    headers: r.headers,
  };
}

/**
 * The parked_events table: events a person must look at, each with a stable code and an operator message.
 * Parking is how the pipeline says "not now" without dropping anything and without blocking the partition.
 */
export class Parking {
  private readonly log = createLogger('parking');
  private readonly s: string;

  constructor(private readonly pool: Pool, schema: string) {
    this.s = schemaIdent(schema);
  }

  /**
   * Records the message as parked and returns its row id. A message parked before at the same position (redelivered
   * after a crash) is not parked twice; the existing row's id is returned.
   */
  async park(
    ctx: MessageContext,
    rawValue: string,
    event: Partial<EventEnvelope> | null,
    failure: Classified & { attempts: number; detail?: string; heldBehind?: string },
  ): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO ${this.s}.parked_events
         (consumer_group, topic, kafka_partition, kafka_offset, message_key, event_id, event_type, tenant_id, store_id,
          raw_value, headers, code, kind, operator_message, error_detail, attempts, held_behind)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
       ON CONFLICT (consumer_group, topic, kafka_partition, kafka_offset) DO UPDATE SET last_attempt_at = now()
       RETURNING id`,
      [
        ctx.groupId,
        ctx.topic,
        ctx.partition,
        ctx.offset,
        ctx.key,
        event?.id && /^[0-9a-f-]{36}$/i.test(event.id) ? event.id : null,
        event?.type ?? null,
        event?.tenantId ?? null,
        event?.storeId ?? null,
        rawValue,
        JSON.stringify(ctx.headers),
        failure.code,
        failure.kind,
        failure.operatorMessage,
        failure.detail ?? null,
        failure.attempts,
        failure.heldBehind ?? null,
      ],
    );
    eventsParked.inc({ group: ctx.groupId, code: failure.code });
    this.log.warn(
      { group: ctx.groupId, topic: ctx.topic, partition: ctx.partition, offset: ctx.offset, eventId: event?.id, code: failure.code },
      failure.operatorMessage,
    );
    return rows[0]!.id;
  }

  /** Returns one parked row, or null. */
  async get(id: string): Promise<ParkedEvent | null> {
    const { rows } = await this.pool.query<ParkedRow>(`SELECT * FROM ${this.s}.parked_events WHERE id = $1`, [id]);
    return rows[0] ? toParked(rows[0]) : null;
  }

  /** Returns parked rows newest first, filtered by group, status (default 'parked'), code, tenant or event id. */
  async list(filter: { consumerGroup?: string; status?: ParkedEvent['status']; code?: string; tenantId?: string; eventId?: string; limit?: number } = {}): Promise<ParkedEvent[]> {
    const { rows } = await this.pool.query<ParkedRow>(
      `SELECT * FROM ${this.s}.parked_events
        WHERE status = $1 AND ($2::text IS NULL OR consumer_group = $2) AND ($3::text IS NULL OR code = $3)
          AND ($4::text IS NULL OR tenant_id = $4) AND ($5::uuid IS NULL OR event_id = $5)
        ORDER BY id DESC LIMIT $6`,
      [filter.status ?? 'parked', filter.consumerGroup ?? null, filter.code ?? null, filter.tenantId ?? null, filter.eventId ?? null, filter.limit ?? 100],
    );
    return rows.map(toParked);
  }

  /** Records a failed replay attempt: the new code and message replace the old, attempts go up. */
  async recordFailedAttempt(id: string, failure: Classified & { detail?: string }): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.s}.parked_events SET attempts = attempts + 1, last_attempt_at = now(), code = $2, kind = $3,
              operator_message = $4, error_detail = $5 WHERE id = $1`,
      [id, failure.code, failure.kind, failure.operatorMessage, failure.detail ?? null],
    );
  }

  /** Marks a parked row discarded by a person (with their reason); held rows behind it are then free to replay. */
  async discard(id: string, reason: string): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE ${this.s}.parked_events SET status = 'discarded', resolved_at = now(),
              operator_message = operator_message || ' — discarded: ' || $2 WHERE id = $1 AND status = 'parked'`,
      [id, reason],
    );
    return res.rowCount === 1;
  }
}
