import { checkKafkaClient, kafkaClientSettings, loadSettings, parse, runModeSettings, type KafkaClientConfig, type RunModeConfig, type Settings } from '@ledgerline/config';

/** Typed settings of inventory-sync; the only place this service reads the environment (STYLE.md §6). */
export interface InventorySyncConfig extends KafkaClientConfig, RunModeConfig {
  databaseUrl: string;
  kafkaBrokers: string[];
  port: number;
  host: string;
  schema: string;
  /** Appended to topic and consumer group names; lets tests and parallel demos keep to their own streams. */
  topicSuffix: string;
  /** Bearer token for the admin routes until the control plane owns them. */
  adminToken: string;
  /** A (store, SKU) is flushed once it has been quiet this long: the newest level within the window wins. */
  coalesceWindowMs: number;
  /** A (store, SKU) that keeps changing is flushed at the latest this long after its first unflushed change. */
  coalesceMaxDelayMs: number;
  /** How often the flush loop looks for (store, SKU) rows that are due. */
  flushTickMs: number;
  /** Most (store, SKU) rows one flush transaction takes. */
  flushBatchSize: number;
  /** Milliseconds between scheduled reconciliations of every store; 0 turns the schedule off (on-demand still works). */
  reconcileIntervalMs: number;
  /** Materialise the control plane's `store` records and honour their `flows.inventory` (docs/adr/0006). */
  controlConfigEnabled: boolean;
}

/** Every setting with its variable, description, default and whether it is secret; the chart's values docs come from here. */
export const inventorySyncSettings: Settings<InventorySyncConfig> = {
  databaseUrl: {
    env: 'DATABASE_URL',
    description: 'PostgreSQL connection URL',
    secret: true,
    expected: 'postgres://user:password@host:5432/database',
    parse: parse.postgresUrl,
  },
  kafkaBrokers: { env: 'KAFKA_BROKERS', description: 'Kafka bootstrap brokers', expected: 'comma-separated host:port, like 127.0.0.1:9092', parse: parse.brokers },
  port: { env: 'PORT', description: 'HTTP port', default: '3000', expected: 'an integer 0-65535', parse: parse.int(0, 65535) },
  host: { env: 'HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: (raw) => raw || undefined },
  schema: {
    env: 'INVENTORY_SYNC_SCHEMA',
    description: 'database schema of this service',
    default: 'inventory_sync',
    expected: 'lower-case letters, digits, underscores',
    parse: parse.identifier,
  },
  topicSuffix: {
    env: 'INVENTORY_SYNC_TOPIC_SUFFIX',
    description: 'suffix for topic and consumer group names',
    default: '-',
    expected: 'lower-case letters, digits and dashes, or "-" for none',
    parse: parse.topicSuffix,
  },
  adminToken: {
    env: 'INVENTORY_SYNC_ADMIN_TOKEN',
    description: 'bearer token required on the admin routes until the control plane owns them',
    secret: true,
    expected: 'at least 24 characters',
    parse: (raw) => (raw.length >= 24 ? raw : undefined),
  },
  coalesceWindowMs: {
    env: 'INVENTORY_SYNC_COALESCE_WINDOW_MS',
    description: 'quiet time after the last change before a store SKU is flushed',
    default: '200',
    expected: 'an integer 0-60000 (milliseconds)',
    parse: parse.int(0, 60_000),
  },
  coalesceMaxDelayMs: {
    env: 'INVENTORY_SYNC_COALESCE_MAX_DELAY_MS',
    description: 'longest a store SKU that keeps changing waits before it is flushed anyway',
    default: '2000',
    expected: 'an integer 0-600000 (milliseconds)',
    parse: parse.int(0, 600_000),
  },
  flushTickMs: { env: 'INVENTORY_SYNC_FLUSH_TICK_MS', description: 'pause between looks for due store SKUs', default: '50', expected: 'an integer 5-60000', parse: parse.int(5, 60_000) },
  flushBatchSize: { env: 'INVENTORY_SYNC_FLUSH_BATCH_SIZE', description: 'most store SKUs flushed per transaction', default: '5000', expected: 'an integer 1-100000', parse: parse.int(1, 100_000) },
  reconcileIntervalMs: {
    env: 'INVENTORY_SYNC_RECONCILE_INTERVAL_MS',
    description: 'milliseconds between scheduled reconciliations of every store (0 = off)',
    default: '86400000',
    expected: 'an integer 0-604800000',
    parse: parse.int(0, 604_800_000),
  },
  controlConfigEnabled: {
    env: 'INVENTORY_SYNC_CONTROL_CONFIG',
    description: "read the stores' flows published by the control plane and send no stock to a store whose inventory flow is off (docs/adr/0006-configuration-distribution.md)",
    default: 'on',
    expected: '"on" or "off"',
    parse: (raw) => (raw === 'on' ? true : raw === 'off' ? false : undefined),
  },
  ...kafkaClientSettings,
  ...runModeSettings,
};

/**
 * Returns the validated config, or throws one error that lists every invalid or missing setting with its expected
 * form and the variable that sets it, so a misconfigured pod fails at boot, never on first use.
 */
export function loadInventorySyncConfig(env: NodeJS.ProcessEnv = process.env): InventorySyncConfig {
  const config = loadSettings('inventory-sync', inventorySyncSettings, env, 'environment variables, Helm values services.inventory-sync.env', [checkKafkaClient()]);
  if (config.coalesceMaxDelayMs < config.coalesceWindowMs) {
    throw new Error(
      `inventory-sync cannot start; fix these settings (environment variables, Helm values services.inventory-sync.env):\n- INVENTORY_SYNC_COALESCE_MAX_DELAY_MS (${config.coalesceMaxDelayMs}) must be at least INVENTORY_SYNC_COALESCE_WINDOW_MS (${config.coalesceWindowMs})`,
    );
  }
  return config;
}
