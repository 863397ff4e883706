#!/usr/bin/env node
// Readiness probe for Kafka with a real client call (kafkajs admin: describeCluster + listTopics),
// retried until a deadline. Used by deploy/local/infra.sh; not a port probe.
//
// Usage: node deploy/local/kafka-check.js <broker[,broker...]> [timeoutSeconds=60]
// Exit 0 when the cluster answered, 1 (with the last error on stderr) when the deadline passed.
'use strict';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const { Kafka, logLevel } = require('kafkajs');

async function probe(brokers) {
  const kafka = new Kafka({
    clientId: 'ledgerline-infra-check',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const topics = await admin.listTopics();
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length, controller: cluster.controller, topics: topics.length };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function main() {
  const brokers = (process.argv[2] || '').split(',').map((b) => b.trim()).filter(Boolean);
  const timeoutSeconds = Number(process.argv[3] || 60);
  if (brokers.length === 0) {
    console.error('usage: kafka-check.js <broker[,broker...]> [timeoutSeconds]');
    process.exit(2);
  }
  const deadline = Date.now() + timeoutSeconds * 1000;
  let lastError;
  for (;;) {
    try {
      const info = await probe(brokers);
      // A controller id of -1 means the quorum has no leader yet: not ready.
      if (info.brokers > 0 && info.controller !== null && info.controller >= 0) {
        console.log(`# kafka ready: cluster ${info.clusterId}, ${info.brokers} broker(s), controller ${info.controller}, ${info.topics} topic(s)`);
        return;
      }
      lastError = new Error(`cluster not ready yet: ${JSON.stringify(info)}`);
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.error(`kafka-check: ${brokers.join(',')} did not answer within ${timeoutSeconds}s: ${lastError && lastError.message}`);
  process.exit(1);
}

main().catch((err) => {
  console.error(`kafka-check: ${err && err.stack}`);
  process.exit(1);
});
