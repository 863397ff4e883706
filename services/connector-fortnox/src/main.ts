import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runMigrationsOnly } from '@ledgerline/messaging';
import { createLogger, exitOnShutdownSignal, startTracing } from '@ledgerline/observability';
import { AppModule } from './app.module';
import { loadConnectorFortnoxConfig } from './config/connector-fortnox.config';
import { migrateConnectorFortnoxSchema } from './messaging/messaging.module';

const log = createLogger('connector-fortnox');

/**
 * Boots the connector: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT
 * (exitOnShutdownSignal: Nest hooks stop consumers and workers, drain the relay and close Kafka and the pool, then
 * tracing; exit 0). LEDGERLINE_MIGRATE_ONLY: migrate, then exit 0 without serving (the chart's migration Job).
 */
async function main(): Promise<void> {
  const config = loadConnectorFortnoxConfig();
  if (config.migrateOnly) {
    await runMigrationsOnly({ databaseUrl: config.databaseUrl, service: 'connector-fortnox', migrate: (pool) => migrateConnectorFortnoxSchema(pool, config) });
    return;
  }
  const tracing = startTracing({ serviceName: 'connector-fortnox' });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  log.info(`connector-fortnox listening on http://${config.host}:${config.port}`);
  exitOnShutdownSignal({ close: () => app.close(), tracing, log });
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
