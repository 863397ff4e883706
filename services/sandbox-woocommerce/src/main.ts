import 'reflect-metadata';
import { createLogger } from '@ledgerline/observability';
import { loadSandboxWooCommerceConfig } from './config/sandbox-woocommerce.config';
import { startWooSandbox } from './woo-sandbox';

const log = createLogger('sandbox-woocommerce');

/** Boots the standalone sandbox: config check, HTTP server, optional start-up data, graceful shutdown. */
async function main(): Promise<void> {
  const config = loadSandboxWooCommerceConfig();
  const sandbox = await startWooSandbox({
    port: config.port,
    host: config.host,
    siteUrl: config.siteUrl,
    consumerKey: config.consumerKey,
    consumerSecret: config.consumerSecret,
    seed: config.seed,
    currency: config.currency,
    pricesIncludeTax: config.pricesIncludeTax,
    assumeHttps: config.assumeHttps,
    rateLimit: config.rateLimit,
    webhookMaxDeliveryFailures: config.webhookMaxDeliveryFailures,
    webhookDelayMs: config.webhookDelayMs,
    utcOffsetMinutes: config.utcOffsetMinutes,
    logger: log,
    observability: true,
  });
  if (config.generateProducts > 0) sandbox.control.generateProducts(config.generateProducts);
  if (config.generateCustomers > 0) sandbox.control.generateCustomers(config.generateCustomers);
  if (config.generateOrders > 0) sandbox.control.generateOrders(config.generateOrders);
  log.info(
    { url: sandbox.url, listenUrl: sandbox.listenUrl, consumerKey: sandbox.consumerKey, orders: sandbox.state.orders.size, products: sandbox.state.products.size },
    `sandbox-woocommerce listening on ${sandbox.listenUrl}: REST ${sandbox.apiUrl}, control ${sandbox.url}/__sandbox, health ${sandbox.listenUrl}/health/ready`,
  );
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: Error) => {
  log.fatal({ err }, err.message);
  process.exit(1);
});
