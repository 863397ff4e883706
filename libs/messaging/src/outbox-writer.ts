import { assertValidEnvelope, type EventEnvelope } from '@ledgerline/contracts';
import { injectTraceHeaders } from '@ledgerline/observability';
import { schemaIdent, type Tx } from './sql';

/** Where an appended event goes: its topic and the key that keeps it in order with its stream. */
export interface OutboxTarget {
  topic: string;
  key: string;
}

/** Header names the relay puts on every Kafka message beside the W3C trace context. */
export const Headers = {
  eventId: 'ledgerline-event-id',
  eventType: 'ledgerline-event-type',
  schemaVersion: 'ledgerline-schema-version',
  tenantId: 'ledgerline-tenant-id',
  contentType: 'content-type',
} as const;

/**
 * Appends events to a service's outbox table. It never talks to Kafka: the OutboxRelay publishes
 * what committed, so an event exists on Kafka if and only if the caller's transaction committed.
 */
export class OutboxWriter {
  private readonly insertSql: string;

  /**
   * @param schema the service's schema holding outbox_messages
   * @param maxEventBytes events larger than this are refused at append time: Kafka would refuse them later
   *   (broker `message.max.bytes`, 1 MiB by default) and block the outbox behind them.
   */
  constructor(
    readonly schema: string,
    private readonly maxEventBytes = 900 * 1024,
  ) {
    this.insertSql = `INSERT INTO ${schemaIdent(schema)}.outbox_messages
      (event_id, event_type, topic, message_key, envelope, headers) VALUES ($1, $2, $3, $4, $5, $6)`;
  }

  /**
   * Validates `envelope` against its contract and inserts it with the caller's transaction and only that one.
   * Must be called inside the caller's open transaction (`tx` after BEGIN); the event is published after COMMIT
   * and never if the transaction rolls back. Captures the active trace context so the consumer's span is its child.
   * Throws ContractViolationError (naming the event and each bad field) before writing anything.
   */
  async append(tx: Tx, envelope: EventEnvelope, target: OutboxTarget): Promise<void> {
    assertValidEnvelope(envelope);
    if (!target.topic || !target.key) {
      throw new Error(`Outbox append of ${envelope.type} ${envelope.id} needs a topic and a key (got topic "${target.topic}", key "${target.key}").`);
    }
    const value = JSON.stringify(envelope);
    const size = Buffer.byteLength(value);
    if (size > this.maxEventBytes) {
      throw new Error(
        `${envelope.type} ${envelope.id} is ${size} bytes, more than the ${this.maxEventBytes} bytes an event may have: Kafka would refuse it. Split the event or raise the broker's message.max.bytes together with the writer's limit.`,
      );
    }
    const headers = injectTraceHeaders({
      [Headers.eventId]: envelope.id,
      [Headers.eventType]: envelope.type,
      [Headers.schemaVersion]: String(envelope.schemaVersion),
      [Headers.tenantId]: envelope.tenantId,
      [Headers.contentType]: 'application/json',
    });
    await tx.query(this.insertSql, [envelope.id, envelope.type, target.topic, target.key, value, JSON.stringify(headers)]);
  }
}
