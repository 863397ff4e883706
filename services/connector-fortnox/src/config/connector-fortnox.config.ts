import { checkKafkaClient, kafkaClientSettings, runModeSettings, type KafkaClientConfig, type RunModeConfig } from '@ledgerline/config';

/** Typed settings of connector-fortnox; the only place this service reads the environment (STYLE.md §6). */
export interface ConnectorFortnoxConfig extends KafkaClientConfig, RunModeConfig {
  databaseUrl: string;
  kafkaBrokers: string[];
  port: number;
  host: string;
  schema: string;
  /** Appended to topic and consumer group names; lets tests keep to their own streams. */
  topicSuffix: string;
  fortnoxApiBaseUrl: string;
  fortnoxTokenUrl: string;
  fortnoxClientId: string;
  fortnoxClientSecret: string;
  /** Key that seals OAuth tokens at rest: `<key id>:<base64 of 32 bytes>`. */
  tokenKey: { id: string; key: string };
  requestTimeoutMs: number;
  rateLimit: { requests: number; windowMs: number };
  /** Whether this replica drains document intents (the consumer runs regardless). */
  workerEnabled: boolean;
  workerIdleMs: number;
  intentLeaseMs: number;
  /** Delivery retry spacing of transient failures (erp-kit backoff). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Pause between stock polls of every connected tenant; 0 turns the schedule off (on-demand polls still work). */
  stockPollMs: number;
  /** Fortnox voucher series payout vouchers (fees, reserves, bank payouts, ...) are booked in. */
  payoutVoucherSeries: string;
  /** Whether this replica materialises the control plane's config topic (the tenants' Fortnox mappings). */
  controlConfigEnabled: boolean;
}

interface Setting {
  env: string;
  description: string;
  default?: string;
  secret?: boolean;
  expected: string;
  parse: (raw: string) => unknown;
}

const int = (min: number, max: number) => (raw: string) => (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max ? Number(raw) : undefined);
const url = (raw: string) => (/^https?:\/\/[^\s]+$/.test(raw) ? raw.replace(/\/+$/, '') : undefined);

