import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { eventually } from './eventually';
import { testInfra } from './infra';
import { uniqueSuffix } from './unique';

/** One message as {@link readTopic} returns it. */
export interface ReadMessage {
  key: string | null;
  value: string;
  /** Header values as strings; for a header repeated on one message, the last value. */
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

async function kafka(clientId: string): Promise<Kafka> {
  const { kafkaBrokers } = await testInfra();
  return new Kafka({
    clientId: `ledgerline-testing-${clientId}`,
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 5, initialRetryTime: 100 },
  });
}

/**
 * Creates topics (idempotent: an existing topic is kept, and grown to `numPartitions` if it has fewer)
 * with `numPartitions` partitions (default 3) and replication factor 1, and waits until the metadata
 * of every partition, with a leader, is available.
 */
export async function createTopics(topics: { topic: string; numPartitions?: number }[]): Promise<void> {
  if (topics.length === 0) return;
  const wanted = new Map(topics.map((t) => [t.topic, t.numPartitions ?? 3]));
  const admin = (await kafka('admin')).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [...wanted].map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    const names = [...wanted.keys()];
    const counts = async () => {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
      return new Map(metadata.map((t) => [t.name, t.partitions]));
    };
    const existing = await eventually(counts, { timeoutMs: 30_000, description: `metadata of ${names.join(', ')}` });
    const grow = names
      .filter((name) => (existing.get(name)?.length ?? 0) < (wanted.get(name) ?? 0))
      .map((topic) => ({ topic, count: wanted.get(topic) ?? 0 }));
    if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow, validateOnly: false });
    await eventually(
      async () => {
        const current = await counts();
        return names.every((name) => {
          const partitions = current.get(name) ?? [];
          return partitions.length >= (wanted.get(name) ?? 0) && partitions.every((p) => p.leader >= 0);
        });
      },
      { timeoutMs: 30_000, description: `leaders for every partition of ${names.join(', ')}` },
    );
  } finally {
    await admin.disconnect();
  }
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = last.toString();
  }
  return out;
}

/**
 * Reads every message in `topic` from the beginning, with a new consumer group of its own, until
 * `expected` messages have been read or `timeoutMs` (default 15 000) passes, whichever comes first; the
 * time includes joining the group. Returns what it read, ordered by partition and offset: at least
 * `expected` messages unless it timed out, possibly more when they arrived in the same fetch (so a
 * duplicate is not hidden). To assert that nothing more arrives, ask for one more than you expect with
 * a short timeout.
 */
export async function readTopic(
  topic: string,
  opts: { expected: number; timeoutMs?: number },
): Promise<Array<{ key: string | null; value: string; headers: Record<string, string>; partition: number; offset: string }>> {
  const { expected, timeoutMs = 15_000 } = opts;
  const deadline = Date.now() + timeoutMs;
  const consumer = (await kafka('reader')).consumer({
    groupId: `ledgerline-testing-read-${uniqueSuffix()}`,
    // Short fetch waits, so disconnecting does not wait for a long poll.
    maxWaitTimeInMs: 200,
    allowAutoTopicCreation: false,
  });
  const messages: ReadMessage[] = [];
  let done!: () => void;
  const enough = new Promise<void>((resolve) => (done = resolve));
  if (expected <= 0) done();
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        messages.push({
          key: message.key === null ? null : message.key.toString(),
          value: message.value === null ? '' : message.value.toString(),
          headers: headerStrings(message.headers),
          partition,
          offset: message.offset,
        });
        if (messages.length >= expected) done();
      },
    });
    await Promise.race([
      enough,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
