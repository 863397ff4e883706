import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { Topics, consumerGroup, deploymentTopic } from '@ledgerline/contracts';
import { ConsumerRunner, controlConfigTopicSpec, createKafka, createPool, databaseHealthCheck, ensureMessagingSchema, ensureTopics, OutboxRelay, OutboxWriter, type Kafka } from '@ledgerline/messaging';
import { kafkaConnectionOptions } from '@ledgerline/config';
import { HealthRegistry } from '@ledgerline/observability';
import { runMigrations } from '@ledgerline/persistence';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG, POOL } from '../config/tokens';
import { controlPlaneMigrations } from '../persistence/migrations';
import { TimelineHandler } from '../sync-log/timeline.handler';

/** Creates or upgrades this service's tables; run at boot and, alone, under LEDGERLINE_MIGRATE_ONLY. */
export async function migrateControlPlaneSchema(pool: Pool, config: ControlPlaneConfig): Promise<void> {
  await ensureMessagingSchema(pool, config.schema);
  await runMigrations(pool, config.schema, controlPlaneMigrations);
}

/** The streams the control plane reads and writes, with the deployment's suffix. */
export function controlPlaneTopics(config: ControlPlaneConfig) {
  return {
    orders: deploymentTopic(Topics.storeOrders, config.topicSuffix),
    documents: deploymentTopic(Topics.erpDocuments, config.topicSuffix),
    config: deploymentTopic(Topics.controlConfig, config.topicSuffix),
  };
}

/**
 * Owns the schema, the topics, the outbox relay and the timeline consumers: migrates before anything serves, creates
 * the compacted config topic, starts the relay and consumers, and stops them before the pool closes.
 */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  readonly runners: ConsumerRunner[];
  private readonly kafka: Kafka;

  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(POOL) private readonly pool: Pool,
    private readonly health: HealthRegistry,
    timeline: TimelineHandler,
  ) {
    this.kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'control-plane', ...kafkaConnectionOptions(config) });
    this.relay = new OutboxRelay({ pool, kafka: this.kafka, schema: config.schema });
    const t = controlPlaneTopics(config);
    this.runners = [
      new ConsumerRunner({
        kafka: this.kafka,
        pool,
        schema: config.schema,
        groupId: consumerGroup('control-plane', 'orders', config.topicSuffix),
        topic: t.orders,
        handlers: timeline.orderHandlers(t.orders),
      }),
      new ConsumerRunner({
        kafka: this.kafka,
        pool,
        schema: config.schema,
        groupId: consumerGroup('control-plane', 'erp-documents', config.topicSuffix),
        topic: t.documents,
        handlers: timeline.documentHandlers(t.documents),
      }),
    ];
  }

  /** The runner of a consumer group, for replaying its parked events. */
  runnerOf(groupId: string): ConsumerRunner | undefined {
    return this.runners.find((r) => r.groupId === groupId);
  }

  async onModuleInit(): Promise<void> {
    await migrateControlPlaneSchema(this.pool, this.config);
    this.health.add(databaseHealthCheck(this.pool));
    const t = controlPlaneTopics(this.config);
    await ensureTopics(this.kafka, [
      // Compacted: the latest record per tenant:kind:subject is kept forever (docs/adr/0006-configuration-distribution.md).
      controlConfigTopicSpec(this.config.topicSuffix, this.config.kafkaTopicPartitions),
      { topic: t.orders, numPartitions: this.config.kafkaTopicPartitions },
      { topic: t.documents, numPartitions: this.config.kafkaTopicPartitions },
    ]);
    await this.relay.start();
    for (const r of this.runners) {
      await r.start();
      this.health.add(r.healthCheck());
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const r of this.runners) await r.stop();
    await this.relay.stop();
    await this.pool.end();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(config: ControlPlaneConfig): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: POOL, useFactory: () => createPool({ connectionString: config.databaseUrl, service: 'control-plane' }) },
        { provide: OutboxWriter, useFactory: () => new OutboxWriter(config.schema) },
      ],
      exports: [CONFIG, POOL, OutboxWriter],
    };
  }
}
