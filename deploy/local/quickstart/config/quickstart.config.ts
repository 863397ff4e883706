// Settings of the quickstart (`npm start`). This is the only file of the quickstart that reads the environment
// (STYLE.md §1): everything else gets the typed object below.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

/** One program the quickstart starts, with its fixed default port. */
export type ProgramName =
  | 'sandbox-fortnox'
  | 'sandbox-psp'
  | 'sandbox-woo-nordic'
  | 'sandbox-woo-outlet'
  | 'control-plane'
  | 'store-gateway'
  | 'connector-fortnox'
  | 'inventory-sync'
  | 'payout-reconciliation';

export interface QuickstartConfig {
  /** Repository root (the children run from there). */
  repoRoot: string;
  kafkaBrokers: string;
  databaseUrl: string;
  /** Short id of this run: schema names and the topic suffix are derived from it, so runs never share state. */
  runId: string;
  /** Where logs and the run record go: `deploy/local/.state/quickstart/`. */
  stateDir: string;
  /** 127.0.0.1 by default; every program binds there. */
  host: string;
  ports: Record<ProgramName, number>;
  /** Generated orders per store (the payout's own Stripe orders come on top). */
  ordersPerStore: number;
  /** Stripe orders placed live in the first store and paid out in one payout. */
  payoutOrders: number;
  /** SKUs whose stock is changed in Fortnox. */
  stockSkus: number;
  /** Longest wait of one phase (start-up, sync, payout), in milliseconds. */
  phaseTimeoutMs: number;
  /** Secrets generated per run (never printed; written to the run's tokens file with mode 0600). */
  secrets: {
    controlPlaneBootstrapToken: string;
    controlPlaneSecretsKey: string;
    storeGatewayAdminToken: string;
    storeGatewaySecretsKey: string;
    inventorySyncAdminToken: string;
    payoutAdminToken: string;
    payoutSecretsKey: string;
    fortnoxTokenKey: string;
  };
  /** Client of the Fortnox sandbox (its defaults). */
  fortnoxClientId: string;
  fortnoxClientSecret: string;
  /** Drop the schemas of earlier quickstart runs at start (default on; `QUICKSTART_KEEP_OLD_RUNS=1` keeps them). */
  dropOldRuns: boolean;
}

const DEFAULT_PORTS: Record<ProgramName, number> = {
  'control-plane': 3100,
  'store-gateway': 3101,
  'connector-fortnox': 3102,
  'inventory-sync': 3103,
  'payout-reconciliation': 3104,
  'sandbox-woo-nordic': 8081,
  'sandbox-fortnox': 8082,
  'sandbox-woo-outlet': 8083,
  'sandbox-psp': 8085,
};

/** Environment variable of each program's port, e.g. `QUICKSTART_PORT_STORE_GATEWAY`. */
export const portVariable = (name: ProgramName): string => `QUICKSTART_PORT_${name.toUpperCase().replace(/-/g, '_')}`;

/** Reads and checks the settings; throws one error listing every problem. */
export function loadQuickstartConfig(env: NodeJS.ProcessEnv = process.env): QuickstartConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be an integer ${min}-${max} (got "${raw}")`);
    return n;
  };
  const ports = Object.fromEntries(
    (Object.keys(DEFAULT_PORTS) as ProgramName[]).map((name) => [name, int(portVariable(name), DEFAULT_PORTS[name], 1, 65535)]),
  ) as Record<ProgramName, number>;
  const kafkaBrokers = env['KAFKA_BROKERS'] ?? '';
  const databaseUrl = env['DATABASE_URL'] ?? '';
  if (!kafkaBrokers) problems.push('KAFKA_BROKERS is not set (run through `npm start`, which runs deploy/local/with-infra.sh)');
  if (!databaseUrl) problems.push('DATABASE_URL is not set (run through `npm start`, which runs deploy/local/with-infra.sh)');
  const runId = env['QUICKSTART_RUN_ID'] || `r${Date.now().toString(36)}`;
  if (!/^[a-z][a-z0-9]{1,15}$/.test(runId)) problems.push(`QUICKSTART_RUN_ID must be a lower-case letter then 1-15 letters or digits (got "${runId}")`);
  const repoRoot = resolve(__dirname, '..', '..', '..', '..');
  const config: QuickstartConfig = {
    repoRoot,
    kafkaBrokers,
    databaseUrl,
    runId,
    stateDir: resolve(env['LEDGERLINE_STATE_DIR'] ?? resolve(repoRoot, 'deploy/local/.state'), 'quickstart'),
    host: env['QUICKSTART_HOST'] || '127.0.0.1',
    ports,
    ordersPerStore: int('QUICKSTART_ORDERS_PER_STORE', 25, 1, 500),
    payoutOrders: int('QUICKSTART_PAYOUT_ORDERS', 6, 1, 50),
    stockSkus: int('QUICKSTART_STOCK_SKUS', 4, 1, 50),
    phaseTimeoutMs: int('QUICKSTART_PHASE_TIMEOUT_SECONDS', 180, 10, 3600) * 1000,
    secrets: {
      controlPlaneBootstrapToken: `qs-bootstrap-${randomBytes(24).toString('hex')}`,
      controlPlaneSecretsKey: randomBytes(32).toString('base64'),
      storeGatewayAdminToken: `qs-gateway-${randomBytes(24).toString('hex')}`,
      storeGatewaySecretsKey: randomBytes(32).toString('base64'),
      inventorySyncAdminToken: `qs-inventory-${randomBytes(24).toString('hex')}`,
      payoutAdminToken: `qs-payouts-${randomBytes(24).toString('hex')}`,
      payoutSecretsKey: randomBytes(32).toString('base64'),
      fortnoxTokenKey: `k1:${randomBytes(32).toString('base64')}`,
    },
    fortnoxClientId: 'sandbox-fortnox-client',
    fortnoxClientSecret: 'sandbox-fortnox-secret',
    dropOldRuns: env['QUICKSTART_KEEP_OLD_RUNS'] !== '1',
  };
  const used = new Map<number, string>();
  for (const [name, port] of Object.entries(ports)) {
    if (used.has(port)) problems.push(`${name} and ${used.get(port)} both use port ${port}`);
    used.set(port, name);
  }
  if (problems.length > 0) throw new Error(`quickstart: invalid settings:\n  - ${problems.join('\n  - ')}`);
  return config;
}

/** The environment a child inherits: the parent's, so PATH, LOG_LEVEL, OTEL_* and the broker/DB settings carry over. */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}
