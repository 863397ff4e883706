/** Requests allowed per fixed window; null switches limiting off. */
export interface RateLimit {
  requestsPerWindow: number;
  windowMs: number;
}

export type RateDecision = { allowed: true; remaining: number; resetS: number } | { allowed: false; retryAfterS: number; resetS: number };

/**
 * A fixed-window limiter for the whole store. WooCommerce's REST API v3 has no rate limit of its
 * own; hosts and proxies add one. The 429 answer borrows the shape of WooCommerce's Store API
 * limiter (`rate_limit_exceeded`, `Retry-After`, `RateLimit-*`), a guess for what such a host sends.
 */
export class RateLimiter {
  private windowStart = 0;
  private used = 0;

  constructor(
    private readonly limit: RateLimit | null,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get enabled(): boolean {
    return this.limit !== null;
  }

  take(): RateDecision {
    const limit = this.limit;
    if (!limit) return { allowed: true, remaining: Number.POSITIVE_INFINITY, resetS: 0 };
    const now = this.now();
    if (now - this.windowStart >= limit.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    const resetS = Math.max(1, Math.ceil((this.windowStart + limit.windowMs - now) / 1000));
    if (this.used >= limit.requestsPerWindow) return { allowed: false, retryAfterS: resetS, resetS };
    this.used++;
    return { allowed: true, remaining: limit.requestsPerWindow - this.used, resetS };
  }

  reset(): void {
    this.windowStart = 0;
    this.used = 0;
  }
}
