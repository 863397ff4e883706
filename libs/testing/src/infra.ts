import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { processWide, type InfraValues } from './process-wide';

/** Where the real Kafka and PostgreSQL of the integration tests are. */
export interface TestInfra {
  kafkaBrokers: string[];
  databaseUrl: string;
  source: 'env' | 'testcontainers' | 'deploy-local';
}

const execFileAsync = promisify(execFile);

/**
 * Resolves once per process (shared by all test files of a Jest worker):
 *  1. `env`: KAFKA_BROKERS (comma-separated) and DATABASE_URL, when both are set (`npm test` sets them
 *     through deploy/local/with-infra.sh);
 *  2. `testcontainers`: when a Docker engine answers, an apache/kafka and a postgres container
 *     (GenericContainer; images overridable with LEDGERLINE_KAFKA_IMAGE / LEDGERLINE_POSTGRES_IMAGE);
 *  3. `deploy-local`: runs `bash deploy/local/infra.sh up` (idempotent) and reads `infra.sh status`.
 * LEDGERLINE_TEST_INFRA=env|testcontainers|deploy-local forces one source.
 *
 * Also sets KAFKA_BROKERS and DATABASE_URL in the calling test file's process.env when they are unset,
 * so code under test that reads its config from the environment finds the same servers.
 */
export async function testInfra(): Promise<TestInfra> {
  const state = processWide();
  state.infra ??= resolveInfra();
  const infra = await state.infra;
  process.env.KAFKA_BROKERS ??= infra.kafkaBrokers.join(',');
  process.env.DATABASE_URL ??= infra.databaseUrl;
  // A fresh object and array in the caller's realm (the cached ones may come from another test file).
  return { kafkaBrokers: [...infra.kafkaBrokers], databaseUrl: infra.databaseUrl, source: infra.source };
}

function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

async function resolveInfra(): Promise<InfraValues> {
  const forced = process.env.LEDGERLINE_TEST_INFRA;
  if (forced && !['env', 'testcontainers', 'deploy-local'].includes(forced)) {
    throw new Error(`LEDGERLINE_TEST_INFRA=${forced}: expected env, testcontainers or deploy-local`);
  }
  const brokers = process.env.KAFKA_BROKERS;
  const databaseUrl = process.env.DATABASE_URL;
  if (forced === 'env' || (!forced && brokers && databaseUrl)) {
    if (!brokers || !databaseUrl) throw new Error('LEDGERLINE_TEST_INFRA=env needs both KAFKA_BROKERS and DATABASE_URL');
    return { kafkaBrokers: parseBrokers(brokers), databaseUrl, source: 'env' };
  }
  let infra: InfraValues;
  if (forced === 'testcontainers' || (!forced && (await dockerAnswers()))) {
    infra = await fromTestcontainers(brokers, databaseUrl);
  } else {
    infra = await fromDeployLocal();
  }
  process.stderr.write(`[@ledgerline/testing] infra from ${infra.source}: KAFKA_BROKERS=${infra.kafkaBrokers.join(',')} DATABASE_URL=${infra.databaseUrl}\n`);
  return infra;
}

// ------------------------------------------------------------------------------------------------
// deploy/local

function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'deploy', 'local', 'infra.sh'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`@ledgerline/testing: deploy/local/infra.sh not found above ${__dirname}`);
  }
}

function outputOf(err: unknown): string {
  const e = err as { stdout?: string; stderr?: string; message?: string };
  return [e.message, e.stdout, e.stderr].filter(Boolean).join('\n');
}

