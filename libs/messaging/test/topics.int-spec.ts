import { testInfra, uniqueSuffix } from '@ledgerline/testing';
import { createKafka, ensureTopics } from '../src';

describe('ensureTopics on the real broker', () => {
  it('lets services that start together create the same topics, each returning only once every partition has a leader', async () => {
    const { kafkaBrokers } = await testInfra();
    const topics = [`ledgerline.test.topics-a.${uniqueSuffix()}`, `ledgerline.test.topics-b.${uniqueSuffix()}`].map((topic) => ({ topic, numPartitions: 6 }));
    const replicas = Array.from({ length: 4 }, (_, i) => createKafka({ brokers: kafkaBrokers, clientId: `topics-test-${i}` }));

    // Each replica checks the metadata itself the moment its own call returns, as a consumer subscribing at once would.
    const seen = await Promise.all(
      replicas.map(async (kafka) => {
        await ensureTopics(kafka, topics);
        const admin = kafka.admin();
        await admin.connect();
        try {
          const { topics: meta } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
          return meta.map((t) => [t.name, t.partitions.length, t.partitions.every((p) => p.leader >= 0)]).sort();
        } finally {
          await admin.disconnect();
        }
      }),
    );

    for (const view of seen) expect(view).toEqual(topics.map((t) => [t.topic, 6, true]).sort());
  });
});
