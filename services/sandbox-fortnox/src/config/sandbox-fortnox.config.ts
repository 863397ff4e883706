/** Typed settings of the standalone sandbox process; the only place this service reads the environment (STYLE.md §6). */
export interface SandboxFortnoxConfig {
  port: number;
  host: string;
  clientId: string;
  clientSecret: string;
  rateLimitRequests: number;
  rateLimitWindowMs: number;
  accessTokenTtlSeconds: number;
}

interface Setting {
  env: string;
  description: string;
  default: string;
  secret?: boolean;
  expected: string;
  parse: (raw: string) => unknown;
}

const positiveInt = (max: number) => (raw: string) => (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= max ? Number(raw) : undefined);

/** Every setting with its variable, default and expected form; exported for the chart's values docs. */
export const sandboxFortnoxSettings: Record<keyof SandboxFortnoxConfig, Setting> = {
  port: {
    env: 'SANDBOX_FORTNOX_PORT',
    description: 'HTTP port of the sandbox',
    default: '8082',
    expected: 'an integer 0-65535',
    parse: (raw) => (/^\d+$/.test(raw) && Number(raw) < 65536 ? Number(raw) : undefined),
  },
  host: { env: 'SANDBOX_FORTNOX_HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: (raw) => (/^\S+$/.test(raw) ? raw : undefined) },
  clientId: { env: 'SANDBOX_FORTNOX_CLIENT_ID', description: 'client id the OAuth endpoints accept', default: 'sandbox-fortnox-client', expected: 'a non-empty string without ":" or spaces', parse: (raw) => (/^[^\s:]+$/.test(raw) ? raw : undefined) },
  clientSecret: { env: 'SANDBOX_FORTNOX_CLIENT_SECRET', description: 'client secret the OAuth endpoints accept', default: 'sandbox-fortnox-secret', secret: true, expected: 'a non-empty string without spaces', parse: (raw) => (/^\S+$/.test(raw) ? raw : undefined) },
  rateLimitRequests: { env: 'SANDBOX_FORTNOX_RATE_LIMIT_REQUESTS', description: 'requests per window per client and tenant', default: '25', expected: 'an integer 1-100000', parse: positiveInt(100_000) },
  rateLimitWindowMs: { env: 'SANDBOX_FORTNOX_RATE_LIMIT_WINDOW_MS', description: 'sliding rate-limit window in milliseconds', default: '5000', expected: 'an integer 1-3600000', parse: positiveInt(3_600_000) },
  accessTokenTtlSeconds: { env: 'SANDBOX_FORTNOX_ACCESS_TOKEN_TTL_SECONDS', description: 'access-token lifetime in seconds', default: '3600', expected: 'an integer 1-86400', parse: positiveInt(86_400) },
};

/**
 * Returns the validated config, or throws one error that lists every invalid setting with its expected
 * form and the variable that sets it, so a misconfigured sandbox fails at boot, never on first use.
 */
export function loadSandboxFortnoxConfig(env: NodeJS.ProcessEnv = process.env): SandboxFortnoxConfig {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(sandboxFortnoxSettings)) {
    const raw = env[s.env] === undefined || env[s.env] === '' ? s.default : (env[s.env] as string);
    const value = s.parse(raw);
    if (value === undefined) {
      problems.push(`${s.env}=${s.secret ? '<redacted>' : JSON.stringify(raw)} is invalid (${s.description}); expected ${s.expected}.`);
      continue;
    }
    out[key] = value;
  }
  if (problems.length > 0) {
    throw new Error(`sandbox-fortnox cannot start; fix these settings (environment variables):\n- ${problems.join('\n- ')}`);
  }
  return out as unknown as SandboxFortnoxConfig;
}
