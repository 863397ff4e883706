import 'reflect-metadata';
import { runMigrationsOnly } from '@ledgerline/messaging';
import { createLogger, exitOnShutdownSignal, startTracing } from '@ledgerline/observability';
import { createControlPlaneApp } from './app.factory';
import { loadControlPlaneConfig } from './config/control-plane.config';
import { migrateControlPlaneSchema } from './messaging/messaging.module';

const log = createLogger('control-plane');

/**
 * Boots the control plane: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT
 * (exitOnShutdownSignal: Nest hooks stop consumers and workers, drain the relay and close Kafka and the pool, then
 * tracing; exit 0). LEDGERLINE_MIGRATE_ONLY: migrate, then exit 0 without serving (the chart's migration Job).
 */
async function main(): Promise<void> {
  const config = loadControlPlaneConfig();
  if (config.migrateOnly) {
    await runMigrationsOnly({ databaseUrl: config.databaseUrl, service: 'control-plane', migrate: (pool) => migrateControlPlaneSchema(pool, config) });
    return;
  }
  const tracing = startTracing({ serviceName: 'control-plane' });
  const { app } = await createControlPlaneApp(config);
  await app.listen(config.port, config.host);
  log.info(`control-plane listening on http://${config.host}:${config.port}; console at ${config.publicUrl}/console/, API docs at ${config.publicUrl}/api/docs`);
  exitOnShutdownSignal({ close: () => app.close(), tracing, log });
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
