/** Requests allowed per fixed window; null switches limiting off. */
export interface RateLimit {
  requestsPerWindow: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterS: number };

/** A fixed-window limiter for one provider face (all of its credentials together). */
export class RateLimiter {
  private windowStart = 0;
  private used = 0;

  constructor(
    private limit: RateLimit | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Replaces the limit and starts a fresh window. */
  set(limit: RateLimit | null): void {
    this.limit = limit;
    this.windowStart = 0;
    this.used = 0;
  }

  take(): RateDecision {
    const limit = this.limit;
    if (!limit) return { allowed: true };
    const now = this.now();
    if (now - this.windowStart >= limit.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used >= limit.requestsPerWindow) return { allowed: false, retryAfterS: Math.max(1, Math.ceil((this.windowStart + limit.windowMs - now) / 1000)) };
    this.used++;
    return { allowed: true };
  }
}
