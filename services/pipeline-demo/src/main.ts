import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runMigrationsOnly } from '@ledgerline/messaging';
import { createLogger, exitOnShutdownSignal, startTracing } from '@ledgerline/observability';
import { AppModule } from './app.module';
import { loadPipelineDemoConfig } from './config/pipeline-demo.config';
import { migratePipelineDemoSchema } from './messaging/messaging.module';
import { DemoOrdersController } from './orders/demo-orders.controller';

const log = createLogger('pipeline-demo');

/**
 * Boots the demo: config check, tracing, Nest app, demo orders, graceful shutdown on SIGTERM/SIGINT
 * (exitOnShutdownSignal: Nest hooks stop consumers and workers, drain the relay and close Kafka and the pool, then
 * tracing; exit 0). LEDGERLINE_MIGRATE_ONLY: migrate, then exit 0 without serving (the chart's migration Job).
 */
async function main(): Promise<void> {
  const config = loadPipelineDemoConfig();
  if (config.migrateOnly) {
    await runMigrationsOnly({ databaseUrl: config.databaseUrl, service: 'pipeline-demo', migrate: (pool) => migratePipelineDemoSchema(pool, config) });
    return;
  }
  const tracing = startTracing({ serviceName: 'pipeline-demo' });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const url = `http://${config.host}:${config.port}`;
  log.info(`pipeline-demo listening on ${url} (health ${url}/health/ready, metrics ${url}/metrics)`);
  exitOnShutdownSignal({ close: () => app.close(), tracing, log });

  const orders = app.get(DemoOrdersController);
  for (let i = 0; i < config.demoOrders; i++) {
    const { eventId, orderKey } = await orders.placeOrder(String(1000 + i));
    log.info({ eventId }, `outbox: order.placed for ${orderKey} appended in a committed transaction`);
    void follow(orders, eventId);
  }
}

/** Logs when the relay published the event and when the consumer's inbox processed it. */
async function follow(orders: DemoOrdersController, eventId: string): Promise<void> {
  const started = Date.now();
  let published = false;
  while (Date.now() - started < 60_000) {
    const j = await orders.journey(eventId);
    if (!published && j.publishedAt) {
      published = true;
      log.info({ eventId }, `kafka: Kafka acknowledged ${eventId}; the relay marked it sent at ${j.publishedAt}`);
    }
    if (j.processedAt) {
      log.info({ eventId }, `inbox: processed ${eventId} at ${j.processedAt} (${Date.now() - started} ms after the append)`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  log.error({ eventId }, `event ${eventId} was not processed within 60 s: see GET /demo/orders/${eventId} and the parked events`);
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
