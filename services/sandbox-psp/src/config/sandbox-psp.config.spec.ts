import { loadSandboxPspConfig } from './sandbox-psp.config';

describe('loadSandboxPspConfig', () => {
  it('applies the defaults', () => {
    expect(loadSandboxPspConfig({})).toEqual({
      port: 8085,
      host: '127.0.0.1',
      stripeRateLimit: { requestsPerWindow: 25, windowMs: 1000 },
      klarnaRateLimit: { requestsPerWindow: 20, windowMs: 1000 },
      adyenRateLimit: { requestsPerWindow: 10, windowMs: 1000 },
      adyenCompanyAccount: 'LedgerlineSandboxCo',
      adyenNotifyUrl: null,
    });
  });

  it('reads rate limits, "off" and a notification URL', () => {
    const c = loadSandboxPspConfig({ SANDBOX_PSP_STRIPE_RATE_LIMIT: 'off', SANDBOX_PSP_KLARNA_RATE_LIMIT: '5/60000', SANDBOX_PSP_ADYEN_NOTIFY_URL: 'http://localhost:3000/adyen/' });
    expect(c.stripeRateLimit).toBeNull();
    expect(c.klarnaRateLimit).toEqual({ requestsPerWindow: 5, windowMs: 60000 });
    expect(c.adyenNotifyUrl).toBe('http://localhost:3000/adyen');
  });

  it('lists every invalid setting with its variable and expected form in one error', () => {
    expect(() => loadSandboxPspConfig({ SANDBOX_PSP_PORT: '70000', SANDBOX_PSP_ADYEN_RATE_LIMIT: 'fast' })).toThrow(
      /sandbox-psp cannot start[\s\S]*SANDBOX_PSP_PORT="70000" is invalid[\s\S]*an integer 0-65535[\s\S]*SANDBOX_PSP_ADYEN_RATE_LIMIT="fast" is invalid[\s\S]*requests\/windowMs/,
    );
  });
});
