// One connector-fortnox under test: the sandbox, the Nest app on its own schema and topic suffix, and a producer
// (its own schema + relay) that publishes store events to the connector's orders topic. Shared by the integration
// tests so each file states only what differs (timeouts, the stock schedule).
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Topics, withSuffix } from '@ledgerline/contracts';
import { createKafka, ensureMessagingSchema, OutboxRelay } from '@ledgerline/messaging';
import { startFortnoxSandbox, type FortnoxSandbox, type FortnoxSandboxOptions } from '@ledgerline/sandbox-fortnox';
import { createTestDatabase, testInfra, uniqueSuffix, type TestDatabase } from '@ledgerline/testing';
import { AppModule } from '../src/app.module';
import { loadConnectorFortnoxConfig } from '../src/config/connector-fortnox.config';

export interface ConnectorUnderTest {
  sandbox: FortnoxSandbox;
  app: INestApplication;
  db: TestDatabase;
  producerDb: TestDatabase;
  relay: OutboxRelay;
  base: string;
  suffix: string;
  ordersTopic: string;
  /** Where payout-reconciliation's payout-booking.requested reach the connector. */
  payoutBookingsTopic: string;
  /** Where the connector announces erp-document.recorded. */
  erpDocumentsTopic: string;
  /** Calls the connector's HTTP API and returns status and JSON body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * Starts the connector against a fresh sandbox; `env` overrides the fast test settings (the benches restore production
 * timeouts and backoff through it), `sandboxOptions` configures the sandbox (e.g. Fortnox's rate limit).
 */
export async function startConnector(
  prefix: string,
  env: Record<string, string> = {},
  opts: { sandboxOptions?: FortnoxSandboxOptions; relayIdleDelayMs?: number; productionTimings?: boolean; logErrors?: boolean } = {},
): Promise<ConnectorUnderTest> {
  const infra = await testInfra();
  const sandbox = await startFortnoxSandbox(opts.sandboxOptions);
  const db = await createTestDatabase(`connector_fortnox_${prefix}`);
  const producerDb = await createTestDatabase(`connector_fortnox_${prefix}_producer`);
  const suffix = uniqueSuffix();
  const config = loadConnectorFortnoxConfig({
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PORT: '0',
    CONNECTOR_FORTNOX_SCHEMA: db.schema,
    CONNECTOR_FORTNOX_TOPIC_SUFFIX: suffix,
    FORTNOX_API_BASE_URL: sandbox.url,
    FORTNOX_TOKEN_URL: `${sandbox.url}/oauth-v1/token`,
    FORTNOX_CLIENT_ID: sandbox.clientId,
    FORTNOX_CLIENT_SECRET: sandbox.clientSecret,
    FORTNOX_TOKEN_KEY: `k1:${randomBytes(32).toString('base64')}`,
    // Tests want failures retried fast; a bench keeps the production timeout and backoff (`productionTimings`).
    ...(opts.productionTimings ? {} : { FORTNOX_REQUEST_TIMEOUT_MS: '1000', CONNECTOR_FORTNOX_BACKOFF_BASE_MS: '100', CONNECTOR_FORTNOX_BACKOFF_MAX_MS: '200' }),
    CONNECTOR_FORTNOX_WORKER_IDLE_MS: '50',
    ...env,
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: opts.logErrors ? ['error'] : false });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  await ensureMessagingSchema(producerDb.pool, producerDb.schema);
  const relay = new OutboxRelay({
    pool: producerDb.pool,
    kafka: createKafka({ brokers: infra.kafkaBrokers, clientId: `connector-fortnox-${prefix}-producer` }),
    schema: producerDb.schema,
    idleDelayMs: opts.relayIdleDelayMs ?? 50,
  });
  await relay.start();
  return {
    sandbox,
    app,
    db,
    producerDb,
    relay,
    base,
    suffix,
    ordersTopic: withSuffix(Topics.storeOrders, suffix),
    payoutBookingsTopic: withSuffix(Topics.payoutBookings, suffix),
    erpDocumentsTopic: withSuffix(Topics.erpDocuments, suffix),
    call: async (method, path, body) => {
      const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close: async () => {
      await relay.stop();
      await app.close();
      await sandbox.close();
      await db.drop();
      await producerDb.drop();
    },
  };
}
