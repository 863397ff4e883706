import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { createLogger } from '@ledgerline/observability';
import { schemaIdent } from './sql';
import {
  outboxBacklogAge,
  outboxBacklogMessages,
  outboxPublished,
  outboxPublishDuration,
  outboxPublishFailures,
  outboxPruned,
  outboxRelayLeader,
} from './metrics';

/** Options of an {@link OutboxRelay}; everything but `pool`, `kafka` and `schema` has a default that suits a service. */
export interface OutboxRelayOptions {
  pool: Pool;
  kafka: Kafka;
  /** The service's schema holding outbox_messages. One relay publishes per schema at a time. */
  schema: string;
  /** Rows read and published per round. */
  batchSize?: number;
  /** Pause between rounds when the outbox is empty. */
  idleDelayMs?: number;
  /** How often a standby relay tries to take the lock. */
  standbyRetryMs?: number;
  /** Sent rows older than this are deleted. */
  retentionMs?: number;
  pruneIntervalMs?: number;
  /** How often the leader reads the backlog size and age for its gauges. */
  backlogIntervalMs?: number;
  /**
   * Upper bound of one produce request's payload. Kafka refuses a record batch above the broker's
   * `message.max.bytes` (1 MiB by default), so a round is sent in requests below this size, one after another.
   */
  maxRequestBytes?: number;
  /**
   * Longest time {@link OutboxRelay.stop} spends publishing the rows committed before it was called. Keep it well
   * under the pod's termination grace period; whatever is left is published by the next leader.
   */
  drainTimeoutMs?: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Publishes committed outbox rows to Kafka in order, one active relay per schema.
 *
 * Leadership is a session-level PostgreSQL advisory lock held on a dedicated connection: when the process or
 * its connection dies, the lock goes with it and a standby takes over. Rows are read in (tx_id, id) order and only
 * once every transaction that could still add an earlier row has ended, so a late commit is never jumped over
 * (docs/adr/0003-outbox-ordering.md). Publishing is at-least-once (a crash between send and mark re-sends);
 * consumers' InboxGuard makes the effect exactly-once.
 */
export class OutboxRelay {
  private readonly log = createLogger('outbox-relay');
  private readonly s: string;
  private readonly opts: Required<OutboxRelayOptions>;
  private running = false;
  private loop: Promise<void> | null = null;
  private lockClient: PoolClient | null = null;
  private producer: Producer | null = null;
  private leader = false;
  private lastPrune = 0;
  private lastBacklog = 0;
  private wake: (() => void) | null = null;

  constructor(options: OutboxRelayOptions) {
    this.opts = {
      batchSize: 500,
      idleDelayMs: 20,
      standbyRetryMs: 1000,
      retentionMs: 7 * 24 * 3600_000,
      pruneIntervalMs: 60_000,
      backlogIntervalMs: 5_000,
      maxRequestBytes: 512 * 1024,
      drainTimeoutMs: 10_000,
      ...options,
    };
    this.s = schemaIdent(options.schema);
  }

  /** True while this relay holds the schema's lock and publishes. */
  get isLeader(): boolean {
    return this.leader;
  }

