import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { consumerGroup, deploymentTopic, Topics } from '@ledgerline/contracts';
import { ensureErpKitSchema } from '@ledgerline/erp-kit';
import {
  ConsumerRunner,
  controlConfigRunner,
  controlConfigTopicSpec,
  createKafka,
  createPool,
  databaseHealthCheck,
  ensureControlConfigSchema,
  ensureMessagingSchema,
  ensureTopics,
  type Kafka,
  OutboxRelay,
  OutboxWriter,
} from '@ledgerline/messaging';
import { kafkaConnectionOptions } from '@ledgerline/config';
import { HealthRegistry } from '@ledgerline/observability';
import { runMigrations } from '@ledgerline/persistence';
import type { ConnectorFortnoxConfig } from '../config/connector-fortnox.config';
import { CONFIG, POOL } from '../config/tokens';
import type { EventEnvelope, OrderCancelled, OrderPlaced, OrderRefunded, PayoutBookingRequested } from '@ledgerline/contracts';
import { StockPollJob } from '../inventory/stock-poll.job';
import { migrations } from '../persistence/migrations';
import { buildFortnoxComponents, erpDocumentsTopic, type FortnoxComponents } from './components';

/** Creates or upgrades this service's tables; run at boot and, alone, under LEDGERLINE_MIGRATE_ONLY. */
export async function migrateConnectorFortnoxSchema(pool: Pool, config: ConnectorFortnoxConfig): Promise<void> {
  await runMigrations(pool, config.schema, migrations);
  await ensureMessagingSchema(pool, config.schema);
  await ensureErpKitSchema(pool, config.schema);
  await ensureControlConfigSchema(pool, config.schema);
}

/** Injection token of the replica's {@link FortnoxComponents}. */
export const COMPONENTS = Symbol('FortnoxComponents');

/** The orders stream this connector consumes. */
export function ordersTopic(config: ConnectorFortnoxConfig): string {
  return deploymentTopic(Topics.storeOrders, config.topicSuffix);
}

/** The payout bookings stream this connector consumes (payout-reconciliation → ERP connectors). */
export function payoutBookingsTopic(config: ConnectorFortnoxConfig): string {
  return deploymentTopic(Topics.payoutBookings, config.topicSuffix);
}

/** Injection token of the replica's {@link StockPollJob}. */
export const STOCK_POLL = Symbol('StockPollJob');

/** The stream `stock-level.changed` goes to. */
export function stockLevelsTopic(config: ConnectorFortnoxConfig): string {
  return deploymentTopic(Topics.erpStockLevels, config.topicSuffix);
}

/** Owns schema, consumer and delivery worker: starts them after the schema exists, stops them before the pool closes. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runner: ConsumerRunner;
  /** Consumes payout-booking.requested; a runner of its own, so a slow orders partition never holds payouts back. */
  readonly payoutRunner: ConsumerRunner;
  /**
   * Materialises the control plane's config topic (group `ledgerline.connector-fortnox.control-config`): the tenants'
   * Fortnox mappings. Null when CONNECTOR_FORTNOX_CONTROL_CONFIG=off.
   */
  readonly configRunner: ConsumerRunner | null;
  /** Publishes this service's outbox (stock-level.changed, erp-document.recorded). */
  readonly relay: OutboxRelay;
  private readonly kafka: Kafka;

  constructor(
    @Inject(CONFIG) private readonly config: ConnectorFortnoxConfig,
    @Inject(POOL) private readonly pool: Pool,
    @Inject(COMPONENTS) private readonly components: FortnoxComponents,
    private readonly health: HealthRegistry,
    @Inject(STOCK_POLL) private readonly stockPoll: StockPollJob,
  ) {
    this.kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'connector-fortnox', ...kafkaConnectionOptions(config) });
    this.relay = new OutboxRelay({ pool, kafka: this.kafka, schema: config.schema });
    const handler = components.handler;
    this.runner = new ConsumerRunner({
      kafka: this.kafka,
      pool,
      schema: config.schema,
      groupId: consumerGroup('connector-fortnox', 'orders', config.topicSuffix),
      topic: ordersTopic(config),
      handlers: {
        'order.placed': (event, tx) => handler.handle(event as EventEnvelope<OrderPlaced>, tx),
        'order.refunded': (event, tx) => handler.handleRefund(event as EventEnvelope<OrderRefunded>, tx),
        'order.cancelled': (event, tx) => handler.handleCancel(event as EventEnvelope<OrderCancelled>, tx),
      },
      // order.updated before delivery does not change the intent yet (erp-kit: open() keeps the first payload).
      ignore: ['order.updated'],
    });
    const payoutHandler = components.payoutHandler;
    this.payoutRunner = new ConsumerRunner({
      kafka: this.kafka,
      pool,
      schema: config.schema,
      groupId: consumerGroup('connector-fortnox', 'payout-bookings', config.topicSuffix),
      topic: payoutBookingsTopic(config),
      handlers: { 'payout-booking.requested': (event, tx) => payoutHandler.handle(event as EventEnvelope<PayoutBookingRequested>, tx) },
    });
    this.configRunner = config.controlConfigEnabled
      ? controlConfigRunner({ kafka: this.kafka, pool, schema: config.schema, service: 'connector-fortnox', topicSuffix: config.topicSuffix, materialiser: components.config })
      : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    await migrateConnectorFortnoxSchema(this.pool, this.config);
    this.health.add(databaseHealthCheck(this.pool));
    this.health.add(this.runner.healthCheck());
    this.health.add(this.payoutRunner.healthCheck());
    if (this.configRunner) this.health.add(this.configRunner.healthCheck());
    await ensureTopics(
      this.kafka,
      [ordersTopic(this.config), stockLevelsTopic(this.config), erpDocumentsTopic(this.config), payoutBookingsTopic(this.config)].map((topic) => ({
        topic,
        numPartitions: this.config.kafkaTopicPartitions,
      })),
    );
    // Created here too, compacted as the control plane creates it, in case this service starts first.
    if (this.configRunner) await ensureTopics(this.kafka, [controlConfigTopicSpec(this.config.topicSuffix, this.config.kafkaTopicPartitions)]);
    await this.relay.start();
    await this.runner.start();
    await this.payoutRunner.start();
    await this.configRunner?.start();
    if (this.config.workerEnabled) this.components.worker.start();
    this.stockPoll.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // Stop consuming and delivering first, then close connections.
    await this.runner.stop();
    await this.payoutRunner.stop();
    await this.configRunner?.stop();
    await this.components.worker.stop();
    await this.stockPoll.stop();
    // Then publish what committed, then close connections.
    await this.relay.stop();
    await this.pool.end();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(config: ConnectorFortnoxConfig): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: POOL, useFactory: () => createPool({ connectionString: config.databaseUrl, service: 'connector-fortnox' }) },
        { provide: COMPONENTS, inject: [POOL], useFactory: (pool: Pool) => buildFortnoxComponents(config, pool) },
        {
          provide: STOCK_POLL,
          inject: [POOL, COMPONENTS],
          useFactory: (pool: Pool, components: FortnoxComponents) =>
            new StockPollJob({ pool, client: components.client, store: components.store, outbox: new OutboxWriter(config.schema), topic: stockLevelsTopic(config), intervalMs: config.stockPollMs }),
        },
        MessagingLifecycle,
      ],
      exports: [CONFIG, POOL, COMPONENTS, STOCK_POLL, MessagingLifecycle],
    };
  }
}
