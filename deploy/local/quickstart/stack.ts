// What the quickstart starts: every program with the environment its own config loader asks for
// (services/<program>/src/config/*.config.ts). Schemas and the topic suffix come from the run id.
import type { ProgramName, QuickstartConfig } from './config/quickstart.config';
import type { ProgramSpec } from './processes';

export const SANDBOXES: ProgramName[] = ['sandbox-fortnox', 'sandbox-psp', 'sandbox-woo-nordic', 'sandbox-woo-outlet'];
export const SERVICES: ProgramName[] = ['control-plane', 'store-gateway', 'connector-fortnox', 'inventory-sync', 'payout-reconciliation'];

/** The two demo stores: one sandbox process each (a sandbox process holds one store). */
export const STORES = [
  { storeId: 'nordic', name: 'Nordic Goods (prices excl. VAT)', program: 'sandbox-woo-nordic' as const, seed: 11, pricesIncludeTax: false },
  { storeId: 'outlet', name: 'Nordic Outlet (prices incl. VAT)', program: 'sandbox-woo-outlet' as const, seed: 12, pricesIncludeTax: true },
];

/** Schema prefix of a run: `qs_<runId>_`. */
export const schemaPrefix = (runId: string): string => `qs_${runId}_`;
export const topicSuffix = (runId: string): string => `qs-${runId}`;

export interface Urls {
  of(name: ProgramName): string;
}

export function urlsOf(config: QuickstartConfig): Urls {
  return { of: (name) => `http://${config.host}:${config.ports[name]}` };
}