  /** Starts the relay loop in the background; resolves once it has started (not once it leads). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err) => this.log.error({ err }, 'outbox relay loop ended with an error'));
  }

  /**
   * Stops the relay; resolves once it has released the lock and the producer. A leading relay first drains: it
   * publishes and marks every row whose transaction had committed when `stop` was called, for at most
   * `drainTimeoutMs` (rows held back behind a transaction that is still open wait for the next leader, so the order
   * of docs/adr/0003-outbox-ordering.md holds). Call it after the consumers and workers that append have stopped.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.acquire())) {
          await this.pause(this.opts.standbyRetryMs);
          continue;
        }
        await this.lead();
        if (!this.running && this.leader) await this.drain();
      } catch (err) {
        this.log.error({ err, schema: this.opts.schema }, 'outbox relay failed; retrying');
        outboxPublishFailures.inc({ schema: this.opts.schema });
        await this.pause(Math.min(5000, this.opts.standbyRetryMs));
      } finally {
        if (!this.running || !this.leader) await this.resign();
      }
    }
    await this.resign();
  }

  private async acquire(): Promise<boolean> {
    const client = await this.opts.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.lockName()]);
      if (!rows[0]?.locked) {
        client.release();
        return false;
      }
    } catch (err) {
      client.release(true);
      throw err;
    }
    // If the lock connection breaks, PostgreSQL has released the lock: stop leading at once.
    client.on('error', (err) => {
      this.log.error({ err }, 'outbox relay lost its lock connection');
      this.leader = false;
    });
    this.lockClient = client;
    // The Java-compatible murmur2 partitioner: the same key lands on the same partition as with any other client.
    this.producer = this.opts.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    this.leader = true;
    outboxRelayLeader.set({ schema: this.opts.schema }, 1);
    this.log.info({ schema: this.opts.schema }, 'outbox relay is leading');
    return true;
  }

  private async lead(): Promise<void> {
    while (this.running && this.leader) {
      const published = await this.publishBatch();
      await this.maintain();
      if (published < this.opts.batchSize) await this.pause(this.opts.idleDelayMs);
    }
  }

  /** Publishes one batch and marks it sent; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    const { rows } = await this.opts.pool.query<OutboxRow>(
      `SELECT id, topic, message_key, envelope::text AS value, headers
         FROM ${this.s}.outbox_messages
        WHERE sent_at IS NULL AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY tx_id, id
        LIMIT $1`,
      [this.opts.batchSize],
    );
    if (rows.length === 0) return 0;
    const stop = outboxPublishDuration.startTimer({ schema: this.opts.schema });
    try {
      // Requests go out one at a time (and the producer allows one in flight), so per-partition order holds.
      for (const chunk of chunkBySize(rows, this.opts.maxRequestBytes)) {
        const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
        for (const row of chunk) {
          let list = byTopic.get(row.topic);
          if (!list) byTopic.set(row.topic, (list = []));
          list.push({ key: row.message_key, value: row.value, headers: row.headers });
        }
        await this.producer!.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      }
    } catch (err) {
      outboxPublishFailures.inc({ schema: this.opts.schema });
      throw err;
    }
    if (!this.leader) return rows.length; // lock lost meanwhile: the new leader re-sends; consumers dedupe
    await this.opts.pool.query(`UPDATE ${this.s}.outbox_messages SET sent_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    for (const row of rows) outboxPublished.inc({ schema: this.opts.schema, topic: row.topic });
    stop();
    return rows.length;
  }

  /** Publishes what committed before the stop, bounded by drainTimeoutMs; logs what it leaves behind. */
  private async drain(): Promise<void> {
    const deadline = Date.now() + this.opts.drainTimeoutMs;
    // Rows visible in this snapshot are those whose transaction had committed when the drain began.
    const { rows } = await this.opts.pool.query<{ snap: string }>('SELECT pg_current_snapshot()::text AS snap');
    const snapshot = rows[0]?.snap ?? '';
    let drained = 0;
    while (this.leader) {
      const published = Date.now() < deadline ? await this.publishBatch() : 0;
      drained += published;
      if (published > 0) continue;
      const { rows: left } = await this.opts.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${this.s}.outbox_messages WHERE sent_at IS NULL AND pg_visible_in_snapshot(tx_id, $1::pg_snapshot)`,
        [snapshot],
      );
      const pending = left[0]?.n ?? 0;
      if (pending === 0) {
        this.log.info({ schema: this.opts.schema, drained }, `outbox relay drained ${drained} rows before stopping`);
        return;
      }
      if (Date.now() >= deadline) {
        this.log.warn(
          { schema: this.opts.schema, drained, pending },
          `outbox relay stopped after ${this.opts.drainTimeoutMs} ms with ${pending} committed rows unpublished (held back by a transaction still open); the next leader publishes them`,
        );
        return;
      }
      await sleep(Math.min(50, Math.max(0, deadline - Date.now())));
    }
  }

  private async maintain(): Promise<void> {
    const now = Date.now();
    if (now - this.lastBacklog >= this.opts.backlogIntervalMs) {
      this.lastBacklog = now;
      await this.readBacklog(now);
    }
    if (now - this.lastPrune < this.opts.pruneIntervalMs) return;
    this.lastPrune = now;
    const res = await this.opts.pool.query(
      `DELETE FROM ${this.s}.outbox_messages WHERE id IN (
         SELECT id FROM ${this.s}.outbox_messages WHERE sent_at < now() - ($1::bigint * interval '1 millisecond') LIMIT 10000)`,
      [this.opts.retentionMs],
    );
    if (res.rowCount) outboxPruned.inc({ schema: this.opts.schema }, res.rowCount);
  }

  private async readBacklog(now: number): Promise<void> {
    const { rows } = await this.opts.pool.query<{ n: string; oldest: Date | null }>(
      `SELECT count(*) AS n, min(created_at) AS oldest FROM ${this.s}.outbox_messages WHERE sent_at IS NULL`,
    );
    outboxBacklogMessages.set({ schema: this.opts.schema }, Number(rows[0]?.n ?? 0));
    outboxBacklogAge.set({ schema: this.opts.schema }, rows[0]?.oldest ? (now - rows[0].oldest.getTime()) / 1000 : 0);
  }

  private async resign(): Promise<void> {
    const wasLeader = this.leader || this.lockClient !== null;
    this.leader = false;
    if (this.producer) {
      await this.producer.disconnect().catch(() => undefined);
      this.producer = null;
    }
    if (this.lockClient) {
      const client = this.lockClient;
      this.lockClient = null;
      try {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockName()]);
        client.release();
      } catch {
        client.release(true);
      }
    }
    if (wasLeader) outboxRelayLeader.set({ schema: this.opts.schema }, 0);
  }

  private lockName(): string {
    return `ledgerline.outbox-relay:${this.opts.schema}`;
  }

  private async pause(ms: number): Promise<void> {
    const ac = new AbortController();
    this.wake = () => ac.abort();
    await sleep(ms, undefined, { signal: ac.signal }).catch(() => undefined);
    this.wake = null;
  }
}

function rowBytes(row: OutboxRow): number {
  let n = Buffer.byteLength(row.value) + Buffer.byteLength(row.message_key) + 64;
  for (const [k, v] of Object.entries(row.headers)) n += k.length + Buffer.byteLength(v) + 8;
  return n;
}

/** Splits rows, in order, into runs whose estimated size stays under `maxBytes` (a single larger row is a run of its own). */
function* chunkBySize(rows: OutboxRow[], maxBytes: number): Generator<OutboxRow[]> {
  let chunk: OutboxRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = rowBytes(row);
    if (chunk.length > 0 && bytes + size > maxBytes) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
