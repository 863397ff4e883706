/**
 * Typed settings of the standalone sandbox (`src/main.ts`); the only place this service reads the
 * environment (STYLE.md §6). In-process users pass {@link WooSandboxOptions} instead.
 */
export interface SandboxWooCommerceConfig {
  port: number;
  host: string;
  siteUrl: string | undefined;
  consumerKey: string | undefined;
  consumerSecret: string | undefined;
  seed: number;
  currency: string;
  pricesIncludeTax: boolean;
  assumeHttps: boolean;
  rateLimit: { requestsPerWindow: number; windowMs: number } | null;
  webhookMaxDeliveryFailures: number;
  webhookDelayMs: number;
  utcOffsetMinutes: number;
  generateProducts: number;
  generateCustomers: number;
  generateOrders: number;
}

/** One documented setting, for the chart's values docs and the README. */
export interface SandboxWooCommerceSetting {
  env: string;
  description: string;
  default?: string;
  secret?: boolean;
  expected: string;
  parse: (raw: string) => unknown;
}

const wholeNumber = (max: number) => (raw: string) => (/^\d+$/.test(raw) && Number(raw) <= max ? Number(raw) : undefined);
const bool = (raw: string) => (/^(true|1|yes)$/i.test(raw) ? true : /^(false|0|no)$/i.test(raw) ? false : undefined);
const optional = (parse: (raw: string) => unknown) => (raw: string) => (raw === '' ? null : parse(raw));

/** Every setting, keyed by the config field it fills. */
export const sandboxWooCommerceSettings: Record<keyof SandboxWooCommerceConfig, SandboxWooCommerceSetting> = {
  port: { env: 'SANDBOX_WOOCOMMERCE_PORT', description: 'HTTP port', default: '8081', expected: 'an integer 0-65535', parse: wholeNumber(65535) },
  host: { env: 'SANDBOX_WOOCOMMERCE_HOST', description: 'HTTP bind address', default: '127.0.0.1', expected: 'an IP address or host name', parse: (raw) => (/^[\w.:-]+$/.test(raw) ? raw : undefined) },
  siteUrl: {
    env: 'SANDBOX_WOOCOMMERCE_SITE_URL',
    description: "the store's home_url() (links, webhook source, OAuth base string); defaults to http://<host>:<port>",
    default: '',
    expected: 'an http(s) origin without a path, like http://shop.local:8081',
    parse: optional((raw) => (/^https?:\/\/[^/]+\/?$/.test(raw) ? raw.replace(/\/$/, '') : undefined)),
  },
  consumerKey: { env: 'SANDBOX_WOOCOMMERCE_CONSUMER_KEY', description: 'REST API consumer key; derived from the seed when unset', default: '', expected: 'ck_ followed by letters or digits', parse: optional((raw) => (/^ck_\w+$/.test(raw) ? raw : undefined)) },
  consumerSecret: { env: 'SANDBOX_WOOCOMMERCE_CONSUMER_SECRET', description: 'REST API consumer secret; derived from the seed when unset', default: '', secret: true, expected: 'cs_ followed by letters or digits', parse: optional((raw) => (/^cs_\w+$/.test(raw) ? raw : undefined)) },
  seed: { env: 'SANDBOX_WOOCOMMERCE_SEED', description: 'seed for generated data, keys and rate-based faults', default: '1', expected: 'an integer 0-4294967295', parse: wholeNumber(4294967295) },
  currency: { env: 'SANDBOX_WOOCOMMERCE_CURRENCY', description: 'store currency', default: 'SEK', expected: 'an ISO 4217 code like SEK or EUR', parse: (raw) => (/^[A-Z]{3}$/.test(raw) ? raw : undefined) },
  pricesIncludeTax: { env: 'SANDBOX_WOOCOMMERCE_PRICES_INCLUDE_TAX', description: 'prices entered with tax', default: 'false', expected: 'true or false', parse: bool },
  assumeHttps: { env: 'SANDBOX_WOOCOMMERCE_ASSUME_HTTPS', description: 'act as a store behind a TLS-terminating proxy (HTTP Basic accepted)', default: 'false', expected: 'true or false', parse: bool },
  rateLimit: {
    env: 'SANDBOX_WOOCOMMERCE_RATE_LIMIT',
    description: "a host's rate limit in front of the store; empty for none",
    default: '',
    expected: 'requests/window in ms, like 120/60000',
    parse: optional((raw) => {
      const m = /^(\d+)\/(\d+)$/.exec(raw);
      return m && Number(m[1]) > 0 && Number(m[2]) > 0 ? { requestsPerWindow: Number(m[1]), windowMs: Number(m[2]) } : undefined;
    }),
  },
  webhookMaxDeliveryFailures: { env: 'SANDBOX_WOOCOMMERCE_WEBHOOK_MAX_DELIVERY_FAILURES', description: 'woocommerce_max_webhook_delivery_failures', default: '5', expected: 'an integer 0-1000', parse: wholeNumber(1000) },
  webhookDelayMs: { env: 'SANDBOX_WOOCOMMERCE_WEBHOOK_DELAY_MS', description: 'delay before queued webhook deliveries are sent', default: '0', expected: 'an integer 0-600000', parse: wholeNumber(600_000) },
  utcOffsetMinutes: {
    env: 'SANDBOX_WOOCOMMERCE_UTC_OFFSET_MINUTES',
    description: "the site time zone's fixed offset from UTC",
    default: '60',
    expected: 'an integer -840 to 840',
    parse: (raw) => (/^-?\d+$/.test(raw) && Math.abs(Number(raw)) <= 840 ? Number(raw) : undefined),
  },
  generateProducts: { env: 'SANDBOX_WOOCOMMERCE_GENERATE_PRODUCTS', description: 'SKUs generated at start-up', default: '0', expected: 'an integer 0-200000', parse: wholeNumber(200_000) },
  generateCustomers: { env: 'SANDBOX_WOOCOMMERCE_GENERATE_CUSTOMERS', description: 'customers generated at start-up', default: '0', expected: 'an integer 0-50000', parse: wholeNumber(50_000) },
  generateOrders: { env: 'SANDBOX_WOOCOMMERCE_GENERATE_ORDERS', description: 'orders generated at start-up', default: '0', expected: 'an integer 0-100000', parse: wholeNumber(100_000) },
};

/**
 * Returns the validated config, or throws one error listing every invalid setting with its
 * expected form and the variable that sets it, so a misconfigured sandbox fails at boot.
 */
export function loadSandboxWooCommerceConfig(env: NodeJS.ProcessEnv = process.env): SandboxWooCommerceConfig {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(sandboxWooCommerceSettings)) {
    const raw = (env[s.env] ?? s.default ?? '').trim();
    const value = s.parse(raw);
    if (value === undefined) {
      problems.push(`${s.env}=${s.secret ? '<redacted>' : JSON.stringify(raw)} is invalid (${s.description}); expected ${s.expected}.`);
      continue;
    }
    out[key] = value === null ? (key === 'rateLimit' ? null : undefined) : value;
  }
  if (problems.length > 0) throw new Error(`sandbox-woocommerce cannot start; fix these settings (environment variables):\n- ${problems.join('\n- ')}`);
  return out as unknown as SandboxWooCommerceConfig;
}
