import { Kafka, logLevel, type Admin, type ITopicConfig, type KafkaConfig, type LogEntry } from 'kafkajs';
import { createLogger } from '@ledgerline/observability';

/**
 * Settings for the Kafka connection; services build them from their config module: KAFKA_BROKERS, and TLS and SASL
 * from KAFKA_SSL* and KAFKA_SASL_* through `kafkaConnectionOptions` of @ledgerline/config.
 */
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** true: TLS with the system CAs; an object: TLS with these PEM strings (private CA, client certificate). */
  ssl?: boolean | { ca?: string[]; cert?: string; key?: string };
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
        // The relay bounds its producer's retries on purpose: it re-sends the whole batch itself and consumers
        // dedupe through the inbox, so kafkajs' exactly-once warning about it is noise for an operator.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
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

/** A topic this service needs, with its partition count (the unit of consumer parallelism). */
export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor?: number;
  configEntries?: ITopicConfig['configEntries'];
}

/**
 * Creates the topics that do not exist yet and waits for their leaders, so a consumer can subscribe at once.
 * Existing topics are left as they are: their partition count is not changed (that would move keys to other
 * partitions under running consumers); one with fewer partitions than asked for is logged as a warning. For clusters where services may
 * not create topics, turn this off in the service config and create them with the chart's job instead.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = specs.filter((s) => existing.has(s.topic));
    if (present.length > 0) {
      const { topics } = await admin.fetchTopicMetadata({ topics: present.map((s) => s.topic) });
      for (const t of topics) {
        const wanted = present.find((s) => s.topic === t.name)?.numPartitions ?? 0;
        if (t.partitions.length < wanted) {
          createLogger('kafka').warn(
            { topic: t.name, partitions: t.partitions.length, wanted },
            `topic ${t.name} has ${t.partitions.length} partitions, fewer than the ${wanted} configured (KAFKA_TOPIC_PARTITIONS): consumer replicas beyond ${t.partitions.length} stay idle. Add partitions with kafka-topics --alter while producers are stopped, or lower the setting.`,
          );
        }
      }
    }
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.topic,
          numPartitions: s.numPartitions,
          ...(s.replicationFactor ? { replicationFactor: s.replicationFactor } : {}),
          ...(s.configEntries ? { configEntries: s.configEntries } : {}),
        })),
      });
    }
    // Services start together: a topic another one created a moment ago may be listed (or make createTopics answer
    // "exists", which skips its wait) before its partitions have leaders, and a consumer subscribing then is refused
    // with "This server does not host this topic-partition". One metadata request when all is well.
    await waitForLeaders(admin, specs.map((s) => s.topic));
  } finally {
    await admin.disconnect();
  }
}

/** Polls topic metadata until every partition of `topics` has a leader; gives up after `timeoutMs` with an error naming them. */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const led = await admin
      .fetchTopicMetadata({ topics })
      .then((m) => m.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
      .catch(() => false);
    if (led) return;
    if (Date.now() > deadline) throw new Error(`Kafka topics ${topics.join(', ')} have no leader for every partition after ${timeoutMs} ms; check the brokers' health`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
