import { HealthRegistry } from './health.registry';

describe('HealthRegistry', () => {
  it('is ready with no checks', async () => {
    expect(await new HealthRegistry().run()).toEqual({ ok: true, checks: {} });
  });

  it('reports each check by name, with the failure message of those that throw', async () => {
    const health = new HealthRegistry();
    health.add({ name: 'database', check: async () => undefined });
    health.add({ name: 'kafka', check: async () => Promise.reject(new Error('broker 127.0.0.1:9092 unreachable')) });
    health.add({ name: 'token', check: () => Promise.reject('refresh token revoked') });
    expect(await health.run()).toEqual({
      ok: false,
      checks: { database: 'ok', kafka: 'broker 127.0.0.1:9092 unreachable', token: 'refresh token revoked' },
    });
  });

  it('fails a check that does not answer in time, without waiting for it', async () => {
    const health = new HealthRegistry();
    health.add({ name: 'erp', check: () => new Promise<void>(() => undefined) });
    const started = Date.now();
    expect(await health.run(50)).toEqual({ ok: false, checks: { erp: 'timed out after 50 ms' } });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('treats a check that throws synchronously as failing', async () => {
    const health = new HealthRegistry();
    health.add({
      name: 'config',
      check: () => {
        throw new Error('FORTNOX_API_BASE_URL missing');
      },
    });
    expect(await health.run()).toEqual({ ok: false, checks: { config: 'FORTNOX_API_BASE_URL missing' } });
  });

  it('refuses a second check with the same name', () => {
    const health = new HealthRegistry();
    health.add({ name: 'database', check: async () => undefined });
    expect(() => health.add({ name: 'database', check: async () => undefined })).toThrow(/"database" is already registered/);
  });
});
