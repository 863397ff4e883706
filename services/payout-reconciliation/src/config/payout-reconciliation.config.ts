import { checkKafkaClient, kafkaClientSettings, loadSettings, parse, runModeSettings, type KafkaClientConfig, type RunModeConfig, type Settings } from '@ledgerline/config';

/** Typed settings of payout-reconciliation; the only place this service reads the environment (STYLE.md §6). */
export interface PayoutReconciliationConfig extends KafkaClientConfig, RunModeConfig {
  databaseUrl: string;
  kafkaBrokers: string[];
  port: number;
  host: string;
  schema: string;
  /** Appended to topic and consumer group names; lets tests keep to their own streams. */
  topicSuffix: string;
  /** Bearer token of the admin routes until the control plane proxies them. */
  adminToken: string;
  /** AES-256-GCM key sealing provider credentials at rest. */
  secretsKey: Buffer;
  /** Largest report upload or download accepted, in bytes. */
  maxReportBytes: number;
  /** Directory scanned for report files (`<dir>/<provider>/[<merchant account>/]*.csv`); empty = off. */
  reportDir: string;
  reportDirScanMs: number;
  /** Pause between API polls of every mapped Stripe and Klarna account; 0 = only on demand. */
  pollIntervalMs: number;
  /** How far back a poll reads payouts. */
  pollLookbackDays: number;
  /** Delay of a reconcile pass after something changed. */
  matchDebounceMs: number;
  /** Longest pause between reconcile passes, even when nothing seems to change. */
  matchRetryMs: number;
  stripeApiBaseUrl: string;
  klarnaApiBaseUrl: string;
  /** Adyen report downloads are only fetched from URLs under this base (a notification cannot point us elsewhere). */
  adyenReportBaseUrl: string;
  requestTimeoutMs: number;
}

const nonEmpty = (raw: string) => raw || undefined;

/** Every setting with its variable, description and default; the chart's values docs come from here. */
export const payoutReconciliationSettings: Settings<PayoutReconciliationConfig> = {
  databaseUrl: { env: 'DATABASE_URL', description: 'PostgreSQL connection URL', secret: true, expected: 'postgres://user:password@host:5432/database', parse: parse.postgresUrl },
  kafkaBrokers: { env: 'KAFKA_BROKERS', description: 'Kafka bootstrap brokers', expected: 'comma-separated host:port, like 127.0.0.1:9092', parse: parse.brokers },
  port: { env: 'PORT', description: 'HTTP port', default: '3000', expected: 'an integer 0-65535', parse: parse.int(0, 65535) },
  host: { env: 'HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: nonEmpty },
  schema: { env: 'PAYOUT_RECONCILIATION_SCHEMA', description: 'database schema of this service', default: 'payout_reconciliation', expected: 'lower-case letters, digits, underscores', parse: parse.identifier },
  topicSuffix: { env: 'PAYOUT_RECONCILIATION_TOPIC_SUFFIX', description: 'suffix for topic and consumer group names', default: '-', expected: 'lower-case letters, digits and dashes, or "-" for none', parse: parse.topicSuffix },
  adminToken: {
    env: 'PAYOUT_RECONCILIATION_ADMIN_TOKEN',
    description: 'bearer token required on the admin routes until the control plane proxies them',
    secret: true,
    expected: 'at least 24 characters',
    parse: (raw) => (raw.length >= 24 ? raw : undefined),
  },
  secretsKey: {
    env: 'PAYOUT_RECONCILIATION_SECRETS_KEY',
    description: 'key that encrypts provider credentials at rest (AES-256-GCM)',
    secret: true,
    expected: '32 random bytes, base64-encoded (openssl rand -base64 32)',
    parse: parse.base64Key(32),
  },
  maxReportBytes: { env: 'PAYOUT_RECONCILIATION_MAX_REPORT_BYTES', description: 'largest report accepted', default: String(200 * 1024 * 1024), expected: 'an integer 1024-2147483647 (bytes)', parse: parse.int(1024, 2_147_483_647) },
  reportDir: { env: 'PAYOUT_RECONCILIATION_REPORT_DIR', description: 'directory scanned for report files', default: '-', expected: 'an absolute path, or "-" for none', parse: (raw) => (raw === '-' ? '' : raw.startsWith('/') ? raw : undefined) },
  reportDirScanMs: { env: 'PAYOUT_RECONCILIATION_REPORT_DIR_SCAN_MS', description: 'milliseconds between scans of the report directory', default: '60000', expected: 'an integer 100-86400000', parse: parse.int(100, 86_400_000) },
  pollIntervalMs: { env: 'PAYOUT_RECONCILIATION_POLL_INTERVAL_MS', description: 'milliseconds between API polls (0 = on demand only)', default: '3600000', expected: 'an integer 0-86400000', parse: parse.int(0, 86_400_000) },
  pollLookbackDays: { env: 'PAYOUT_RECONCILIATION_POLL_LOOKBACK_DAYS', description: 'days of payouts each poll reads back', default: '14', expected: 'an integer 1-400', parse: parse.int(1, 400) },
  matchDebounceMs: { env: 'PAYOUT_RECONCILIATION_MATCH_DEBOUNCE_MS', description: 'delay of a reconcile pass after new data', default: '500', expected: 'an integer 10-60000', parse: parse.int(10, 60_000) },
  matchRetryMs: { env: 'PAYOUT_RECONCILIATION_MATCH_RETRY_MS', description: 'longest pause between reconcile passes', default: '60000', expected: 'an integer 100-86400000', parse: parse.int(100, 86_400_000) },
  stripeApiBaseUrl: { env: 'STRIPE_API_BASE_URL', description: 'Stripe API base URL', default: 'https://api.stripe.com', expected: 'an http(s) URL', parse: parse.httpUrl },
  klarnaApiBaseUrl: { env: 'KLARNA_API_BASE_URL', description: 'Klarna API base URL (the Settlements API lives under /settlements/v1)', default: 'https://api.klarna.com', expected: 'an http(s) URL', parse: parse.httpUrl },
  adyenReportBaseUrl: {
    env: 'ADYEN_REPORT_BASE_URL',
    description: 'base URL Adyen report downloads must start with',
    default: 'https://ca-live.adyen.com/reports/download',
    expected: 'an http(s) URL',
    parse: parse.httpUrl,
  },
  requestTimeoutMs: { env: 'PAYOUT_RECONCILIATION_REQUEST_TIMEOUT_MS', description: 'timeout of one provider request', default: '30000', expected: 'an integer 100-600000', parse: parse.int(100, 600_000) },
  ...kafkaClientSettings,
  ...runModeSettings,
};

/** Returns the validated config, or throws one error listing every invalid or missing setting (secrets redacted). */
export function loadPayoutReconciliationConfig(env: NodeJS.ProcessEnv = process.env): PayoutReconciliationConfig {
  return loadSettings('payout-reconciliation', payoutReconciliationSettings, env, 'environment variables, Helm values services.payout-reconciliation.env', [checkKafkaClient()]);
}
