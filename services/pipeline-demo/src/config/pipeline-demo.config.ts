/** Typed settings of the pipeline demo; the only place this service reads the environment (STYLE.md §6). */
export interface PipelineDemoConfig {
  databaseUrl: string;
  kafkaBrokers: string[];
  port: number;
  host: string;
  /** Demo orders appended at start-up so a first run shows an event's whole journey. */
  demoOrders: number;
  schema: string;
  /** Appended to topic and consumer group names; lets tests and parallel demos keep to their own streams. */
  topicSuffix: string;
}

interface Setting {
  env: string;
  description: string;
  required?: boolean;
  default?: string;
  secret?: boolean;
  parse: (raw: string) => unknown;
  expected: string;
}

const settings: Record<keyof PipelineDemoConfig, Setting> = {
  databaseUrl: {
    env: 'DATABASE_URL',
    description: 'PostgreSQL connection URL',
    required: true,
    secret: true,
    expected: 'postgres://user:password@host:5432/database',
    parse: (raw) => (/^postgres(ql)?:\/\/.+/.test(raw) ? raw : undefined),
  },
  kafkaBrokers: {
    env: 'KAFKA_BROKERS',
    description: 'Kafka bootstrap brokers',
    required: true,
    expected: 'comma-separated host:port, like 127.0.0.1:9092',
    parse: (raw) => {
      const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
      return list.length > 0 && list.every((b) => /^[^\s:]+:\d+$/.test(b)) ? list : undefined;
    },
  },
  port: { env: 'PORT', description: 'HTTP port', default: '3000', expected: 'an integer 0-65535', parse: (raw) => (/^\d+$/.test(raw) && Number(raw) < 65536 ? Number(raw) : undefined) },
  host: { env: 'HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: (raw) => raw || undefined },
  demoOrders: { env: 'DEMO_ORDERS', description: 'orders appended at start-up', default: '3', expected: 'an integer 0-10000', parse: (raw) => (/^\d+$/.test(raw) && Number(raw) <= 10000 ? Number(raw) : undefined) },
  schema: { env: 'PIPELINE_DEMO_SCHEMA', description: 'database schema of this service', default: 'pipeline_demo', expected: 'lower-case letters, digits, underscores', parse: (raw) => (/^[a-z_][a-z0-9_]*$/.test(raw) ? raw : undefined) },
  topicSuffix: { env: 'PIPELINE_DEMO_TOPIC_SUFFIX', description: 'suffix for topic and consumer group names', default: '-', expected: 'lower-case letters, digits and dashes, or "-" for none', parse: (raw) => (raw === '-' ? '' : /^[a-z0-9-]{1,40}$/.test(raw) ? raw : undefined) },
};

/**
 * Returns the validated config, or throws one error that lists every invalid or missing setting with its expected
 * form and the variable that sets it, so a misconfigured pod fails at boot, never on first use.
 */
export function loadPipelineDemoConfig(env: NodeJS.ProcessEnv = process.env): PipelineDemoConfig {
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
  if (problems.length > 0) {
    throw new Error(`pipeline-demo cannot start; fix these settings (environment variables):\n- ${problems.join('\n- ')}`);
  }
  return out as unknown as PipelineDemoConfig;
}
