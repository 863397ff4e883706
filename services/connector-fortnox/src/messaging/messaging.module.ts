import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { Topics, withSuffix } from '@ledgerline/contracts';
import { ensureErpKitSchema } from '@ledgerline/erp-kit';
import { ConsumerRunner, createKafka, ensureMessagingSchema, ensureTopics, type Kafka } from '@ledgerline/messaging';
import { createLogger, HealthRegistry } from '@ledgerline/observability';
import { runMigrations } from '@ledgerline/persistence';
import type { ConnectorFortnoxConfig } from '../config/connector-fortnox.config';
import { CONFIG, POOL } from '../config/tokens';
import type { EventEnvelope, OrderCancelled, OrderPlaced, OrderRefunded } from '@ledgerline/contracts';
import { migrations } from '../persistence/migrations';
import { buildFortnoxComponents, type FortnoxComponents } from './components';

/** Injection token of the replica's {@link FortnoxComponents}. */
export const COMPONENTS = Symbol('FortnoxComponents');

/** The orders stream this connector consumes. */
export function ordersTopic(config: ConnectorFortnoxConfig): string {
  return config.topicSuffix ? withSuffix(Topics.storeOrders, config.topicSuffix) : Topics.storeOrders;
}

/** Owns schema, consumer and delivery worker: starts them after the schema exists, stops them before the pool closes. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runner: ConsumerRunner;
  private readonly kafka: Kafka;

  constructor(
    @Inject(CONFIG) private readonly config: ConnectorFortnoxConfig,
    @Inject(POOL) private readonly pool: Pool,
    @Inject(COMPONENTS) private readonly components: FortnoxComponents,
    private readonly health: HealthRegistry,
  ) {
    this.kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'connector-fortnox' });
    const handler = components.handler;
    this.runner = new ConsumerRunner({
      kafka: this.kafka,
      pool,
      schema: config.schema,
      groupId: config.topicSuffix ? `ledgerline.connector-fortnox.orders.${config.topicSuffix}` : 'ledgerline.connector-fortnox.orders',
      topic: ordersTopic(config),
      handlers: {
        'order.placed': (event, tx) => handler.handle(event as EventEnvelope<OrderPlaced>, tx),
        'order.refunded': (event, tx) => handler.handleRefund(event as EventEnvelope<OrderRefunded>, tx),
        'order.cancelled': (event, tx) => handler.handleCancel(event as EventEnvelope<OrderCancelled>, tx),
      },
      // order.updated before delivery does not change the intent yet (erp-kit: open() keeps the first payload).
      ignore: ['order.updated'],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await runMigrations(this.pool, this.config.schema, migrations);
    await ensureMessagingSchema(this.pool, this.config.schema);
    await ensureErpKitSchema(this.pool, this.config.schema);
    this.health.add({ name: 'database', check: async () => void (await this.pool.query('SELECT 1')) });
    this.health.add(this.runner.healthCheck());
    await ensureTopics(this.kafka, [{ topic: ordersTopic(this.config), numPartitions: 3 }]);
    await this.runner.start();
    if (this.config.workerEnabled) this.components.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // Stop consuming and delivering first, then close connections.
    await this.runner.stop();
    await this.components.worker.stop();
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
        {
          provide: POOL,
          useFactory: () => {
            const pool = new Pool({ connectionString: config.databaseUrl, max: 10 });
            // An idle connection the server closed must not crash the process; the next query reconnects.
            pool.on('error', (err) => createLogger('connector-fortnox').warn({ err }, 'idle database connection failed'));
            return pool;
          },
        },
        { provide: COMPONENTS, inject: [POOL], useFactory: (pool: Pool) => buildFortnoxComponents(config, pool) },
        MessagingLifecycle,
      ],
      exports: [CONFIG, POOL, COMPONENTS, MessagingLifecycle],
    };
  }
}
