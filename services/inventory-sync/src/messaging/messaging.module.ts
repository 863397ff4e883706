import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  consumerGroup,
  type ErpDocumentRecorded,
  type EventEnvelope,
  type OrderCancelled,
  type OrderPlaced,
  type OrderRefunded,
  type OrderUpdated,
  type StockLevelChanged,
  type StoreStockApplied,
} from '@ledgerline/contracts';
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
} from '@ledgerline/messaging';
import { kafkaConnectionOptions } from '@ledgerline/config';
import { HealthRegistry } from '@ledgerline/observability';
import { runMigrations } from '@ledgerline/persistence';
import type { InventorySyncConfig } from '../config/inventory-sync.config';
import { CONFIG, POOL } from '../config/tokens';
import { setUnknownSkuSource } from '../metrics';
import { inventorySyncMigrations } from '../persistence/migrations';
import { buildInventoryComponents, COMPONENTS, type InventoryComponents } from './components';
import { inventoryTopics } from './topics';

const SERVICE = 'inventory-sync';

/** Creates or upgrades this service's tables; run at boot and, alone, under LEDGERLINE_MIGRATE_ONLY. */
export async function migrateInventorySyncSchema(pool: Pool, config: InventorySyncConfig): Promise<void> {
  await ensureMessagingSchema(pool, config.schema);
  await runMigrations(pool, config.schema, inventorySyncMigrations);
  // Created even with INVENTORY_SYNC_CONTROL_CONFIG=off: the flush loop and reconciliations read it (and then ignore it).
  await ensureControlConfigSchema(pool, config.schema);
}

/**
 * Owns schema, topics, consumers, relay, flush loop and reconciliation schedule: migrates before anything serves, starts
 * consuming once the relay runs, and on shutdown stops consuming and flushing before the relay and the pool.
 */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  readonly runners: ConsumerRunner[];
  /**
   * Materialises the control plane's `store` records (group `ledgerline.inventory-sync.control-config`); one of
   * {@link runners}. Null when INVENTORY_SYNC_CONTROL_CONFIG=off.
   */
  readonly configRunner: ConsumerRunner | null;
  private readonly kafka: Kafka;

  constructor(
    @Inject(CONFIG) private readonly config: InventorySyncConfig,
    @Inject(POOL) private readonly pool: Pool,
    @Inject(COMPONENTS) private readonly components: InventoryComponents,
    private readonly health: HealthRegistry,
  ) {
    this.kafka = createKafka({ brokers: config.kafkaBrokers, clientId: SERVICE, ...kafkaConnectionOptions(config) });
    this.relay = new OutboxRelay({ pool, kafka: this.kafka, schema: config.schema });
    const t = inventoryTopics(config);
    const runner = (stream: string, topic: string, handlers: ConstructorParameters<typeof ConsumerRunner>[0]['handlers']) =>
      new ConsumerRunner({ kafka: this.kafka, pool, schema: config.schema, groupId: consumerGroup(SERVICE, stream, config.topicSuffix), topic, handlers });
    const { levels, orders, reports } = components;
    this.runners = [
      runner('stock-levels', t.stockLevels, { 'stock-level.changed': (e, tx) => levels.handle(e as EventEnvelope<StockLevelChanged>, tx) }),
      runner('orders', t.orders, {
        'order.placed': (e, tx) => orders.handleOrder(e as EventEnvelope<OrderPlaced>, tx),
        'order.updated': (e, tx) => orders.handleOrder(e as EventEnvelope<OrderUpdated>, tx),
        'order.cancelled': (e, tx) => orders.handleCancelled(e as EventEnvelope<OrderCancelled>, tx),
        'order.refunded': (e, tx) => orders.handleRefunded(e as EventEnvelope<OrderRefunded>, tx),
      }),
      runner('documents', t.documents, { 'erp-document.recorded': (e, tx) => orders.handleDocument(e as EventEnvelope<ErpDocumentRecorded>, tx) }),
      runner('stock-reports', t.stockReports, { 'store-stock.applied': (e, tx) => reports.handle(e as EventEnvelope<StoreStockApplied>, tx) }),
    ];
    this.configRunner = config.controlConfigEnabled
      ? controlConfigRunner({ kafka: this.kafka, pool, schema: config.schema, service: SERVICE, topicSuffix: config.topicSuffix, materialiser: components.config })
      : null;
    // Listed with the others: health, parked-event replay and shutdown treat it like any consumer.
    if (this.configRunner) this.runners.push(this.configRunner);
  }

  /** The consumer of one stream (`stock-levels`, `orders`, `documents`, `stock-reports`), for replaying parked events. */
  runner(stream: 'stock-levels' | 'orders' | 'documents' | 'stock-reports' | 'control-config'): ConsumerRunner {
    const found = this.runners.find((r) => r.groupId === consumerGroup(SERVICE, stream, this.config.topicSuffix));
    if (!found) throw new Error(`inventory-sync has no consumer for stream ${stream}`);
    return found;
  }

  async onModuleInit(): Promise<void> {
    await migrateInventorySyncSchema(this.pool, this.config);
    this.health.add(databaseHealthCheck(this.pool));
    const t = inventoryTopics(this.config);
    await ensureTopics(
      this.kafka,
      [t.stockLevels, t.orders, t.documents, t.stockReports, t.storeStock].map((topic) => ({ topic, numPartitions: this.config.kafkaTopicPartitions })),
    );
    // Created here too, compacted as the control plane creates it, in case this service starts first.
    if (this.configRunner) await ensureTopics(this.kafka, [controlConfigTopicSpec(this.config.topicSuffix, this.config.kafkaTopicPartitions)]);
    const s = this.config.schema;
    setUnknownSkuSource(async () => Number((await this.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${s}".unknown_erp_skus`)).rows[0]?.n ?? 0));
    await this.relay.start();
    for (const r of this.runners) {
      this.health.add(r.healthCheck());
      await r.start();
    }
    this.components.flush.start();
    this.components.reconciliationJob.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.components.reconciliationJob.stop();
    await this.components.flush.stop();
    await this.relay.stop();
    await this.pool.end();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(config: InventorySyncConfig): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: POOL, useFactory: () => createPool({ connectionString: config.databaseUrl, service: SERVICE, max: 12 }) },
        { provide: COMPONENTS, inject: [POOL], useFactory: (pool: Pool) => buildInventoryComponents(config, pool) },
        MessagingLifecycle,
      ],
      exports: [CONFIG, POOL, COMPONENTS, MessagingLifecycle],
    };
  }
}