/** Every program's spec, sandboxes first. */
export function programSpecs(config: QuickstartConfig): ProgramSpec[] {
  const url = urlsOf(config).of;
  const s = config.secrets;
  const schema = (service: string) => `${schemaPrefix(config.runId)}${service}`;
  const suffix = topicSuffix(config.runId);
  const infra = { DATABASE_URL: config.databaseUrl, KAFKA_BROKERS: config.kafkaBrokers, HOST: config.host };
  const fortnox = url('sandbox-fortnox');
  const spec = (name: ProgramName, entry: string, env: Record<string, string>): ProgramSpec => ({ name, entry, port: config.ports[name], env });
  return [
    spec('sandbox-fortnox', 'services/sandbox-fortnox/src/main.ts', {
      SANDBOX_FORTNOX_PORT: String(config.ports['sandbox-fortnox']),
      SANDBOX_FORTNOX_HOST: config.host,
      SANDBOX_FORTNOX_CLIENT_ID: config.fortnoxClientId,
      SANDBOX_FORTNOX_CLIENT_SECRET: config.fortnoxClientSecret,
    }),
    spec('sandbox-psp', 'services/sandbox-psp/src/main.ts', { SANDBOX_PSP_PORT: String(config.ports['sandbox-psp']), SANDBOX_PSP_HOST: config.host }),
    ...STORES.map((store) =>
      spec(store.program, 'services/sandbox-woocommerce/src/main.ts', {
        SANDBOX_WOOCOMMERCE_PORT: String(config.ports[store.program]),
        SANDBOX_WOOCOMMERCE_HOST: config.host,
        SANDBOX_WOOCOMMERCE_SEED: String(store.seed),
        SANDBOX_WOOCOMMERCE_CURRENCY: 'SEK',
        SANDBOX_WOOCOMMERCE_PRICES_INCLUDE_TAX: String(store.pricesIncludeTax),
      }),
    ),
    spec('control-plane', 'services/control-plane/src/main.ts', {
      ...infra,
      PORT: String(config.ports['control-plane']),
      CONTROL_PLANE_SCHEMA: schema('control_plane'),
      CONTROL_PLANE_TOPIC_SUFFIX: suffix,
      CONTROL_PLANE_SECRETS_KEY: s.controlPlaneSecretsKey,
      CONTROL_PLANE_PUBLIC_URL: url('control-plane'),
      CONTROL_PLANE_BOOTSTRAP_TOKEN: s.controlPlaneBootstrapToken,
      FORTNOX_CLIENT_ID: config.fortnoxClientId,
      FORTNOX_CLIENT_SECRET: config.fortnoxClientSecret,
      FORTNOX_AUTH_URL: `${fortnox}/oauth-v1/auth`,
      FORTNOX_TOKEN_URL: `${fortnox}/oauth-v1/token`,
      STORE_GATEWAY_URL: url('store-gateway'),
      STORE_GATEWAY_ADMIN_TOKEN: s.storeGatewayAdminToken,
      CONNECTOR_FORTNOX_URL: url('connector-fortnox'),
      CONTROL_PLANE_ALERT_INTERVAL_MS: '60000',
    }),
    spec('store-gateway', 'services/store-gateway/src/main.ts', {
      ...infra,
      PORT: String(config.ports['store-gateway']),
      STORE_GATEWAY_SCHEMA: schema('store_gateway'),
      STORE_GATEWAY_TOPIC_SUFFIX: suffix,
      STORE_GATEWAY_SECRETS_KEY: s.storeGatewaySecretsKey,
      STORE_GATEWAY_ADMIN_TOKEN: s.storeGatewayAdminToken,
      STORE_GATEWAY_PUBLIC_URL: url('store-gateway'),
      // The safety net behind webhooks: every 30 s each store is swept for orders changed since the last sweep.
      STORE_GATEWAY_SWEEP_INTERVAL_MS: '30000',
      STORE_GATEWAY_WEBHOOK_HEALTH_INTERVAL_MS: '60000',
    }),
    spec('connector-fortnox', 'services/connector-fortnox/src/main.ts', {
      ...infra,
      PORT: String(config.ports['connector-fortnox']),
      CONNECTOR_FORTNOX_SCHEMA: schema('connector_fortnox'),
      CONNECTOR_FORTNOX_TOPIC_SUFFIX: suffix,
      FORTNOX_API_BASE_URL: fortnox,
      FORTNOX_TOKEN_URL: `${fortnox}/oauth-v1/token`,
      FORTNOX_CLIENT_ID: config.fortnoxClientId,
      FORTNOX_CLIENT_SECRET: config.fortnoxClientSecret,
      FORTNOX_TOKEN_KEY: s.fortnoxTokenKey,
      CONNECTOR_FORTNOX_WORKER_IDLE_MS: '200',
      CONNECTOR_FORTNOX_BACKOFF_BASE_MS: '500',
      CONNECTOR_FORTNOX_BACKOFF_MAX_MS: '15000',
      CONNECTOR_FORTNOX_STOCK_POLL_MS: '30000',
    }),
    spec('inventory-sync', 'services/inventory-sync/src/main.ts', {
      ...infra,
      PORT: String(config.ports['inventory-sync']),
      INVENTORY_SYNC_SCHEMA: schema('inventory_sync'),
      INVENTORY_SYNC_TOPIC_SUFFIX: suffix,
      INVENTORY_SYNC_ADMIN_TOKEN: s.inventorySyncAdminToken,
    }),
    spec('payout-reconciliation', 'services/payout-reconciliation/src/main.ts', {
      ...infra,
      PORT: String(config.ports['payout-reconciliation']),
      PAYOUT_RECONCILIATION_SCHEMA: schema('payout_reconciliation'),
      PAYOUT_RECONCILIATION_TOPIC_SUFFIX: suffix,
      PAYOUT_RECONCILIATION_ADMIN_TOKEN: s.payoutAdminToken,
      PAYOUT_RECONCILIATION_SECRETS_KEY: s.payoutSecretsKey,
      STRIPE_API_BASE_URL: `${url('sandbox-psp')}/stripe`,
      KLARNA_API_BASE_URL: `${url('sandbox-psp')}/klarna`,
      PAYOUT_RECONCILIATION_POLL_INTERVAL_MS: '60000',
      PAYOUT_RECONCILIATION_MATCH_RETRY_MS: '5000',
    }),
  ];
}
