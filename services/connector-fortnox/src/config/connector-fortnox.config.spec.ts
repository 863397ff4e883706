import { loadConnectorFortnoxConfig } from './connector-fortnox.config';

describe('connector-fortnox config', () => {
  it('lists every invalid setting in one error, with the variable and expected form, and redacts secrets', () => {
    expect(() => loadConnectorFortnoxConfig({ KAFKA_BROKERS: 'localhost', FORTNOX_CLIENT_ID: 'c', FORTNOX_CLIENT_SECRET: 's', FORTNOX_TOKEN_KEY: 'k1:short', PORT: 'eighty' })).toThrow(
      [
        'connector-fortnox cannot start; fix these settings (environment variables):',
        '- DATABASE_URL is required (PostgreSQL connection URL); expected postgres://user:password@host:5432/database.',
        '- KAFKA_BROKERS="localhost" is invalid (Kafka bootstrap brokers); expected comma-separated host:port, like 127.0.0.1:9092.',
        '- PORT="eighty" is invalid (HTTP port); expected an integer 0-65535.',
        '- FORTNOX_TOKEN_KEY=<redacted> is invalid (key sealing Fortnox tokens at rest); expected <key id>:<base64 of 32 random bytes>, like k1:$(openssl rand -base64 32).',
      ].join('\n'),
    );
  });

  it('takes the payout voucher series from CONNECTOR_FORTNOX_PAYOUT_VOUCHER_SERIES (default A) and refuses one Fortnox cannot have', () => {
    const env = { DATABASE_URL: 'postgres://u:p@h:5432/d', KAFKA_BROKERS: '127.0.0.1:9092', FORTNOX_CLIENT_ID: 'c', FORTNOX_CLIENT_SECRET: 's', FORTNOX_TOKEN_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}` };
    expect(loadConnectorFortnoxConfig(env).payoutVoucherSeries).toBe('A');
    expect(loadConnectorFortnoxConfig({ ...env, CONNECTOR_FORTNOX_PAYOUT_VOUCHER_SERIES: 'P' }).payoutVoucherSeries).toBe('P');
    expect(() => loadConnectorFortnoxConfig({ ...env, CONNECTOR_FORTNOX_PAYOUT_VOUCHER_SERIES: 'payouts!' })).toThrow(
      '- CONNECTOR_FORTNOX_PAYOUT_VOUCHER_SERIES="payouts!" is invalid (Fortnox voucher series for payout vouchers (must exist in the company: /3/voucherseries)); expected a voucher series code of 1-10 upper-case letters or digits, like A or P.',
    );
  });

  it('materialises the control plane\'s config topic unless CONNECTOR_FORTNOX_CONTROL_CONFIG=off, and refuses other values', () => {
    const env = { DATABASE_URL: 'postgres://u:p@h:5432/d', KAFKA_BROKERS: '127.0.0.1:9092', FORTNOX_CLIENT_ID: 'c', FORTNOX_CLIENT_SECRET: 's', FORTNOX_TOKEN_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}` };
    expect(loadConnectorFortnoxConfig(env).controlConfigEnabled).toBe(true);
    expect(loadConnectorFortnoxConfig({ ...env, CONNECTOR_FORTNOX_CONTROL_CONFIG: 'off' }).controlConfigEnabled).toBe(false);
    expect(() => loadConnectorFortnoxConfig({ ...env, CONNECTOR_FORTNOX_CONTROL_CONFIG: 'yes' })).toThrow('- CONNECTOR_FORTNOX_CONTROL_CONFIG="yes" is invalid');
  });
});
