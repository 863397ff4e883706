import 'reflect-metadata';
import { runMigrationsOnly } from '@ledgerline/messaging';
import { createLogger, exitOnShutdownSignal, startTracing } from '@ledgerline/observability';
import { createStoreGatewayApp } from './app.factory';
import { loadStoreGatewayConfig } from './config/store-gateway.config';
import { migrateStoreGatewaySchema } from './messaging/messaging.module';

const log = createLogger('store-gateway');

/**
 * Boots store-gateway: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT
 * (exitOnShutdownSignal: Nest hooks stop consumers and workers, drain the relay and close Kafka and the pool, then
 * tracing; exit 0). LEDGERLINE_MIGRATE_ONLY: migrate, then exit 0 without serving (the chart's migration Job).
 */
async function main(): Promise<void> {
  const config = loadStoreGatewayConfig();
  if (config.migrateOnly) {
    await runMigrationsOnly({ databaseUrl: config.databaseUrl, service: 'store-gateway', migrate: (pool) => migrateStoreGatewaySchema(pool, config) });
    return;
  }
  const tracing = startTracing({ serviceName: 'store-gateway' });
  const app = await createStoreGatewayApp(config);
  await app.listen(config.port, config.host);
  log.info(`store-gateway listening on http://${config.host}:${config.port}; webhooks at ${config.publicUrl}/webhooks/woocommerce/<storeId>`);
  exitOnShutdownSignal({ close: () => app.close(), tracing, log });
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
