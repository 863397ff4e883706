import { loadSandboxFortnoxConfig } from './sandbox-fortnox.config';

describe('loadSandboxFortnoxConfig', () => {
  it('defaults to port 8082 and Fortnox\'s limits', () => {
    expect(loadSandboxFortnoxConfig({})).toEqual({
      port: 8082,
      host: '127.0.0.1',
      clientId: 'sandbox-fortnox-client',
      clientSecret: 'sandbox-fortnox-secret',
      rateLimitRequests: 25,
      rateLimitWindowMs: 5000,
      accessTokenTtlSeconds: 3600,
    });
  });

  it('reads every setting from its variable', () => {
    const config = loadSandboxFortnoxConfig({ SANDBOX_FORTNOX_PORT: '9000', SANDBOX_FORTNOX_RATE_LIMIT_REQUESTS: '5', SANDBOX_FORTNOX_ACCESS_TOKEN_TTL_SECONDS: '60' });
    expect(config).toMatchObject({ port: 9000, rateLimitRequests: 5, accessTokenTtlSeconds: 60 });
  });

  it('lists every invalid setting in one error and redacts the secret', () => {
    expect(() =>
      loadSandboxFortnoxConfig({ SANDBOX_FORTNOX_PORT: '70000', SANDBOX_FORTNOX_RATE_LIMIT_WINDOW_MS: '0', SANDBOX_FORTNOX_CLIENT_SECRET: 'has space' }),
    ).toThrow(
      [
        'sandbox-fortnox cannot start; fix these settings (environment variables):',
        '- SANDBOX_FORTNOX_PORT="70000" is invalid (HTTP port of the sandbox); expected an integer 0-65535.',
        '- SANDBOX_FORTNOX_CLIENT_SECRET=<redacted> is invalid (client secret the OAuth endpoints accept); expected a non-empty string without spaces.',
        '- SANDBOX_FORTNOX_RATE_LIMIT_WINDOW_MS="0" is invalid (sliding rate-limit window in milliseconds); expected an integer 1-3600000.',
      ].join('\n'),
    );
  });
});
