import 'reflect-metadata';
import { runMigrationsOnly } from '@ledgerline/messaging';
import { createLogger, exitOnShutdownSignal, startTracing } from '@ledgerline/observability';
import { createInventorySyncApp } from './app.factory';
import { loadInventorySyncConfig } from './config/inventory-sync.config';
import { migrateInventorySyncSchema } from './messaging/messaging.module';

const log = createLogger('inventory-sync');

/**
 * Boots inventory-sync: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT
 * (exitOnShutdownSignal: Nest hooks stop consumers and workers, drain the relay and close Kafka and the pool, then
 * tracing; exit 0). LEDGERLINE_MIGRATE_ONLY: migrate, then exit 0 without serving (the chart's migration Job).
 */
async function main(): Promise<void> {
  const config = loadInventorySyncConfig();
  if (config.migrateOnly) {
    await runMigrationsOnly({ databaseUrl: config.databaseUrl, service: 'inventory-sync', migrate: (pool) => migrateInventorySyncSchema(pool, config) });
    return;
  }
  const tracing = startTracing({ serviceName: 'inventory-sync' });
  const app = await createInventorySyncApp(config);
  await app.listen(config.port, config.host);
  log.info(`inventory-sync listening on http://${config.host}:${config.port}`);
  exitOnShutdownSignal({ close: () => app.close(), tracing, log });
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
