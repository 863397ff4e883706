import 'reflect-metadata';
import { createLogger, startTracing } from '@ledgerline/observability';
import { createStoreGatewayApp } from './app.factory';
import { loadStoreGatewayConfig } from './config/store-gateway.config';

const log = createLogger('store-gateway');

/** Boots store-gateway: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadStoreGatewayConfig();
  const tracing = startTracing({ serviceName: 'store-gateway' });
  const app = await createStoreGatewayApp(config);
  await app.listen(config.port, config.host);
  log.info(`store-gateway listening on http://${config.host}:${config.port}; webhooks at ${config.publicUrl}/webhooks/woocommerce/<storeId>`);
  process.once('SIGTERM', () => void tracing.shutdown());
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
