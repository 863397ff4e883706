import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { createLogger } from '@ledgerline/observability';

/** Settings for the Kafka connection; services build them from their config module (KAFKA_BROKERS, KAFKA_SSL, KAFKA_SASL_*). */
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** kafkajs' own log level; warnings and errors go to the service log by default. */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
}

const LEVELS = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG };

/**
 * Returns a kafkajs client for the relay and consumer runner. This is the only place the project constructs one
 * (STYLE.md: kafkajs is imported only in libs/messaging).
 */
export function createKafka(settings: KafkaSettings): Kafka {
  if (settings.brokers.length === 0 || settings.brokers.some((b) => !/^[^\s:]+:\d+$/.test(b))) {
    throw new Error(
      `Kafka brokers "${settings.brokers.join(',')}" are not valid: set KAFKA_BROKERS to a comma-separated list of host:port, like "kafka-0.kafka:9092,kafka-1.kafka:9092".`,
    );
  }
  const log = createLogger('kafkajs');
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl ?? false,
    logLevel: LEVELS[settings.logLevel ?? 'warn'],
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        if (level <= logLevel.ERROR) log.error(rest, message);
        else if (level === logLevel.WARN) log.warn(rest, message);
        else log.debug(rest, message);
      },
    retry: { initialRetryTime: 200, retries: 8 },
  };
  if (settings.sasl) config.sasl = settings.sasl as KafkaConfig['sasl'];
  return new Kafka(config);
}

export type { Kafka };
