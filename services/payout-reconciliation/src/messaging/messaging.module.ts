import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { consumerGroup, type ErpDocumentRecorded, type EventEnvelope, type OrderPlaced, type OrderRefunded, type OrderUpdated } from '@ledgerline/contracts';
import { ConsumerRunner, createKafka, createPool, databaseHealthCheck, ensureMessagingSchema, ensureTopics, type Kafka, OutboxRelay } from '@ledgerline/messaging';
import { kafkaConnectionOptions } from '@ledgerline/config';
import { createLogger, HealthRegistry } from '@ledgerline/observability';
import { runMigrations } from '@ledgerline/persistence';
import type { PayoutReconciliationConfig } from '../config/payout-reconciliation.config';
import { COMPONENTS, CONFIG, POOL } from '../config/tokens';
import { migrations } from '../persistence/migrations';
import { buildComponents, payoutTopics, type PayoutComponents } from './components';

const SERVICE = 'payout-reconciliation';

/** Creates or upgrades this service's tables; run at boot and, alone, under LEDGERLINE_MIGRATE_ONLY. */
export async function migratePayoutReconciliationSchema(pool: Pool, config: PayoutReconciliationConfig): Promise<void> {
  await ensureMessagingSchema(pool, config.schema);
  await runMigrations(pool, config.schema, migrations);
}

/**
 * Owns schema, consumers, relay and background jobs: migrates before anything serves, starts consuming the order and
 * ERP document streams, and stops everything before the pool closes.
 */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  readonly orders: ConsumerRunner;
  readonly documents: ConsumerRunner;
  private readonly kafka: Kafka;
  private readonly log = createLogger(SERVICE);
  private pollTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: PayoutReconciliationConfig,
    @Inject(POOL) private readonly pool: Pool,
    @Inject(COMPONENTS) private readonly components: PayoutComponents,
    private readonly health: HealthRegistry,
  ) {
    this.kafka = createKafka({ brokers: config.kafkaBrokers, clientId: SERVICE, ...kafkaConnectionOptions(config) });
    this.relay = new OutboxRelay({ pool, kafka: this.kafka, schema: config.schema });
    const t = payoutTopics(config);
    const sources = components.sources;
    this.orders = new ConsumerRunner({
      kafka: this.kafka,
      pool,
      schema: config.schema,
      groupId: consumerGroup(SERVICE, 'orders', config.topicSuffix),
      topic: t.orders,
      handlers: {
        'order.placed': (event, tx) => sources.orderPlacedOrUpdated(event as EventEnvelope<OrderPlaced>, tx),
        'order.updated': (event, tx) => sources.orderPlacedOrUpdated(event as EventEnvelope<OrderUpdated>, tx),
        'order.refunded': (event, tx) => sources.orderRefunded(event as EventEnvelope<OrderRefunded>, tx),
      },
      // A cancelled order is never settled; if a provider settles it anyway, the line waits as an exception.
      ignore: ['order.cancelled'],
    });
    this.documents = new ConsumerRunner({
      kafka: this.kafka,
      pool,
      schema: config.schema,
      groupId: consumerGroup(SERVICE, 'erp-documents', config.topicSuffix),
      topic: t.erpDocuments,
      handlers: { 'erp-document.recorded': (event, tx) => sources.erpDocumentRecorded(event as EventEnvelope<ErpDocumentRecorded>, tx) },
    });
  }

  async onModuleInit(): Promise<void> {
    await migratePayoutReconciliationSchema(this.pool, this.config);
    this.health.add(databaseHealthCheck(this.pool));
    this.health.add(this.orders.healthCheck());
    this.health.add(this.documents.healthCheck());
    const t = payoutTopics(this.config);
    await ensureTopics(
      this.kafka,
      [t.orders, t.erpDocuments, t.bookings].map((topic) => ({ topic, numPartitions: this.config.kafkaTopicPartitions })),
    );
    await this.relay.start();
    await this.orders.start();
    await this.documents.start();
    this.components.worker.start();
    this.components.directory.start();
    if (this.config.pollIntervalMs > 0) {
      const tick = async () => {
        for (const provider of ['stripe', 'klarna']) await this.components.ingest.poll(provider).catch((err: Error) => this.log.error({ err }, `poll of ${provider} failed: ${err.message}`));
        this.pollTimer = setTimeout(() => void tick(), this.config.pollIntervalMs);
      };
      this.pollTimer = setTimeout(() => void tick(), this.config.pollIntervalMs);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.components.directory.stop();
    await this.orders.stop();
    await this.documents.stop();
    await this.components.worker.stop();
    await this.relay.stop();
    await this.pool.end();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(config: PayoutReconciliationConfig): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: POOL, useFactory: () => createPool({ connectionString: config.databaseUrl, service: SERVICE }) },
        { provide: COMPONENTS, inject: [POOL], useFactory: (pool: Pool) => buildComponents(config, pool) },
        MessagingLifecycle,
      ],
      exports: [CONFIG, POOL, COMPONENTS, MessagingLifecycle],
    };
  }
}
