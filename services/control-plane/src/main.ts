import 'reflect-metadata';
import { createLogger, startTracing } from '@ledgerline/observability';
import { createControlPlaneApp } from './app.factory';
import { loadControlPlaneConfig } from './config/control-plane.config';

const log = createLogger('control-plane');

/** Boots the control plane: config check, tracing, Nest app, graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadControlPlaneConfig();
  const tracing = startTracing({ serviceName: 'control-plane' });
  const { app } = await createControlPlaneApp(config);
  await app.listen(config.port, config.host);
  log.info(`control-plane listening on http://${config.host}:${config.port}; console at ${config.publicUrl}/console/, API docs at ${config.publicUrl}/api/docs`);
  process.once('SIGTERM', () => void tracing.shutdown());
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
