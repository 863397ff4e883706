import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { schemaIdent } from '@ledgerline/messaging';
import { ErpRateLimitedError } from '../errors/erp.errors';
import type { ErrorContext } from '../errors/ledgerline.error';
import { erpRateLimitWait } from '../metrics';

/** A sliding-window limit: at most `requests` in any `windowMs`. */
export interface RateLimit {
  requests: number;
  windowMs: number;
}

/** Options of {@link ConnectionRateLimiter}. */
export interface ConnectionRateLimiterOptions {
  /** The connector's schema, where {@link erpKitSchemaSql} created the tables and function. */
  schema: string;
  /** The ERP as operators name it, for errors and metrics. */
  erp: string;
  /** The ERP's documented limit per connection (Fortnox: 25 per 5000 ms). */
  limit: RateLimit;
  /**
   * Added to the window, because the ERP counts a request when it arrives and we count it when we send it: a request
   * delayed on the way must not land in the next window's count. Default 200 ms.
   */
  safetyMarginMs?: number;
  /** How long {@link ConnectionRateLimiter.acquire} waits for a slot by default; default 30 000 ms. */
  maxWaitMs?: number;
}

/**
 * Keeps every replica of a connector within an ERP connection's request limit. The window lives in PostgreSQL
 * (`erp_rate_limit_slots`, one row per request taken), changed only by `erp_rate_limit_acquire`, which holds a
 * transaction-scoped advisory lock per connection for one statement and reads the database clock, so replicas agree
 * on both the count and the time.
 */
export class ConnectionRateLimiter {
  private readonly s: string;
  private readonly windowMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly pool: Pool,
    private readonly opts: ConnectionRateLimiterOptions,
  ) {
    const { requests, windowMs } = opts.limit;
    if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(windowMs) || windowMs < 1) {
      throw new Error(`ConnectionRateLimiter limit must be positive integers, got ${requests} requests per ${windowMs} ms`);
    }
    this.s = schemaIdent(opts.schema);
    this.windowMs = windowMs + (opts.safetyMarginMs ?? 200);
    this.maxWaitMs = opts.maxWaitMs ?? 30_000;
  }

  /**
   * Resolves once a request slot for `connectionId` is taken; send the request right after. Waits as long as the
   * window (or a {@link penalize} block) requires, up to `maxWaitMs`; then throws {@link ErpRateLimitedError} with code
   * `ERP_RATE_LIMIT_WAIT_EXCEEDED` (transient, nothing sent); the same when `signal` aborts the wait.
   */
  async acquire(connectionId: string, opts: { maxWaitMs?: number; context?: ErrorContext; signal?: AbortSignal } = {}): Promise<void> {
    const started = performance.now();
    const deadline = started + (opts.maxWaitMs ?? this.maxWaitMs);
    const gaveUp = (detail: string, retryAfterMs: number) => {
      erpRateLimitWait.observe({ erp: this.opts.erp, outcome: 'timeout' }, (performance.now() - started) / 1000);
      return new ErpRateLimitedError({
        erp: this.opts.erp,
        code: 'ERP_RATE_LIMIT_WAIT_EXCEEDED',
        context: { ...opts.context, connectionId },
        retryAfterMs,
        detail: `${detail} (${this.opts.limit.requests} per ${this.opts.limit.windowMs} ms)`,
      });
    };
    for (;;) {
      if (opts.signal?.aborted) throw gaveUp(`stopped waiting for a slot: ${String(opts.signal.reason)}`, 0);
      const { rows } = await this.pool.query<{ wait_ms: number }>(`SELECT ${this.s}.erp_rate_limit_acquire($1, $2, $3) AS wait_ms`, [
        connectionId,
        this.opts.limit.requests,
        this.windowMs,
      ]);
      const waitMs = Number(rows[0]?.wait_ms);
      if (waitMs === 0) {
        erpRateLimitWait.observe({ erp: this.opts.erp, outcome: 'acquired' }, (performance.now() - started) / 1000);
        return;
      }
      if (waitMs > deadline - performance.now()) {
        throw gaveUp(`no slot within ${Math.round(performance.now() - started)} ms; next slot in ${waitMs} ms`, waitMs);
      }
      // A little jitter, so replicas woken by the same expiring slot do not all ask in the same millisecond.
      await sleep(waitMs + Math.floor(Math.random() * 15), undefined, opts.signal ? { signal: opts.signal } : undefined).catch(() => undefined);
    }
  }

  /**
   * Blocks the connection for every replica for `retryAfterMs` (the ERP answered 429 although we kept count, e.g.
   * because another integration shares the ERP account). A longer block already in place is kept.
   */
  async penalize(connectionId: string, retryAfterMs: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.s}.erp_rate_limit_blocks (connection_id, blocked_until)
       VALUES ($1, clock_timestamp() + make_interval(secs => $2::double precision / 1000))
       ON CONFLICT (connection_id) DO UPDATE SET blocked_until = GREATEST(${this.s}.erp_rate_limit_blocks.blocked_until, EXCLUDED.blocked_until)`,
      [connectionId, Math.max(0, retryAfterMs)],
    );
  }
}
