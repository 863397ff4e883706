import { loadSandboxWooCommerceConfig } from './sandbox-woocommerce.config';

describe('loadSandboxWooCommerceConfig', () => {
  it('applies the defaults', () => {
    expect(loadSandboxWooCommerceConfig({})).toEqual({
      port: 8081,
      host: '127.0.0.1',
      siteUrl: undefined,
      consumerKey: undefined,
      consumerSecret: undefined,
      seed: 1,
      currency: 'SEK',
      pricesIncludeTax: false,
      assumeHttps: false,
      rateLimit: null,
      webhookMaxDeliveryFailures: 5,
      webhookDelayMs: 0,
      utcOffsetMinutes: 60,
      generateProducts: 0,
      generateCustomers: 0,
      generateOrders: 0,
    });
  });

  it('reads every setting', () => {
    const config = loadSandboxWooCommerceConfig({
      SANDBOX_WOOCOMMERCE_PORT: '9090',
      SANDBOX_WOOCOMMERCE_SITE_URL: 'https://shop.local/',
      SANDBOX_WOOCOMMERCE_RATE_LIMIT: '120/60000',
      SANDBOX_WOOCOMMERCE_PRICES_INCLUDE_TAX: 'true',
      SANDBOX_WOOCOMMERCE_UTC_OFFSET_MINUTES: '-300',
    });
    expect(config).toMatchObject({ port: 9090, siteUrl: 'https://shop.local', rateLimit: { requestsPerWindow: 120, windowMs: 60000 }, pricesIncludeTax: true, utcOffsetMinutes: -300 });
  });

  it('lists every invalid setting in one error and keeps secrets out of it', () => {
    let message = '';
    try {
      loadSandboxWooCommerceConfig({ SANDBOX_WOOCOMMERCE_PORT: '99999', SANDBOX_WOOCOMMERCE_CURRENCY: 'euro', SANDBOX_WOOCOMMERCE_CONSUMER_SECRET: 'hunter2', SANDBOX_WOOCOMMERCE_RATE_LIMIT: 'lots' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'sandbox-woocommerce cannot start; fix these settings (environment variables):',
      '- SANDBOX_WOOCOMMERCE_PORT="99999" is invalid (HTTP port); expected an integer 0-65535.',
      '- SANDBOX_WOOCOMMERCE_CONSUMER_SECRET=<redacted> is invalid (REST API consumer secret; derived from the seed when unset); expected cs_ followed by letters or digits.',
      '- SANDBOX_WOOCOMMERCE_CURRENCY="euro" is invalid (store currency); expected an ISO 4217 code like SEK or EUR.',
      "- SANDBOX_WOOCOMMERCE_RATE_LIMIT=\"lots\" is invalid (a host's rate limit in front of the store; empty for none); expected requests/window in ms, like 120/60000.",
    ]);
  });
});
