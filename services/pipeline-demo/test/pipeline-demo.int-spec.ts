import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, eventually, testInfra, uniqueSuffix, type TestDatabase } from '@ledgerline/testing';
import { AppModule } from '../src/app.module';
import { loadPipelineDemoConfig } from '../src/config/pipeline-demo.config';

describe('pipeline demo service', () => {
  let app: INestApplication;
  let db: TestDatabase;
  let base: string;

  beforeAll(async () => {
    const infra = await testInfra();
    db = await createTestDatabase('pipeline_demo');
    const config = loadPipelineDemoConfig({
      DATABASE_URL: infra.databaseUrl,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      PORT: '0',
      PIPELINE_DEMO_SCHEMA: db.schema,
      PIPELINE_DEMO_TOPIC_SUFFIX: uniqueSuffix(),
    });
    app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('carries a placed order from the outbox through Kafka into the inbox, once', async () => {
    const placed = await fetch(`${base}/demo/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 1234 }) });
    expect(placed.status).toBe(202);
    const { eventId, orderKey } = (await placed.json()) as { eventId: string; orderKey: string };
    expect(orderKey).toBe('demo:demo-store:1234');

    const journey = await eventually(
      async () => {
        const j = (await (await fetch(`${base}/demo/orders/${eventId}`)).json()) as { publishedAt: string | null; processedAt: string | null };
        return j.processedAt && j.publishedAt ? j : null;
      },
      { timeoutMs: 30_000, description: 'the demo order is processed' },
    );
    // The relay marks a row sent after Kafka acknowledged it, so the consumer may well have processed it first.
    expect(Date.parse(journey.publishedAt!)).toBeGreaterThan(0);
    const { rows } = await db.pool.query(`SELECT order_number, total, currency FROM ${db.schema}.received_orders WHERE event_id = $1`, [eventId]);
    expect(rows).toEqual([{ order_number: '1234', total: '249.00', currency: 'SEK' }]);
  });

  it('refuses an order id that is not a whole number, saying what to send', async () => {
    const res = await fetch(`${base}/demo/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'abc' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('orderId "abc" must be a positive whole number, like 1234.');
  });

  it('reports ready once the consumer joined, and exports outbox and consumer metrics', async () => {
    await eventually(async () => (await fetch(`${base}/health/ready`)).status === 200, { timeoutMs: 30_000, description: 'ready' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/ledgerline_outbox_published_total\{[^}]*schema="pipeline_demo_[^"]+"/);
    expect(metrics).toMatch(/ledgerline_consumer_messages_total\{[^}]*outcome="processed"/);
  });
});

describe('pipeline demo config', () => {
  it('lists every invalid setting in one error, with the variable and the expected form', () => {
    expect(() => loadPipelineDemoConfig({ KAFKA_BROKERS: 'localhost', PORT: 'eighty' })).toThrow(
      [
        'pipeline-demo cannot start; fix these settings (environment variables):',
        '- DATABASE_URL is required (PostgreSQL connection URL); expected postgres://user:password@host:5432/database.',
        '- KAFKA_BROKERS="localhost" is invalid (Kafka bootstrap brokers); expected comma-separated host:port, like 127.0.0.1:9092.',
        '- PORT="eighty" is invalid (HTTP port); expected an integer 0-65535.',
      ].join('\n'),
    );
  });
});
