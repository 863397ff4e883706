import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { createKafka, createPool, databaseHealthCheck, ensureMessagingSchema, ensureTopics, type Kafka, OutboxRelay, OutboxWriter } from '@ledgerline/messaging';
import { kafkaConnectionOptions } from '@ledgerline/config';
import { HealthRegistry } from '@ledgerline/observability';
import { runMigrations } from '@ledgerline/persistence';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';
import { storeGatewayMigrations } from '../persistence/migrations';
import { gatewayTopics } from './topics';

/** Creates or upgrades this service's tables; run at boot and, alone, under LEDGERLINE_MIGRATE_ONLY. */
export async function migrateStoreGatewaySchema(pool: Pool, config: StoreGatewayConfig): Promise<void> {
  await ensureMessagingSchema(pool, config.schema);
  await runMigrations(pool, config.schema, storeGatewayMigrations);
}

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
    this.kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'store-gateway', ...kafkaConnectionOptions(config) });
    this.relay = new OutboxRelay({ pool, kafka: this.kafka, schema: config.schema });
  }

  async onModuleInit(): Promise<void> {
    await migrateStoreGatewaySchema(this.pool, this.config);
    this.health.add(databaseHealthCheck(this.pool));
    const t = gatewayTopics(this.config);
    await ensureTopics(
      this.kafka,
      [t.orders, t.customers, t.products, t.stockReports, t.stockRequests].map((topic) => ({ topic, numPartitions: this.config.kafkaTopicPartitions })),
    );
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
