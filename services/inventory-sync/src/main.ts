import 'reflect-metadata';
import { createLogger, startTracing } from '@ledgerline/observability';
import { createInventorySyncApp } from './app.factory';
import { loadInventorySyncConfig } from './config/inventory-sync.config';

const log = createLogger('inventory-sync');

/** Boots inventory-sync: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadInventorySyncConfig();
  const tracing = startTracing({ serviceName: 'inventory-sync' });
  const app = await createInventorySyncApp(config);
  await app.listen(config.port, config.host);
  log.info(`inventory-sync listening on http://${config.host}:${config.port}`);
  process.once('SIGTERM', () => void tracing.shutdown());
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
