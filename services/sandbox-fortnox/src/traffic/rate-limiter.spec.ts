import { SlidingWindowRateLimiter } from './rate-limiter';

describe('SlidingWindowRateLimiter', () => {
  it('allows `limit` requests per sliding window per key and frees a slot when its request leaves the window', () => {
    let now = 0;
    const limiter = new SlidingWindowRateLimiter(3, 1000, () => now);
    const acquired: boolean[] = [];
    for (const t of [0, 400, 800, 900]) {
      now = t;
      acquired.push(limiter.tryAcquire('a'));
    }
    expect(acquired).toEqual([true, true, true, false]);
    expect(limiter.tryAcquire('b')).toBe(true);
    now = 999;
    expect(limiter.tryAcquire('a')).toBe(false);
    now = 1000; // the request at 0 leaves; those at 400 and 800 stay
    expect(limiter.tryAcquire('a')).toBe(true);
    expect(limiter.tryAcquire('a')).toBe(false);
  });

  it('does not let rejected requests take slots', () => {
    let now = 0;
    const limiter = new SlidingWindowRateLimiter(1, 1000, () => now);
    limiter.tryAcquire('a');
    now = 500;
    expect(limiter.tryAcquire('a')).toBe(false);
    now = 1000;
    expect(limiter.tryAcquire('a')).toBe(true);
  });
});
