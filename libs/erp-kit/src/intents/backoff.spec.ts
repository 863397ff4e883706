import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const settings = { baseMs: 1000, maxMs: 10_000, maxFailures: 5 };

  it('doubles the ceiling per failure and keeps between half of it and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, settings, 0, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, settings, 0, () => 1))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('caps the ceiling at maxMs', () => {
    expect(backoffDelay(30, settings, 0, () => 1)).toBe(10_000);
  });

  it('never comes back before the ERP asked', () => {
    expect(backoffDelay(1, settings, 5000, () => 0)).toBe(5000);
  });
});
