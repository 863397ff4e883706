import { eventually } from './eventually';

describe('eventually', () => {
  it('returns the first truthy value', async () => {
    let calls = 0;
    const value = await eventually(async () => (++calls >= 3 ? { calls } : undefined), { intervalMs: 5 });
    expect(value).toEqual({ calls: 3 });
  });

  it('treats a throwing attempt as "not yet"', async () => {
    let calls = 0;
    const value = await eventually(
      async () => {
        if (++calls < 3) throw new Error('not yet');
        return 'ok';
      },
      { intervalMs: 5 },
    );
    expect(value).toBe('ok');
  });

  it('times out with the description and the last error', async () => {
    await expect(
      eventually(
        async () => {
          throw new Error('still broken');
        },
        { timeoutMs: 100, intervalMs: 10, description: 'the widget to exist' },
      ),
    ).rejects.toThrow(/timed out after 100 ms waiting for the widget to exist \(last attempt threw: still broken\)/);
  });

  it('does not wait for an attempt that hangs past the deadline', async () => {
    const started = Date.now();
    await expect(eventually(() => new Promise<boolean>(() => undefined), { timeoutMs: 100, description: 'a hanging call' })).rejects.toThrow(
      'a hanging call',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
