import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { counter, HealthRegistry, ObservabilityModule, startMetricsServer, type HealthCheck, type MetricsServer } from '../src';

/** A check whose outcome the test switches. */
function switchableCheck(name: string, failure: string): HealthCheck & { failing: boolean } {
  const check = {
    name,
    failing: false,
    check: async () => {
      if (check.failing) throw new Error(failure);
    },
  };
  return check;
}

const ordersReceived = counter({
  name: 'ledgerline_http_spec_orders_received_total',
  help: 'Orders received by the HTTP spec.',
  labelNames: ['outcome'] as const,
});

/** The assertions both servers must pass, so the two can never drift apart. */
function describeEndpoints(label: string, setup: () => Promise<{ baseUrl: string; database: { failing: boolean }; health: HealthRegistry; close: () => Promise<void> }>) {
  describe(label, () => {
    let server: Awaited<ReturnType<typeof setup>>;
    beforeAll(async () => {
      server = await setup();
    });
    afterAll(() => server.close());
    afterEach(() => {
      server.database.failing = false;
    });

    it('answers /health/live with 200', async () => {
      const res = await fetch(`${server.baseUrl}/health/live`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('answers /health/ready with 200 and each check when all pass', async () => {
      const res = await fetch(`${server.baseUrl}/health/ready`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
    });

    it('answers /health/ready with 503 and the failing check\'s message', async () => {
      server.database.failing = true;
      const res = await fetch(`${server.baseUrl}/health/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'error', checks: { database: 'PostgreSQL unreachable: connect ECONNREFUSED 127.0.0.1:5432' } });
    });

    it('includes checks added at runtime, and fails them when they exceed the timeout', async () => {
      server.health.add({ name: 'kafka-consumer', check: () => new Promise<void>(() => undefined) });
      const res = await fetch(`${server.baseUrl}/health/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'error', checks: { database: 'ok', 'kafka-consumer': 'timed out after 200 ms' } });
    });

    it('serves Prometheus text with default Node metrics and custom counters, labelled by service', async () => {
      ordersReceived.inc({ outcome: 'accepted' });
      const res = await fetch(`${server.baseUrl}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toMatch(/^process_resident_memory_bytes\{service="http-spec"\} \d+/m);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="http-spec"\} \d+/m);
      expect(text).toContain('# TYPE ledgerline_http_spec_orders_received_total counter');
      expect(text).toMatch(/^ledgerline_http_spec_orders_received_total\{outcome="accepted",service="http-spec"\} [1-9]\d*$/m);
    });
  });
}

describeEndpoints('ObservabilityModule in a Nest app', async () => {
  const database = switchableCheck('database', 'PostgreSQL unreachable: connect ECONNREFUSED 127.0.0.1:5432');

  @Module({ imports: [ObservabilityModule.forRoot({ serviceName: 'http-spec', checks: [database], readyTimeoutMs: 200 })] })
  class AppModule {}

  const app: INestApplication = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { baseUrl: await app.getUrl(), database, health: app.get(HealthRegistry), close: () => app.close() };
});

describeEndpoints('startMetricsServer', async () => {
  const database = switchableCheck('database', 'PostgreSQL unreachable: connect ECONNREFUSED 127.0.0.1:5432');
  const server: MetricsServer = await startMetricsServer({ port: 0, host: '127.0.0.1', checks: [database], readyTimeoutMs: 200 });
  return { baseUrl: server.url, database, health: server.health, close: () => server.close() };
});

describe('startMetricsServer routing', () => {
  let server: MetricsServer;
  beforeAll(async () => {
    server = await startMetricsServer({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server.close());

  it('answers unknown paths with 404 and other methods with 405', async () => {
    expect((await fetch(`${server.url}/orders`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('ignores the query string', async () => {
    expect((await fetch(`${server.url}/health/live?probe=kubelet`)).status).toBe(200);
  });
});
