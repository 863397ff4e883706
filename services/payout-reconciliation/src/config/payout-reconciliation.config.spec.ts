import { loadPayoutReconciliationConfig } from './payout-reconciliation.config';

describe('payout-reconciliation config', () => {
  it('lists every invalid setting in one error, with the variable and expected form, and redacts secrets', () => {
    expect(() => loadPayoutReconciliationConfig({ KAFKA_BROKERS: 'localhost', PAYOUT_RECONCILIATION_ADMIN_TOKEN: 'short', PAYOUT_RECONCILIATION_SECRETS_KEY: 'c2hvcnQ=', PAYOUT_RECONCILIATION_REPORT_DIR: 'reports' })).toThrow(
      [
        'payout-reconciliation cannot start; fix these settings (environment variables, Helm values services.payout-reconciliation.env):',
        '- DATABASE_URL is required (PostgreSQL connection URL); expected postgres://user:password@host:5432/database.',
        '- KAFKA_BROKERS="localhost" is invalid (Kafka bootstrap brokers); expected comma-separated host:port, like 127.0.0.1:9092.',
        '- PAYOUT_RECONCILIATION_ADMIN_TOKEN=<redacted> is invalid (bearer token required on the admin routes until the control plane proxies them); expected at least 24 characters.',
        '- PAYOUT_RECONCILIATION_SECRETS_KEY=<redacted> is invalid (key that encrypts provider credentials at rest (AES-256-GCM)); expected 32 random bytes, base64-encoded (openssl rand -base64 32).',
        '- PAYOUT_RECONCILIATION_REPORT_DIR="reports" is invalid (directory scanned for report files); expected an absolute path, or "-" for none.',
      ].join('\n'),
    );
  });
});
