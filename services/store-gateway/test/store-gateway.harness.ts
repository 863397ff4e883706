/* eslint-disable @typescript-eslint/no-explicit-any -- tests read WooCommerce JSON and outbox rows field by field in assertions; typing every shape would only restate the contract files. */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { createTestDatabase, testInfra, uniqueSuffix, type TestDatabase } from '@ledgerline/testing';
import { startWooSandbox, type WooSandbox } from '@ledgerline/sandbox-woocommerce';
import { createStoreGatewayApp } from '../src/app.factory';
import { loadStoreGatewayConfig, type StoreGatewayConfig } from '../src/config/store-gateway.config';
import { gatewayTopics } from '../src/messaging/topics';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TENANT = 'acme';
export const WEBHOOK_SECRET = 'wh-secret-for-tests-0123456789';

/** A running store-gateway with its own schema and topics, a sandbox store registered as `storeId`. */
export interface Gateway {
  app: INestApplication;
  base: string;
  config: StoreGatewayConfig;
  db: TestDatabase;
  woo: WooSandbox;
  storeId: string;
  topics: ReturnType<typeof gatewayTopics>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** Posts `body` to the store's webhook URL as WooCommerce would, signed with `secret`. */
  deliver(body: string | Buffer, opts?: { topic?: string; secret?: string | null; storeId?: string }): Promise<{ status: number; json: any }>;
  /** Outbox rows, oldest first. */
  outbox(where?: { key?: string }): Promise<Array<{ event_type: string; message_key: string; topic: string; envelope: any }>>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startGateway(opts: { seed: number; storeId?: string; env?: Record<string, string> }): Promise<Gateway> {
  const infra = await testInfra();
  const db = await createTestDatabase('store_gateway');
  const port = await freePort();
  const config = loadStoreGatewayConfig({
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PORT: String(port),
    STORE_GATEWAY_SCHEMA: db.schema,
    STORE_GATEWAY_TOPIC_SUFFIX: uniqueSuffix(),
    STORE_GATEWAY_SECRETS_KEY: randomBytes(32).toString('base64'),
    STORE_GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    STORE_GATEWAY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    STORE_GATEWAY_WEBHOOK_MAX_BODY_BYTES: '65536',
    STORE_GATEWAY_SWEEP_INTERVAL_MS: '0',
    STORE_GATEWAY_WEBHOOK_HEALTH_INTERVAL_MS: '0',
    STORE_GATEWAY_WEBHOOK_HEALTH_AT_START: 'false',
    ...opts.env,
  });
  const app = await createStoreGatewayApp(config, { logger: false });
  await app.listen(port, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const woo = await startWooSandbox({ seed: opts.seed });
  const storeId = opts.storeId ?? `shop-${opts.seed}`;

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const deliver = async (body: string | Buffer, o: { topic?: string; secret?: string | null; storeId?: string } = {}) => {
    const topic = o.topic ?? 'order.updated';
    const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-wc-webhook-source': `${woo.url}/`,
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': topic.split('.')[0] as string,
      'x-wc-webhook-event': topic.split('.')[1] as string,
      'x-wc-webhook-id': '99',
      'x-wc-webhook-delivery-id': 'a'.repeat(32),
    };
    const secret = o.secret === undefined ? WEBHOOK_SECRET : o.secret;
    if (secret !== null) headers['x-wc-webhook-signature'] = createHmac('sha256', secret).update(raw).digest('base64');
    const res = await fetch(`${base}/webhooks/woocommerce/${o.storeId ?? storeId}`, { method: 'POST', headers, body: raw });
    return { status: res.status, json: await res.json() };
  };
  const outbox = async (where: { key?: string } = {}) => {
    const { rows } = await db.pool.query(
      `SELECT event_type, message_key, topic, envelope FROM ${db.schema}.outbox_messages WHERE ($1::text IS NULL OR message_key = $1) ORDER BY tx_id, id`,
      [where.key ?? null],
    );
    return rows;
  };
  const registered = await admin('PUT', `/stores/${storeId}`, {
    tenantId: TENANT,
    siteUrl: woo.url,
    currency: 'SEK',
    consumerKey: woo.consumerKey,
    consumerSecret: woo.consumerSecret,
    webhookSecret: WEBHOOK_SECRET,
  });
  if (registered.status !== 200) throw new Error(`store registration failed: ${JSON.stringify(registered.json)}`);

  return {
    app,
    base,
    config,
    db,
    woo,
    storeId,
    topics: gatewayTopics(config),
    admin,
    deliver,
    outbox,
    async close() {
      await woo.close();
      await app.close();
      await db.drop();
    },
  };
}
