import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope } from '@ledgerline/contracts';
import { schemaIdent, withTransaction } from './sql';

/** Where a message came from; handed to handlers and recorded when an event is parked. */
export interface MessageContext {
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
}

/** A consumer's effect for one event. Runs inside the inbox transaction: write only through `tx`, call no remote API. */
export type EventHandler = (event: EventEnvelope, tx: PoolClient, ctx: MessageContext) => Promise<void>;

/** Thrown inside the inbox transaction when an earlier event with the same key is parked, so this one must wait behind it. */
export class HeldBehindParked extends Error {
  constructor(readonly parkedId: string, readonly parkedCode: string) {
    super(`held behind parked event ${parkedId}`);
  }
}

export type InboxOutcome = 'processed' | 'duplicate';

/**
 * Runs a handler at most once per (consumer group, event id): the event id goes into inbox_messages in the same
 * transaction as the handler's effect, so a redelivered event commits nothing and a failed one leaves no trace.
 */
export class InboxGuard {
  private readonly s: string;

  constructor(private readonly pool: Pool, schema: string) {
    this.s = schemaIdent(schema);
  }

  /**
   * Returns 'duplicate' without calling the handler when the group already processed this event, else 'processed'
   * once the handler's transaction committed. Throws {@link HeldBehindParked} (and commits nothing) when an event with
   * the same key is parked for this group; `parkedBefore` limits that check to rows parked earlier (used by replay).
   * `within` runs extra statements in the same transaction after the handler (replay marks its row there).
   */
  async run(
    event: EventEnvelope,
    ctx: MessageContext,
    handler: EventHandler,
    opts: { parkedBefore?: string; within?: (tx: PoolClient) => Promise<void> } = {},
  ): Promise<InboxOutcome> {
    return withTransaction(this.pool, async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO ${this.s}.inbox_messages (consumer_group, event_id, event_type, topic)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [ctx.groupId, event.id, event.type, ctx.topic],
      );
      if (inserted.rowCount === 0) {
        await opts.within?.(tx);
        return 'duplicate';
      }
      if (ctx.key !== null) {
        const held = await tx.query<{ id: string; code: string }>(
          `SELECT id, code FROM ${this.s}.parked_events
            WHERE consumer_group = $1 AND message_key = $2 AND status = 'parked' AND ($3::bigint IS NULL OR id < $3::bigint)
            ORDER BY id LIMIT 1`,
          [ctx.groupId, ctx.key, opts.parkedBefore ?? null],
        );
        if (held.rows[0]) throw new HeldBehindParked(held.rows[0].id, held.rows[0].code);
      }
      await handler(event, tx, ctx);
      await opts.within?.(tx);
      return 'processed';
    });
  }
}
