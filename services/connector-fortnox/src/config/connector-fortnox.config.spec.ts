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
});