async function fromDeployLocal(): Promise<InfraValues> {
  const root = repoRoot();
  const script = path.join(root, 'deploy', 'local', 'infra.sh');
  const opts = { cwd: root, env: process.env, maxBuffer: 16 * 1024 * 1024 };
  try {
    // Cold start downloads the Kafka jars with Maven: allow for it.
    await execFileAsync('bash', [script, 'up'], { ...opts, timeout: 15 * 60_000 });
  } catch (err) {
    throw new Error(`@ledgerline/testing: 'bash deploy/local/infra.sh up' failed:\n${outputOf(err)}`);
  }
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('bash', [script, 'status'], { ...opts, timeout: 60_000 }));
  } catch (err) {
    throw new Error(`@ledgerline/testing: 'bash deploy/local/infra.sh status' reports something down:\n${outputOf(err)}`);
  }
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) values.set(match[1], match[2]);
  }
  const brokers = values.get('KAFKA_BROKERS');
  const databaseUrl = values.get('DATABASE_URL');
  if (!brokers || !databaseUrl) throw new Error(`@ledgerline/testing: unexpected 'infra.sh status' output:\n${stdout}`);
  return { kafkaBrokers: parseBrokers(brokers), databaseUrl, source: 'deploy-local' };
}

// ------------------------------------------------------------------------------------------------
// testcontainers (only when a Docker engine answers; the @testcontainers/kafka and /postgresql
// modules are not installed, so both are GenericContainers)

// Same Kafka version as deploy/local's default (deploy/local/kafka/pom.xml).
const KAFKA_IMAGE = 'apache/kafka:4.4.0';
const POSTGRES_IMAGE = 'postgres:18';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function dockerAnswers(): Promise<boolean> {
  const home = os.homedir();
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const hints = [
    '/var/run/docker.sock',
    path.join(home, '.docker', 'run', 'docker.sock'),
    path.join(home, '.docker', 'desktop', 'docker.sock'),
    path.join(home, '.testcontainers.properties'),
    uid === undefined ? '' : `/run/user/${uid}/docker.sock`,
    uid === undefined ? '' : `/run/user/${uid}/podman/podman.sock`,
  ];
  if (!process.env.DOCKER_HOST && !hints.some((p) => p && existsSync(p))) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await withTimeout(getContainerRuntimeClient(), 20_000, 'container runtime');
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function fromTestcontainers(brokers: string | undefined, databaseUrl: string | undefined): Promise<InfraValues> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const runtime = await getContainerRuntimeClient();
  const host = runtime.info.containerRuntime.host;

  const startKafka = async (): Promise<string[]> => {
    // The advertised listener must carry the host-side port, so that port is chosen up front.
    const port = await freePort();
    const container = await new GenericContainer(process.env.LEDGERLINE_KAFKA_IMAGE ?? KAFKA_IMAGE)
      .withExposedPorts({ container: 9092, host: port })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${port}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_NUM_PARTITIONS: '3',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(180_000)
      .start();
    const list = [`${container.getHost()}:${port}`];
    await waitForKafka(list);
    return list;
  };

  const startPostgres = async (): Promise<string> => {
    const container = await new GenericContainer(process.env.LEDGERLINE_POSTGRES_IMAGE ?? POSTGRES_IMAGE)
      .withExposedPorts(5432)
      .withEnvironment({ POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'ledgerline' })
      .withCommand(['postgres', '-c', 'max_connections=200'])
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .withStartupTimeout(180_000)
      .start();
    const url = `postgres://postgres:postgres@${container.getHost()}:${container.getMappedPort(5432)}/ledgerline`;
    await waitForPostgres(url);
    return url;
  };

  const [kafkaBrokers, dbUrl] = await Promise.all([
    brokers ? Promise.resolve(parseBrokers(brokers)) : startKafka(),
    databaseUrl ? Promise.resolve(databaseUrl) : startPostgres(),
  ]);
  return { kafkaBrokers, databaseUrl: dbUrl, source: 'testcontainers' };
}

async function retry(what: string, attempt: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`@ledgerline/testing: ${what} not ready: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function waitForKafka(brokers: string[]): Promise<void> {
  return retry(`Kafka ${brokers.join(',')}`, async () => {
    const admin = new Kafka({ clientId: 'ledgerline-testing-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  });
}

function waitForPostgres(url: string): Promise<void> {
  return retry('PostgreSQL', async () => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  });
}
