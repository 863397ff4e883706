import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { consumerGroup, deploymentTopic, Topics } from '@ledgerline/contracts';
import { ConsumerRunner, createKafka, createPool, databaseHealthCheck, ensureMessagingSchema, ensureTopics, type Kafka, OutboxRelay, OutboxWriter } from '@ledgerline/messaging';
import { kafkaConnectionOptions } from '@ledgerline/config';
import { HealthRegistry } from '@ledgerline/observability';
import type { PipelineDemoConfig } from '../config/pipeline-demo.config';
import { CONFIG, POOL } from '../config/tokens';
import { OrderReceivedHandler } from '../orders/order-received.handler';

/** Creates this demo's tables; run at boot and, alone, under LEDGERLINE_MIGRATE_ONLY. */
export async function migratePipelineDemoSchema(pool: Pool, config: PipelineDemoConfig): Promise<void> {
  await ensureMessagingSchema(pool, config.schema);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${config.schema}.received_orders (
    event_id uuid PRIMARY KEY, order_key text NOT NULL, order_number text NOT NULL, total text NOT NULL,
    currency text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`);
}

/** The orders stream this demo writes and reads. */
export function ordersTopic(config: PipelineDemoConfig): string {
  return deploymentTopic(Topics.storeOrders, config.topicSuffix);
}

/** Owns the relay and the consumer: starts them after the schema exists, stops them before the pool closes. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  readonly runner: ConsumerRunner;
  private readonly kafka: Kafka;

  constructor(
    @Inject(CONFIG) private readonly config: PipelineDemoConfig,
    @Inject(POOL) private readonly pool: Pool,
    handler: OrderReceivedHandler,
    private readonly health: HealthRegistry,
  ) {
    const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'pipeline-demo', ...kafkaConnectionOptions(config) });
    this.kafka = kafka;
    this.relay = new OutboxRelay({ pool, kafka, schema: config.schema });
    this.runner = new ConsumerRunner({
      kafka,
      pool,
      schema: config.schema,
      groupId: consumerGroup('pipeline-demo', 'orders', config.topicSuffix),
      topic: ordersTopic(config),
      handlers: { 'order.placed': (event, tx) => handler.handle(event, tx) },
      ignore: ['order.updated', 'order.refunded', 'order.cancelled'],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await migratePipelineDemoSchema(this.pool, this.config);
    this.health.add(databaseHealthCheck(this.pool));
    this.health.add(this.runner.healthCheck());
    await ensureTopics(this.kafka, [{ topic: ordersTopic(this.config), numPartitions: this.config.kafkaTopicPartitions }]);
    await this.relay.start();
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // Stop consuming first, then flush the relay, then close connections.
    await this.runner.stop();
    await this.relay.stop();
    await this.pool.end();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(config: PipelineDemoConfig): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: POOL, useFactory: () => createPool({ connectionString: config.databaseUrl, service: 'pipeline-demo' }) },
        { provide: OutboxWriter, useFactory: () => new OutboxWriter(config.schema) },
        OrderReceivedHandler,
        MessagingLifecycle,
      ],
      exports: [CONFIG, POOL, OutboxWriter, MessagingLifecycle],
    };
  }
}
