/* eslint-disable @typescript-eslint/no-explicit-any -- tests read API JSON field by field in assertions. */
// One control plane under test: its own schema and topic suffix, sandboxes for WooCommerce and Fortnox, every log
// line it writes captured, and a producer (its own schema + outbox relay) that publishes store events to the topics
// the control plane consumes, as store-gateway and connector-fortnox do.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Topics, envelope, keyFor, withSuffix, type EventEnvelope } from '@ledgerline/contracts';
import { createKafka, ensureMessagingSchema, OutboxRelay, OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { startFortnoxSandbox, type FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import { startWooSandbox, type WooSandbox } from '@ledgerline/sandbox-woocommerce';
import { createTestDatabase, testInfra, uniqueSuffix, type TestDatabase } from '@ledgerline/testing';
import { createControlPlaneApp, type ControlPlaneApp } from '../src/app.factory';
import { loadControlPlaneConfig, type ControlPlaneConfig } from '../src/config/control-plane.config';

export const BOOTSTRAP_TOKEN = `bootstrap-${randomBytes(24).toString('hex')}`;

export interface ControlPlaneUnderTest {
  cp: ControlPlaneApp;
  config: ControlPlaneConfig;
  base: string;
  db: TestDatabase;
  woo: WooSandbox;
  fortnox: FortnoxSandbox;
  suffix: string;
  /** Every line the service logged. */
  logs: string[];
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; json: any; text: string }>;
  /** Publishes events through a producer outbox to their deployment topics (with this run's suffix). */
  publish(...events: EventEnvelope[]): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startControlPlane(opts: { seed: number; env?: Record<string, string> }): Promise<ControlPlaneUnderTest> {
  const infra = await testInfra();
  const db = await createTestDatabase('control_plane');
  const producerDb = await createTestDatabase('control_plane_producer');
  const suffix = uniqueSuffix();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const [woo, fortnox] = await Promise.all([startWooSandbox({ seed: opts.seed }), startFortnoxSandbox()]);
  const config = loadControlPlaneConfig({
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PORT: String(port),
    CONTROL_PLANE_SCHEMA: db.schema,
    CONTROL_PLANE_TOPIC_SUFFIX: suffix,
    CONTROL_PLANE_SECRETS_KEY: randomBytes(32).toString('base64'),
    CONTROL_PLANE_PUBLIC_URL: base,
    CONTROL_PLANE_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
    CONTROL_PLANE_ALERT_INTERVAL_MS: '0',
    FORTNOX_CLIENT_ID: fortnox.clientId,
    FORTNOX_CLIENT_SECRET: fortnox.clientSecret,
    FORTNOX_AUTH_URL: `${fortnox.url}/oauth-v1/auth`,
    FORTNOX_TOKEN_URL: `${fortnox.url}/oauth-v1/token`,
    ...opts.env,
  });
  const logs: string[] = [];
  const cp = await createControlPlaneApp(config, { logDestination: { write: (line: string) => void logs.push(line) }, logLevel: 'debug' });
  await cp.app.listen(port, '127.0.0.1');

  await ensureMessagingSchema(producerDb.pool, producerDb.schema);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'control-plane-test-producer' });
  const relay = new OutboxRelay({ pool: producerDb.pool, kafka, schema: producerDb.schema, idleDelayMs: 50 });
  await relay.start();
  const writer = new OutboxWriter(producerDb.schema);

  const call = async (method: string, path: string, body?: unknown, token: string | null = BOOTSTRAP_TOKEN) => {
    const res = await fetch(`${base}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text };
  };
  return {
    cp,
    config,
    base,
    db,
    woo,
    fortnox,
    suffix,
    logs,
    call,
    async publish(...events) {
      await withTransaction(producerDb.pool, async (tx) => {
        for (const e of events) {
          const topic = e.type === 'erp-document.recorded' ? Topics.erpDocuments : Topics.storeOrders;
          await writer.append(tx, e, { topic: withSuffix(topic, suffix), key: keyFor(e) });
        }
      });
    },
    async close() {
      await relay.stop();
      await cp.app.close();
      await Promise.all([woo.close(), fortnox.close()]);
      await db.drop();
      await producerDb.drop();
    },
  };
}

export { envelope };
