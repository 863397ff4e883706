import { loadStoreGatewayConfig } from './store-gateway.config';

describe('store-gateway config', () => {
  it('lists every invalid setting in one error, with the variable and the expected form, never echoing secrets', () => {
    expect(() => loadStoreGatewayConfig({ KAFKA_BROKERS: 'localhost', STORE_GATEWAY_SECRETS_KEY: 'c2hvcnQ=', STORE_GATEWAY_PUBLIC_URL: 'ftp://x' })).toThrow(
      [
        'store-gateway cannot start; fix these settings (environment variables, Helm values services.store-gateway.env):',
        '- DATABASE_URL is required (PostgreSQL connection URL); expected postgres://user:password@host:5432/database.',
        '- KAFKA_BROKERS="localhost" is invalid (Kafka bootstrap brokers); expected comma-separated host:port, like 127.0.0.1:9092.',
        '- STORE_GATEWAY_SECRETS_KEY=<redacted> is invalid (key that encrypts store API keys and webhook secrets at rest (AES-256-GCM)); expected 32 random bytes, base64-encoded (openssl rand -base64 32).',
        '- STORE_GATEWAY_ADMIN_TOKEN is required (bearer token required on the admin routes until the control plane owns them); expected at least 24 characters.',
        '- STORE_GATEWAY_PUBLIC_URL="ftp://x" is invalid (base URL WooCommerce delivers webhooks to); expected an absolute http(s) URL without query, like https://gateway.example.com.',
      ].join('\n'),
    );
  });

  it('applies defaults: 5 MB webhook bodies, 5-minute sweeps with a 5-minute overlap', () => {
    const config = loadStoreGatewayConfig({
      DATABASE_URL: 'postgres://u:p@h:5432/d',
      KAFKA_BROKERS: '127.0.0.1:9092',
      STORE_GATEWAY_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      STORE_GATEWAY_ADMIN_TOKEN: 'x'.repeat(24),
      STORE_GATEWAY_PUBLIC_URL: 'https://gw.example.com/',
    });
    expect(config).toMatchObject({ webhookMaxBodyBytes: 5_242_880, sweepIntervalMs: 300_000, sweepOverlapSeconds: 300, publicUrl: 'https://gw.example.com', topicSuffix: '', schema: 'store_gateway' });
    expect(config).toMatchObject({ stockWritesEnabled: true, stockPollMs: 200, stockPartsWaitMs: 30_000, skuIndexMaxAgeMs: 3_600_000 });
  });
});
