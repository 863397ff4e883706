import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createLogger, startTracing } from '@ledgerline/observability';
import { AppModule } from './app.module';
import { loadConnectorFortnoxConfig } from './config/connector-fortnox.config';

const log = createLogger('connector-fortnox');

/** Boots the connector: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConnectorFortnoxConfig();
  const tracing = startTracing({ serviceName: 'connector-fortnox' });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  log.info(`connector-fortnox listening on http://${config.host}:${config.port}`);
  process.once('SIGTERM', () => void tracing.shutdown());
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
