import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createLogger, startTracing } from '@ledgerline/observability';
import { AppModule } from './app.module';
import { loadPipelineDemoConfig } from './config/pipeline-demo.config';
import { DemoOrdersController } from './orders/demo-orders.controller';

const log = createLogger('pipeline-demo');

/** Boots the demo: config check, tracing, Nest app, demo orders, graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadPipelineDemoConfig();
  const tracing = startTracing({ serviceName: 'pipeline-demo' });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const url = `http://${config.host}:${config.port}`;
  log.info(`pipeline-demo listening on ${url} (health ${url}/health/ready, metrics ${url}/metrics)`);

  const orders = app.get(DemoOrdersController);
  for (let i = 0; i < config.demoOrders; i++) {
    const { eventId, orderKey } = await orders.placeOrder(String(1000 + i));
    log.info({ eventId }, `outbox: order.placed for ${orderKey} appended in a committed transaction`);
    void follow(orders, eventId);
  }
  process.once('SIGTERM', () => void tracing.shutdown());
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
