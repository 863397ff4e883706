import { checkKafkaClient, kafkaClientSettings, loadSettings, parse, runModeSettings, type KafkaClientConfig, type RunModeConfig, type Settings } from '@ledgerline/config';

/** Typed settings of the pipeline demo; the only place this service reads the environment (STYLE.md §6). */
export interface PipelineDemoConfig extends KafkaClientConfig, RunModeConfig {
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

/** Every setting with its variable, description and default; the chart's values docs come from here. */
export const pipelineDemoSettings: Settings<PipelineDemoConfig> = {
  databaseUrl: { env: 'DATABASE_URL', description: 'PostgreSQL connection URL', secret: true, expected: 'postgres://user:password@host:5432/database', parse: parse.postgresUrl },
  kafkaBrokers: { env: 'KAFKA_BROKERS', description: 'Kafka bootstrap brokers', expected: 'comma-separated host:port, like 127.0.0.1:9092', parse: parse.brokers },
  port: { env: 'PORT', description: 'HTTP port', default: '3000', expected: 'an integer 0-65535', parse: parse.int(0, 65535) },
  host: { env: 'HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: (raw) => raw || undefined },
  demoOrders: { env: 'DEMO_ORDERS', description: 'orders appended at start-up', default: '3', expected: 'an integer 0-10000', parse: parse.int(0, 10_000) },
  schema: { env: 'PIPELINE_DEMO_SCHEMA', description: 'database schema of this service', default: 'pipeline_demo', expected: 'lower-case letters, digits, underscores', parse: parse.identifier },
  topicSuffix: { env: 'PIPELINE_DEMO_TOPIC_SUFFIX', description: 'suffix for topic and consumer group names', default: '-', expected: 'lower-case letters, digits and dashes, or "-" for none', parse: parse.topicSuffix },
  ...kafkaClientSettings,
  ...runModeSettings,
};

/**
 * Returns the validated config, or throws one error that lists every invalid or missing setting with its expected
 * form and the variable that sets it, so a misconfigured pod fails at boot, never on first use.
 */
export function loadPipelineDemoConfig(env: NodeJS.ProcessEnv = process.env): PipelineDemoConfig {
  return loadSettings('pipeline-demo', pipelineDemoSettings, env, 'environment variables', [checkKafkaClient()]);
}
