import { setTimeout as sleep } from 'node:timers/promises';
import { classifyError, type Classified } from './errors';

/** How often and how patiently transient failures are retried before the event is parked. */
export interface RetrySettings {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetrySettings: RetrySettings = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 30_000 };

/** The end of a retried run: its value, or the classified failure that stopped it and how many attempts were made. */
export type RetryResult<T> = { ok: true; value: T; attempts: number } | { ok: false; error: unknown; classified: Classified; attempts: number };

/**
 * Retries transient failures with exponential backoff and full jitter; permanent failures and defects stop at once.
 * It never gives up silently: when attempts run out the caller gets the last classified error and parks the event,
 * so one failing event never blocks its partition forever.
 */
export class RetryPolicy {
  constructor(private readonly settings: RetrySettings = defaultRetrySettings) {}

  /** Returns the backoff before attempt `attempt + 1`: a random delay up to base·2^(attempt-1), capped. */
  delayFor(attempt: number): number {
    const ceiling = Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(Math.random() * ceiling);
  }

  /**
   * Runs `fn` until it succeeds, fails non-transiently, or uses up its attempts. `isFinal(err)` may declare errors that
   * are outcomes rather than failures (they are rethrown as they are); `onRetry` is told of each retry, and `heartbeat`
   * is awaited every few seconds while waiting so a Kafka consumer keeps its group membership.
   */
  async run<T>(
    fn: (attempt: number) => Promise<T>,
    hooks: {
      onRetry?: (c: Classified, attempt: number) => void;
      heartbeat?: () => Promise<void>;
      isFinal?: (err: unknown) => boolean;
    } = {},
  ): Promise<RetryResult<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await fn(attempt), attempts: attempt };
      } catch (error) {
        if (hooks.isFinal?.(error)) throw error;
        const classified = classifyError(error);
        if (classified.kind !== 'transient' || attempt >= this.settings.maxAttempts) {
          return { ok: false, error, classified, attempts: attempt };
        }
        hooks.onRetry?.(classified, attempt);
        await this.wait(this.delayFor(attempt), hooks.heartbeat);
      }
    }
  }

  private async wait(ms: number, tick?: () => Promise<void>): Promise<void> {
    // Long waits are cut into slices so the caller can heartbeat and keep its consumer group membership.
    const slice = 3000;
    for (let left = ms; left > 0; left -= slice) {
      await sleep(Math.min(slice, left));
      await tick?.();
    }
  }
}
