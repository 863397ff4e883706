import { loadSettings, parse, type Settings } from '@ledgerline/config';
import type { RateLimit } from '../common/rate-limiter';

/** Typed settings of the standalone sandbox (`src/main.ts`); the only place this service reads the environment (STYLE.md §6). */
export interface SandboxPspConfig {
  port: number;
  host: string;
  stripeRateLimit: RateLimit | null;
  klarnaRateLimit: RateLimit | null;
  adyenRateLimit: RateLimit | null;
  adyenCompanyAccount: string;
  adyenNotifyUrl: string | null;
}

/** `requests/windowMs` like `25/1000`, or `off`. */
const rateLimit = (raw: string): RateLimit | null | undefined => {
  if (raw === 'off') return null;
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  return m && Number(m[1]) >= 1 && Number(m[2]) >= 1 ? { requestsPerWindow: Number(m[1]), windowMs: Number(m[2]) } : undefined;
};

/** Every setting with its variable, default and expected form; exported for the chart's values docs and the README. */
export const sandboxPspSettings: Settings<SandboxPspConfig> = {
  port: { env: 'SANDBOX_PSP_PORT', description: 'HTTP port of the sandbox (all three faces)', default: '8085', expected: 'an integer 0-65535', parse: parse.int(0, 65535) },
  host: { env: 'SANDBOX_PSP_HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: (raw) => (/^[\w.:-]+$/.test(raw) ? raw : undefined) },
  stripeRateLimit: {
    env: 'SANDBOX_PSP_STRIPE_RATE_LIMIT',
    description: 'requests per window on /stripe before 429 (Stripe test mode allows about 25 read requests a second)',
    default: '25/1000',
    expected: 'requests/windowMs like 25/1000, or off',
    parse: rateLimit,
  },
  klarnaRateLimit: { env: 'SANDBOX_PSP_KLARNA_RATE_LIMIT', description: 'requests per window on /klarna before 429 (Klarna publishes no figure; guessed)', default: '20/1000', expected: 'requests/windowMs like 20/1000, or off', parse: rateLimit },
  adyenRateLimit: { env: 'SANDBOX_PSP_ADYEN_RATE_LIMIT', description: 'requests per window on /adyen before 429 (guessed)', default: '10/1000', expected: 'requests/windowMs like 10/1000, or off', parse: rateLimit },
  adyenCompanyAccount: { env: 'SANDBOX_PSP_ADYEN_COMPANY_ACCOUNT', description: 'Adyen company account in the settlement details report', default: 'LedgerlineSandboxCo', expected: '1-80 letters, digits, "_", "." or "-"', parse: (raw) => (/^[A-Za-z0-9_.-]{1,80}$/.test(raw) ? raw : undefined) },
  adyenNotifyUrl: {
    env: 'SANDBOX_PSP_ADYEN_NOTIFY_URL',
    description: 'where REPORT_AVAILABLE notifications are POSTed; "none" sends none',
    default: 'none',
    expected: 'an http(s) URL, or none',
    parse: (raw) => (raw === 'none' ? null : parse.httpUrl(raw)),
  },
};

/** Returns the validated config, or throws one error listing every invalid setting, its expected form and its variable. */
export function loadSandboxPspConfig(env: NodeJS.ProcessEnv = process.env): SandboxPspConfig {
  return loadSettings('sandbox-psp', sandboxPspSettings, env);
}
