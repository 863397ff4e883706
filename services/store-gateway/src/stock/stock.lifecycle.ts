import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { consumerGroup, type EventEnvelope, type StoreStockRequested } from '@ledgerline/contracts';
import { ConsumerRunner } from '@ledgerline/messaging';
import { HealthRegistry } from '@ledgerline/observability';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';
import { MessagingLifecycle } from '../messaging/messaging.module';
import { gatewayTopics } from '../messaging/topics';
import { StockRequestHandler } from './stock-request.handler';
import { StockWriteWorker } from './stock-write.worker';

/** Starts the `store-stock.requested` consumer and the stock write worker after the schema exists; stops both first on shutdown. */
@Injectable()
export class StockLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runner: ConsumerRunner;

  constructor(
    @Inject(CONFIG) private readonly config: StoreGatewayConfig,
    @Inject(POOL) pool: Pool,
    messaging: MessagingLifecycle,
    handler: StockRequestHandler,
    private readonly worker: StockWriteWorker,
    private readonly health: HealthRegistry,
  ) {
    this.runner = new ConsumerRunner({
      kafka: messaging.kafka,
      pool,
      schema: config.schema,
      groupId: consumerGroup('store-gateway', 'store-stock', config.topicSuffix),
      topic: gatewayTopics(config).stockRequests,
      handlers: { 'store-stock.requested': (event, tx) => handler.handle(event as EventEnvelope<StoreStockRequested>, tx) },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.stockWritesEnabled) return;
    this.health.add(this.runner.healthCheck());
    await this.runner.start();
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.config.stockWritesEnabled) return;
    await this.runner.stop();
    await this.worker.stop();
  }
}
