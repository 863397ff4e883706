/** How failed deliveries are spaced and when transient failures stop being retried. */
export interface IntentBackoff {
  /** Delay ceiling after the first failure; doubles per failure. Default 2000. */
  baseMs: number;
  /** Largest delay. Default 900 000 (15 minutes). */
  maxMs: number;
  /** After this many failures in a row a transient failure parks the intent too, so a person sees it. Default 12. */
  maxFailures: number;
}

export const defaultIntentBackoff: IntentBackoff = { baseMs: 2000, maxMs: 900_000, maxFailures: 12 };

/**
 * Returns the wait before the next attempt after `failures` failures in a row: a ceiling of base·2^(failures-1)
 * capped at maxMs, of which half is fixed and half random (so retries neither come back at once nor in lockstep),
 * and never less than `retryAfterMs` (what the ERP asked for).
 */
export function backoffDelay(failures: number, backoff: IntentBackoff, retryAfterMs = 0, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.max(retryAfterMs, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}
