import { Pool } from 'pg';
import type { TestDatabase } from '@ledgerline/testing';
import { ConnectionRateLimiter, ErpRateLimitedError, type RateLimit } from '../src';
import { erpKitDatabase } from './support';

describe('ConnectionRateLimiter', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];

  beforeAll(async () => {
    db = await erpKitDatabase('erp_kit_rate');
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db?.drop();
  });

  /** A limiter as one replica holds it: its own instance and its own database pool. */
  const replica = (limit: RateLimit, extra: { maxWaitMs?: number; safetyMarginMs?: number } = {}) => {
    const pool = new Pool({ connectionString: db.url, max: 3 });
    pools.push(pool);
    return new ConnectionRateLimiter(pool, { schema: db.schema, erp: 'Fortnox', limit, safetyMarginMs: 50, ...extra });
  };

  it('lets at most N requests into any window, counted across two replicas', async () => {
    const limit = { requests: 4, windowMs: 400 };
    const [a, b] = [replica(limit), replica(limit)];
    const granted: number[] = [];
    const started = performance.now();

    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).acquire('conn-window').then(() => granted.push(performance.now() - started))));

    granted.sort((x, y) => x - y);
    expect(granted.slice(0, 4).every((t) => t < 400)).toBe(true);
    // The 5th grant needs the 1st slot to leave the window (window + margin = 450 ms): any 5 consecutive grants span
    // at least the window. Local timestamps carry a few ms of query latency, so allow 40 ms.
    for (let i = 0; i + 4 < granted.length; i++) expect(granted[i + 4]! - granted[i]!).toBeGreaterThanOrEqual(limit.windowMs - 40);
    expect(granted[11]).toBeGreaterThanOrEqual(2 * limit.windowMs);
  });

  it('counts each connection on its own', async () => {
    const limiter = replica({ requests: 2, windowMs: 60_000 });
    await limiter.acquire('conn-x');
    await limiter.acquire('conn-x');
    const started = performance.now();
    await limiter.acquire('conn-y');
    await limiter.acquire('conn-y');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('gives up with a transient ERP_RATE_LIMIT_WAIT_EXCEEDED when no slot comes free within maxWaitMs', async () => {
    const limiter = replica({ requests: 2, windowMs: 60_000 });
    await limiter.acquire('conn-full');
    await limiter.acquire('conn-full');
    const started = performance.now();

    const err = await limiter.acquire('conn-full', { maxWaitMs: 200, context: { orderRef: '1234', tenantId: 'acme' } }).catch((e: unknown) => e);

    expect(performance.now() - started).toBeLessThan(200);
    expect(err).toBeInstanceOf(ErpRateLimitedError);
    expect(err).toMatchObject({ code: 'ERP_RATE_LIMIT_WAIT_EXCEEDED', kind: 'transient', notApplied: true, context: { connectionId: 'conn-full', orderRef: '1234', erp: 'Fortnox' } });
    expect((err as ErpRateLimitedError).retryAfterMs).toBeGreaterThan(59_000);
    expect((err as ErpRateLimitedError).operatorMessage).toContain('No Fortnox request slot came free in time for order #1234');
  });

  it('stops waiting, with the same transient error, when the caller aborts', async () => {
    const limiter = replica({ requests: 1, windowMs: 60_000 });
    await limiter.acquire('conn-abort');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('lease ends')), 100);
    await expect(limiter.acquire('conn-abort', { maxWaitMs: 120_000, signal: controller.signal })).rejects.toMatchObject({
      code: 'ERP_RATE_LIMIT_WAIT_EXCEEDED',
      detail: expect.stringContaining('lease ends'),
    });
  });

  it('holds every replica back after one was answered 429', async () => {
    const limit = { requests: 100, windowMs: 1000 };
    const [a, b] = [replica(limit), replica(limit)];
    await a.penalize('conn-429', 400);
    await a.penalize('conn-429', 100); // a shorter block does not shorten the longer one
    const started = performance.now();

    await b.acquire('conn-429');

    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
  });
});
