import 'reflect-metadata';
import { createLogger } from '@ledgerline/observability';
import { loadSandboxPspConfig } from './config/sandbox-psp.config';
import { PspSandbox } from './psp-sandbox';

const log = createLogger('sandbox-psp');

/** Runs the sandbox as its own process: config check, server, graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadSandboxPspConfig();
  const psp = await PspSandbox.start({
    port: config.port,
    host: config.host,
    rateLimits: { stripe: config.stripeRateLimit, klarna: config.klarnaRateLimit, adyen: config.adyenRateLimit },
    adyenCompanyAccount: config.adyenCompanyAccount,
    observability: true,
  });
  if (config.adyenNotifyUrl) psp.adyen.notifyTo(config.adyenNotifyUrl);
  log.info(
    { stripe: psp.stripe.url, klarna: psp.klarna.url, adyen: psp.adyen.url },
    `sandbox-psp listening on ${psp.url}: capture with POST ${psp.url}/__sandbox/<provider>/<merchantAccount>/capture, ` +
      `settle with POST ${psp.url}/__sandbox/<provider>/<merchantAccount>/settle-month, credentials at GET ${psp.url}/__sandbox/<provider>/credentials (health ${psp.url}/health/ready)`,
  );
  const stop = (signal: string) => {
    log.info(`sandbox-psp stopping on ${signal}`);
    psp.close().then(
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
