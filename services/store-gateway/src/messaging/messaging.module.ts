import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { createKafka, createPool, databaseHealthCheck, ensureMessagingSchema, ensureTopics, type Kafka, OutboxRelay, OutboxWriter } from '@ledgerline/messaging';
import { HealthRegistry } from '@ledgerline/observability';
import { runMigrations } from '@ledgerline/persistence';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';
import { storeGatewayMigrations } from '../persistence/migrations';
import { gatewayTopics } from './topics';

/**
 * Owns the schema, the topics and the outbox relay: migrates before anything serves (module init, so jobs and
 * controllers find their tables), starts the relay, and stops it before the pool closes.
 */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  readonly kafka: Kafka;

  constructor(
    @Inject(CONFIG) private readonly config: StoreGatewayConfig,
    @Inject(POOL) private readonly pool: Pool,
    private readonly health: HealthRegistry,
  ) {
    this.kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'store-gateway' });
    this.relay = new OutboxRelay({ pool, kafka: this.kafka, schema: config.schema });
  }

  async onModuleInit(): Promise<void> {
    await ensureMessagingSchema(this.pool, this.config.schema);
    await runMigrations(this.pool, this.config.schema, storeGatewayMigrations);
    this.health.add(databaseHealthCheck(this.pool));
    const t = gatewayTopics(this.config);
    await ensureTopics(this.kafka, [
      { topic: t.orders, numPartitions: 3 },
      { topic: t.customers, numPartitions: 3 },
      { topic: t.products, numPartitions: 3 },
      { topic: t.stockReports, numPartitions: 3 },
      { topic: t.stockRequests, numPartitions: 3 },
    ]);
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.pool.end();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(config: StoreGatewayConfig): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: POOL, useFactory: () => createPool({ connectionString: config.databaseUrl, service: 'store-gateway' }) },
        { provide: OutboxWriter, useFactory: () => new OutboxWriter(config.schema) },
        MessagingLifecycle,
      ],
      exports: [CONFIG, POOL, OutboxWriter, MessagingLifecycle],
    };
  }
}
