import { checkKafkaClient, kafkaClientSettings, loadSettings, parse, runModeSettings, type KafkaClientConfig, type RunModeConfig, type Settings } from '@ledgerline/config';

/** Typed settings of store-gateway; the only place this service reads the environment (STYLE.md §6). */
export interface StoreGatewayConfig extends KafkaClientConfig, RunModeConfig {
  databaseUrl: string;
  kafkaBrokers: string[];
  port: number;
  host: string;
  schema: string;
  /** Appended to topic names; lets tests and parallel demos keep to their own streams. */
  topicSuffix: string;
  /** AES-256-GCM key that encrypts store credentials and webhook secrets at rest. */
  secretsKey: Buffer;
  /** Bearer token for the admin routes (`/stores/...`, `/parked-deliveries/...`). */
  adminToken: string;
  /** Base URL WooCommerce reaches this service at; webhooks are registered as `<url>/webhooks/woocommerce/<storeId>`. */
  publicUrl: string;
  /** Largest webhook body accepted, in bytes; larger deliveries are refused with 413. */
  webhookMaxBodyBytes: number;
  /** Milliseconds between scheduled order sweeps of every store; 0 turns the schedule off (on-demand sweeps still work). */
  sweepIntervalMs: number;
  /** Seconds a sweep reaches back before its cursor, covering store clock skew and late commits. */
  sweepOverlapSeconds: number;
  /** Milliseconds between webhook health checks of every store; 0 turns the schedule off. */
  webhookHealthIntervalMs: number;
  /** Run the webhook health check once for every store shortly after start. */
  webhookHealthAtStart: boolean;
  /** Consume `store-stock.requested` and write stock to stores (off: requests wait on the topic). */
  stockWritesEnabled: boolean;
  /** Milliseconds between the stock write worker's looks for requests to apply. */
  stockPollMs: number;
  /** How long received parts of a request wait for the missing ones before they are applied on their own. */
  stockPartsWaitMs: number;
  /** Age after which a complete request re-reads the store's whole catalogue into the SKU index first. */
  skuIndexMaxAgeMs: number;
}



/** Every setting with its variable, description, default and whether it is secret; the chart's values docs come from here. */
export const storeGatewaySettings: Settings<StoreGatewayConfig> = {
  databaseUrl: {
    env: 'DATABASE_URL',
    description: 'PostgreSQL connection URL',
    secret: true,
    expected: 'postgres://user:password@host:5432/database',
    parse: parse.postgresUrl,
  },
  kafkaBrokers: {
    env: 'KAFKA_BROKERS',
    description: 'Kafka bootstrap brokers',
    expected: 'comma-separated host:port, like 127.0.0.1:9092',
    parse: parse.brokers,
  },
  port: { env: 'PORT', description: 'HTTP port', default: '3000', expected: 'an integer 0-65535', parse: parse.int(0, 65535) },
  host: { env: 'HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: (raw) => raw || undefined },
  schema: {
    env: 'STORE_GATEWAY_SCHEMA',
    description: 'database schema of this service',
    default: 'store_gateway',
    expected: 'lower-case letters, digits, underscores',
    parse: parse.identifier,
  },
  topicSuffix: {
    env: 'STORE_GATEWAY_TOPIC_SUFFIX',
    description: 'suffix for topic names',
    default: '-',
    expected: 'lower-case letters, digits and dashes, or "-" for none',
    parse: parse.topicSuffix,
  },
  secretsKey: {
    env: 'STORE_GATEWAY_SECRETS_KEY',
    description: 'key that encrypts store API keys and webhook secrets at rest (AES-256-GCM)',
    secret: true,
    expected: '32 random bytes, base64-encoded (openssl rand -base64 32)',
    parse: parse.base64Key(32),
  },
  adminToken: {
    env: 'STORE_GATEWAY_ADMIN_TOKEN',
    description: 'bearer token required on the admin routes until the control plane owns them',
    secret: true,
    expected: 'at least 24 characters',
    parse: (raw) => (raw.length >= 24 ? raw : undefined),
  },
  publicUrl: {
    env: 'STORE_GATEWAY_PUBLIC_URL',
    description: 'base URL WooCommerce delivers webhooks to',
    expected: 'an absolute http(s) URL without query, like https://gateway.example.com',
    parse: parse.httpUrl,
  },
  webhookMaxBodyBytes: {
    env: 'STORE_GATEWAY_WEBHOOK_MAX_BODY_BYTES',
    description: 'largest webhook body accepted',
    default: String(5 * 1024 * 1024),
    expected: 'an integer 1024-104857600 (bytes)',
    parse: parse.int(1024, 104_857_600),
  },
  sweepIntervalMs: { env: 'STORE_GATEWAY_SWEEP_INTERVAL_MS', description: 'milliseconds between scheduled sweeps (0 = off)', default: '300000', expected: 'an integer 0-86400000', parse: parse.int(0, 86_400_000) },
  sweepOverlapSeconds: { env: 'STORE_GATEWAY_SWEEP_OVERLAP_SECONDS', description: 'seconds each sweep re-reads before its cursor', default: '300', expected: 'an integer 0-86400', parse: parse.int(0, 86_400) },
  webhookHealthIntervalMs: {
    env: 'STORE_GATEWAY_WEBHOOK_HEALTH_INTERVAL_MS',
    description: 'milliseconds between webhook health checks (0 = off)',
    default: '900000',
    expected: 'an integer 0-86400000',
    parse: parse.int(0, 86_400_000),
  },
  webhookHealthAtStart: {
    env: 'STORE_GATEWAY_WEBHOOK_HEALTH_AT_START',
    description: 'check every store\'s webhooks once after start',
    default: 'true',
    expected: 'true or false',
    parse: parse.bool,
  },
  stockWritesEnabled: {
    env: 'STORE_GATEWAY_STOCK_WRITES_ENABLED',
    description: 'consume store-stock.requested and write stock levels to the stores',
    default: 'true',
    expected: 'true or false',
    parse: parse.bool,
  },
  stockPollMs: { env: 'STORE_GATEWAY_STOCK_POLL_MS', description: 'milliseconds between looks for stock requests to apply', default: '200', expected: 'an integer 10-60000', parse: parse.int(10, 60_000) },
  stockPartsWaitMs: {
    env: 'STORE_GATEWAY_STOCK_PARTS_WAIT_MS',
    description: 'milliseconds received parts of a stock request wait for the missing parts before being applied alone',
    default: '30000',
    expected: 'an integer 0-3600000',
    parse: parse.int(0, 3_600_000),
  },
  skuIndexMaxAgeMs: {
    env: 'STORE_GATEWAY_SKU_INDEX_MAX_AGE_MS',
    description: 'age after which a complete stock request first re-reads the whole catalogue into the SKU index',
    default: '3600000',
    expected: 'an integer 0-604800000 (0 = every complete request)',
    parse: parse.int(0, 604_800_000),
  },
  ...kafkaClientSettings,
  ...runModeSettings,
};

/**
 * Returns the validated config, or throws one error that lists every invalid or missing setting with its expected
 * form and the variable that sets it, so a misconfigured pod fails at boot, never on first use. Secret values are
 * never echoed.
 */
export function loadStoreGatewayConfig(env: NodeJS.ProcessEnv = process.env): StoreGatewayConfig {
  return loadSettings('store-gateway', storeGatewaySettings, env, 'environment variables, Helm values services.store-gateway.env', [checkKafkaClient()]);
}
