// Starts the services in this process the way every system test here needs them: each its own schema, all one topic
// suffix, the sandboxes as vendors, and short delays. `env` adds or overrides settings.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import type { WooSandbox } from '@ledgerline/sandbox-woocommerce';
import type { TestInfra } from '@ledgerline/testing';
import { rawUrlEncode, signOAuth1Query } from '@ledgerline/woocommerce';
/* eslint-disable @nx/enforce-module-boundaries -- a system test runs the services themselves in process (STYLE.md §7); no lib wraps their app modules. */
import { AppModule as ConnectorModule } from '@ledgerline/connector-fortnox/src/app.module';
import { loadConnectorFortnoxConfig } from '@ledgerline/connector-fortnox/src/config/connector-fortnox.config';
import { createStoreGatewayApp } from '@ledgerline/store-gateway/src/app.factory';
import { loadStoreGatewayConfig } from '@ledgerline/store-gateway/src/config/store-gateway.config';
/* eslint-enable @nx/enforce-module-boundaries */

export interface StartedService {
  app: INestApplication;
  url: string;
}

export async function startConnector(opts: { infra: TestInfra; fortnox: FortnoxSandbox; schema: string; topicSuffix: string; env?: Record<string, string> }): Promise<StartedService> {
  const { infra, fortnox } = opts;
  const config = loadConnectorFortnoxConfig({
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PORT: '0',
    CONNECTOR_FORTNOX_SCHEMA: opts.schema,
    CONNECTOR_FORTNOX_TOPIC_SUFFIX: opts.topicSuffix,
    FORTNOX_API_BASE_URL: fortnox.url,
    FORTNOX_TOKEN_URL: `${fortnox.url}/oauth-v1/token`,
    FORTNOX_CLIENT_ID: fortnox.clientId,
    FORTNOX_CLIENT_SECRET: fortnox.clientSecret,
    FORTNOX_TOKEN_KEY: `k1:${randomBytes(32).toString('base64')}`,
    FORTNOX_REQUEST_TIMEOUT_MS: '2000',
    CONNECTOR_FORTNOX_WORKER_IDLE_MS: '50',
    CONNECTOR_FORTNOX_BACKOFF_BASE_MS: '100',
    CONNECTOR_FORTNOX_BACKOFF_MAX_MS: '500',
    ...opts.env,
  });
  const app = await NestFactory.create(ConnectorModule.forRoot(config), { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

/** A TCP port free right now on 127.0.0.1 (store-gateway must know its public URL before it listens). */
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

/** store-gateway with sweeps off and the webhook health job registering the stores' webhooks at start and every second. */
export async function startGateway(opts: { infra: TestInfra; schema: string; topicSuffix: string; adminToken: string; env?: Record<string, string> }): Promise<StartedService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadStoreGatewayConfig({
    DATABASE_URL: opts.infra.databaseUrl,
    KAFKA_BROKERS: opts.infra.kafkaBrokers.join(','),
    PORT: String(port),
    STORE_GATEWAY_SCHEMA: opts.schema,
    STORE_GATEWAY_TOPIC_SUFFIX: opts.topicSuffix,
    STORE_GATEWAY_SECRETS_KEY: randomBytes(32).toString('base64'),
    STORE_GATEWAY_ADMIN_TOKEN: opts.adminToken,
    STORE_GATEWAY_PUBLIC_URL: url,
    STORE_GATEWAY_SWEEP_INTERVAL_MS: '0',
    STORE_GATEWAY_WEBHOOK_HEALTH_INTERVAL_MS: '1000',
    STORE_GATEWAY_WEBHOOK_HEALTH_AT_START: 'true',
    ...opts.env,
  });
  const app = await createStoreGatewayApp(config, { logger: ['error'] });
  await app.listen(port, '127.0.0.1');
  return { app, url };
}

/** A WooCommerce REST write over plain HTTP, signed with OAuth 1.0a as WooCommerce requires there; 201 expected. */
export async function wooWrite<T>(woo: WooSandbox, path: string, body: unknown): Promise<T> {
  const url = `${woo.apiUrl}${path}`;
  const query = signOAuth1Query({ method: 'POST', url, query: {}, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret });
  const qs = Object.entries(query)
    .map(([k, v]) => `${rawUrlEncode(k)}=${rawUrlEncode(v)}`)
    .join('&');
  const res = await fetch(`${url}?${qs}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
