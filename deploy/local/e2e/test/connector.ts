// Starts connector-fortnox in this process the way every system test here needs it: its own schema, the test's topic
// suffix, the Fortnox sandbox as its API, and short worker and backoff delays. `env` adds or overrides settings.
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import type { TestInfra } from '@ledgerline/testing';
/* eslint-disable @nx/enforce-module-boundaries -- a system test runs the services themselves in process (STYLE.md §7); no lib wraps their app modules. */
import { AppModule as ConnectorModule } from '@ledgerline/connector-fortnox/src/app.module';
import { loadConnectorFortnoxConfig } from '@ledgerline/connector-fortnox/src/config/connector-fortnox.config';
/* eslint-enable @nx/enforce-module-boundaries */

export interface StartedConnector {
  app: INestApplication;
  url: string;
}

export async function startConnector(opts: { infra: TestInfra; fortnox: FortnoxSandbox; schema: string; topicSuffix: string; env?: Record<string, string> }): Promise<StartedConnector> {
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
