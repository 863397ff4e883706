/**
 * Fortnox's rate limit: a sliding window of 5 seconds, 25 requests, per client id and tenant, answered
 * with HTTP 429 (fortnox.se/developer/guides-and-good-to-know/rate-limits-for-fortnox-api, seen 2026-11).
 * Rejected requests do not take a slot: the page says the limit holds "until enough time has passed to
 * make the average 25 requests per period again", which a rejected request does not change (our reading).
 */
export class SlidingWindowRateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Takes a slot for `key` and returns true, or returns false when the window is full. */
  tryAcquire(key: string): boolean {
    const now = this.now();
    const since = now - this.windowMs;
    const stamps = (this.windows.get(key) ?? []).filter((t) => t > since);
    if (stamps.length >= this.limit) {
      this.windows.set(key, stamps);
      return false;
    }
    stamps.push(now);
    this.windows.set(key, stamps);
    return true;
  }

  reset(): void {
    this.windows.clear();
  }
}
