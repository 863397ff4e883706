import 'reflect-metadata';
import { createLogger, startTracing } from '@ledgerline/observability';
import { createPayoutReconciliationApp } from './app.factory';
import { loadPayoutReconciliationConfig } from './config/payout-reconciliation.config';

const log = createLogger('payout-reconciliation');

/** Boots payout-reconciliation: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadPayoutReconciliationConfig();
  const tracing = startTracing({ serviceName: 'payout-reconciliation' });
  const app = await createPayoutReconciliationApp(config);
  await app.listen(config.port, config.host);
  log.info(`payout-reconciliation listening on http://${config.host}:${config.port}`);
  process.once('SIGTERM', () => void tracing.shutdown());
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
