import 'reflect-metadata';
import { runMigrationsOnly } from '@ledgerline/messaging';
import { createLogger, exitOnShutdownSignal, startTracing } from '@ledgerline/observability';
import { createPayoutReconciliationApp } from './app.factory';
import { loadPayoutReconciliationConfig } from './config/payout-reconciliation.config';
import { migratePayoutReconciliationSchema } from './messaging/messaging.module';

const log = createLogger('payout-reconciliation');

/**
 * Boots payout-reconciliation: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT
 * (exitOnShutdownSignal: Nest hooks stop consumers and workers, drain the relay and close Kafka and the pool, then
 * tracing; exit 0). LEDGERLINE_MIGRATE_ONLY: migrate, then exit 0 without serving (the chart's migration Job).
 */
async function main(): Promise<void> {
  const config = loadPayoutReconciliationConfig();
  if (config.migrateOnly) {
    await runMigrationsOnly({ databaseUrl: config.databaseUrl, service: 'payout-reconciliation', migrate: (pool) => migratePayoutReconciliationSchema(pool, config) });
    return;
  }
  const tracing = startTracing({ serviceName: 'payout-reconciliation' });
  const app = await createPayoutReconciliationApp(config);
  await app.listen(config.port, config.host);
  log.info(`payout-reconciliation listening on http://${config.host}:${config.port}`);
  exitOnShutdownSignal({ close: () => app.close(), tracing, log });
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