const settings: Record<string, Setting> = {
  databaseUrl: {
    env: 'DATABASE_URL',
    description: 'PostgreSQL connection URL',
    secret: true,
    expected: 'postgres://user:password@host:5432/database',
    parse: (raw) => (/^postgres(ql)?:\/\/.+/.test(raw) ? raw : undefined),
  },
  kafkaBrokers: {
    env: 'KAFKA_BROKERS',
    description: 'Kafka bootstrap brokers',
    expected: 'comma-separated host:port, like 127.0.0.1:9092',
    parse: (raw) => {
      const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
      return list.length > 0 && list.every((b) => /^[^\s:]+:\d+$/.test(b)) ? list : undefined;
    },
  },
  port: { env: 'PORT', description: 'HTTP port', default: '3000', expected: 'an integer 0-65535', parse: int(0, 65535) },
  host: { env: 'HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: (raw) => raw || undefined },
  schema: {
    env: 'CONNECTOR_FORTNOX_SCHEMA',
    description: 'database schema of this service',
    default: 'connector_fortnox',
    expected: 'lower-case letters, digits, underscores',
    parse: (raw) => (/^[a-z_][a-z0-9_]*$/.test(raw) ? raw : undefined),
  },
  topicSuffix: {
    env: 'CONNECTOR_FORTNOX_TOPIC_SUFFIX',
    description: 'suffix for topic and consumer group names',
    default: '-',
    expected: 'lower-case letters, digits and dashes, or "-" for none',
    parse: (raw) => (raw === '-' ? '' : /^[a-z0-9-]{1,40}$/.test(raw) ? raw : undefined),
  },
  fortnoxApiBaseUrl: { env: 'FORTNOX_API_BASE_URL', description: 'Fortnox API base URL', default: 'https://api.fortnox.se', expected: 'an http(s) URL', parse: url },
  fortnoxTokenUrl: {
    env: 'FORTNOX_TOKEN_URL',
    description: 'Fortnox OAuth token endpoint',
    default: 'https://apps.fortnox.se/oauth-v1/token',
    expected: 'an http(s) URL',
    parse: url,
  },
  fortnoxClientId: { env: 'FORTNOX_CLIENT_ID', description: 'OAuth client id of the Ledgerline Fortnox app', expected: 'the client id from the Fortnox developer portal', parse: (raw) => raw || undefined },
  fortnoxClientSecret: {
    env: 'FORTNOX_CLIENT_SECRET',
    description: 'OAuth client secret of the Ledgerline Fortnox app',
    secret: true,
    expected: 'the client secret from the Fortnox developer portal',
    parse: (raw) => raw || undefined,
  },
  tokenKey: {
    env: 'FORTNOX_TOKEN_KEY',
    description: 'key sealing Fortnox tokens at rest',
    secret: true,
    expected: '<key id>:<base64 of 32 random bytes>, like k1:$(openssl rand -base64 32)',
    parse: (raw) => {
      const m = /^([A-Za-z0-9._-]{1,64}):([A-Za-z0-9+/=]+)$/.exec(raw);
      return m && Buffer.from(m[2] as string, 'base64').length === 32 ? { id: m[1], key: m[2] } : undefined;
    },
  },
  requestTimeoutMs: { env: 'FORTNOX_REQUEST_TIMEOUT_MS', description: 'timeout of one Fortnox request', default: '10000', expected: 'an integer 100-60000', parse: int(100, 60000) },
  rateLimitRequests: { env: 'FORTNOX_RATE_LIMIT_REQUESTS', description: 'Fortnox requests per window per connection', default: '25', expected: 'an integer 1-1000', parse: int(1, 1000) },
  rateLimitWindowMs: { env: 'FORTNOX_RATE_LIMIT_WINDOW_MS', description: 'Fortnox rate-limit window', default: '5000', expected: 'an integer 100-600000', parse: int(100, 600000) },
  workerEnabled: {
    env: 'CONNECTOR_FORTNOX_WORKER',
    description: 'drain document intents in this replica',
    default: 'on',
    expected: '"on" or "off"',
    parse: (raw) => (raw === 'on' ? true : raw === 'off' ? false : undefined),
  },
  workerIdleMs: { env: 'CONNECTOR_FORTNOX_WORKER_IDLE_MS', description: 'pause of the delivery worker when nothing is due', default: '1000', expected: 'an integer 10-60000', parse: int(10, 60000) },
  intentLeaseMs: { env: 'CONNECTOR_FORTNOX_INTENT_LEASE_MS', description: 'how long a worker holds a claimed intent', default: '60000', expected: 'an integer 1000-600000', parse: int(1000, 600000) },
  backoffBaseMs: { env: 'CONNECTOR_FORTNOX_BACKOFF_BASE_MS', description: 'first retry delay of a failed delivery', default: '2000', expected: 'an integer 10-600000', parse: int(10, 600000) },
  backoffMaxMs: { env: 'CONNECTOR_FORTNOX_BACKOFF_MAX_MS', description: 'longest retry delay of a failed delivery', default: '900000', expected: 'an integer 10-3600000', parse: int(10, 3600000) },
  payoutVoucherSeries: {
    env: 'CONNECTOR_FORTNOX_PAYOUT_VOUCHER_SERIES',
    description: 'Fortnox voucher series for payout vouchers (must exist in the company: /3/voucherseries)',
    default: 'A',
    expected: 'a voucher series code of 1-10 upper-case letters or digits, like A or P',
    parse: (raw) => (/^[A-Z0-9]{1,10}$/.test(raw) ? raw : undefined),
  },
  controlConfigEnabled: {
    env: 'CONNECTOR_FORTNOX_CONTROL_CONFIG',
    description: "apply the tenants' Fortnox mappings published by the control plane (docs/adr/0006-configuration-distribution.md)",
    default: 'on',
    expected: '"on" or "off"',
    parse: (raw) => (raw === 'on' ? true : raw === 'off' ? false : undefined),
  },
  stockPollMs: { env: 'CONNECTOR_FORTNOX_STOCK_POLL_MS', description: 'pause between Fortnox stock polls (0 = off)', default: '300000', expected: 'an integer 0-86400000', parse: int(0, 86400000) },
  ...kafkaClientSettings,
  ...runModeSettings,
};

/**
 * Returns the validated config, or throws one error that lists every invalid or missing setting with its expected
 * form and the variable that sets it (secret values redacted), so a misconfigured pod fails at boot.
 */
export function loadConnectorFortnoxConfig(env: NodeJS.ProcessEnv = process.env): ConnectorFortnoxConfig {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(settings)) {
    const raw = env[s.env] ?? s.default;
    if (raw === undefined || raw === '') {
      problems.push(`${s.env} is required (${s.description}); expected ${s.expected}.`);
      continue;
    }
    const value = s.parse(raw);
    if (value === undefined) {
      problems.push(`${s.env}=${s.secret ? '<redacted>' : JSON.stringify(raw)} is invalid (${s.description}); expected ${s.expected}.`);
      continue;
    }
    out[key] = value;
  }
  problems.push(...checkKafkaClient()(out as Partial<KafkaClientConfig>));
  if (problems.length > 0) throw new Error(`connector-fortnox cannot start; fix these settings (environment variables):\n- ${problems.join('\n- ')}`);
  const { rateLimitRequests, rateLimitWindowMs, ...rest } = out;
  return { ...rest, rateLimit: { requests: rateLimitRequests, windowMs: rateLimitWindowMs } } as unknown as ConnectorFortnoxConfig;
}
