import { counter, gauge, histogram } from '@ledgerline/observability';

// Metric names follow STYLE.md §3: ledgerline_<area>_<noun>_<unit>, base units, bounded labels only.
export const outboxPublished = counter({
  name: 'ledgerline_outbox_published_total',
  help: 'Outbox messages published to Kafka by the relay.',
  labelNames: ['schema', 'topic'] as const,
});
export const outboxPublishDuration = histogram({
  name: 'ledgerline_outbox_publish_duration_seconds',
  help: 'Time to publish one relay batch to Kafka and mark it sent.',
  labelNames: ['schema'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
export const outboxPublishFailures = counter({
  name: 'ledgerline_outbox_publish_failures_total',
  help: 'Relay batches that failed to publish and will be retried.',
  labelNames: ['schema'] as const,
});
export const outboxPruned = counter({
  name: 'ledgerline_outbox_pruned_total',
  help: 'Sent outbox rows deleted after the retention window.',
  labelNames: ['schema'] as const,
});
export const outboxRelayLeader = gauge({
  name: 'ledgerline_outbox_relay_leader',
  help: '1 while this process holds the relay lock for the schema (exactly one per schema should).',
  labelNames: ['schema'] as const,
});
export const outboxBacklogMessages = gauge({
  name: 'ledgerline_outbox_backlog_messages',
  help: 'Outbox rows committed but not yet published, read by the leading relay.',
  labelNames: ['schema'] as const,
});
export const outboxBacklogAge = gauge({
  name: 'ledgerline_outbox_backlog_age_seconds',
  help: 'Age of the oldest unpublished outbox row (0 when none), read by the leading relay.',
  labelNames: ['schema'] as const,
});

export const consumerMessages = counter({
  name: 'ledgerline_consumer_messages_total',
  help: 'Messages handled by a consumer, by outcome (processed, duplicate, parked, held, ignored).',
  labelNames: ['group', 'topic', 'outcome'] as const,
});
export const consumerHandleDuration = histogram({
  name: 'ledgerline_consumer_handle_duration_seconds',
  help: 'Time from receiving a message to its outcome, retries included.',
  labelNames: ['group', 'topic', 'outcome'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});
export const consumerRetries = counter({
  name: 'ledgerline_consumer_retries_total',
  help: 'Handler attempts that failed with a transient error and were retried.',
  labelNames: ['group', 'topic', 'code'] as const,
});
export const consumerLag = gauge({
  name: 'ledgerline_consumer_lag_messages',
  help: 'Messages between the consumer position and the partition high watermark, summed over partitions.',
  labelNames: ['group', 'topic'] as const,
});
export const eventsParked = counter({
  name: 'ledgerline_events_parked_total',
  help: 'Events parked for a person, by stable error code.',
  labelNames: ['group', 'code'] as const,
});
export const eventsReplayed = counter({
  name: 'ledgerline_events_replayed_total',
  help: 'Parked events replayed, by outcome (replayed, failed).',
  labelNames: ['group', 'outcome'] as const,
});
