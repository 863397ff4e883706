import 'reflect-metadata';
import { createLogger } from '@ledgerline/observability';
import { loadSandboxFortnoxConfig } from './config/sandbox-fortnox.config';
import { bootFortnoxSandbox } from './fortnox-sandbox';

const log = createLogger('sandbox-fortnox');

/** Runs the sandbox as its own process: config check, server, graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadSandboxFortnoxConfig();
  const sandbox = await bootFortnoxSandbox(
    {
      port: config.port,
      host: config.host,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      rateLimit: { requests: config.rateLimitRequests, windowMs: config.rateLimitWindowMs },
      accessTokenTtlMs: config.accessTokenTtlSeconds * 1000,
    },
    { observability: true },
  );
  log.info(
    { clientId: sandbox.clientId },
    `sandbox-fortnox listening on ${sandbox.url}: create a company with POST ${sandbox.url}/__sandbox/tenants, ` +
      `then exchange its authorizationCode at POST ${sandbox.url}/oauth-v1/token (health ${sandbox.url}/health/ready)`,
  );
  const stop = (signal: string) => {
    log.info(`sandbox-fortnox stopping on ${signal}`);
    sandbox.close().then(
      () => process.exit(0),
      (err: Error) => {
        log.error({ err }, err.message);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
