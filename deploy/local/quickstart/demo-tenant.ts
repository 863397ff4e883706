// The demo tenant, set up through each service's own admin API (the control plane's configuration is not yet
// consumed by the other services, docs/adr/0006): tenant and stores in the control plane (so the console shows
// them), the stores in store-gateway, the Fortnox company connected through OAuth in the connector (and in the
// control plane), the connector's mappings, warehouses in inventory-sync and a Stripe account in payout-reconciliation.
import { randomBytes } from 'node:crypto';
import type { QuickstartConfig } from './config/quickstart.config';
import { bearer, call, expectOk, FortnoxReader, waitFor, WooStore } from './http';
import { STORES, type Urls } from './stack';

export const TENANT_ID = 'demo';
export const STRIPE_ACCOUNT = 'acct_ledgerline_demo';
/** Fortnox accounts the demo uses that the sandbox's BAS subset lacks. */
const EXTRA_ACCOUNTS: Record<string, string> = { '2616': 'Utgående moms OSS' };

export interface DemoStore {
  storeId: string;
  name: string;
  woo: WooStore;
  controlUrl: string;
}

export interface DemoTenant {
  tenantId: string;
  stores: DemoStore[];
  fortnoxCompanyId: string;
  connectionId: string;
  fortnox: FortnoxReader;
  /** An admin API token of the control plane, for the console's sign-in box. */
  consoleToken: string;
}

/** The connector's mapping for everything the WooCommerce sandbox generates (SE rates, OSS destinations, exports). */
export function demoMappings() {
  const oss = (vat: number) => ({ vat, account: 3106, vatAccount: 2616 });
  return {
    taxCodes: {
      'SE:25': { vat: 25, account: 3001 },
      'SE:12': { vat: 12, account: 3002 },
      'SE:6': { vat: 6, account: 3003 },
      'SE:0': { vat: 0, account: 3004 },
      'DE:19': oss(19),
      'DE:7': oss(7),
      'FR:20': oss(20),
      'FR:5.5': oss(5.5),
      'NL:21': oss(21),
      'NL:9': oss(9),
      'FI:25.5': oss(25.5),
      'FI:14': oss(14),
      'FI:10': oss(10),
      'DK:25': oss(25),
      'DE:0': { vat: 0, account: 3106 },
      'FR:0': { vat: 0, account: 3106 },
      'NL:0': { vat: 0, account: 3106 },
      'FI:0': { vat: 0, account: 3106 },
      'DK:0': { vat: 0, account: 3106 },
      'EU:reverse-charge': { vat: 0, account: 3108 },
      export: { vat: 0, account: 3105 },
    },
    // No registerPayment: Stripe payments are booked from the payout (payout-reconciliation), not at order time.
    paymentMethods: {
      stripe: { modeOfPayment: 'KORT', termsOfPayment: '0' },
      klarna_payments: { modeOfPayment: 'KLARNA', termsOfPayment: '0' },
      swish: { modeOfPayment: 'SWISH', termsOfPayment: '0' },
      bacs: { modeOfPayment: 'BG', termsOfPayment: '30' },
      cod: { modeOfPayment: 'KONT', termsOfPayment: '0' },
    },
    shippingMethods: { flat_rate: { account: 3001 }, free_shipping: { account: 3001 }, local_pickup: { account: 3001 } },
    currencies: { EUR: { rate: 11.5, unit: 1 }, NOK: { rate: 1.0, unit: 1 }, DKK: { rate: 1.54, unit: 1 }, USD: { rate: 10.6, unit: 1 } },
  };
}

/** Follows the sandbox's consent page (no login screen) and returns where it redirected the browser. */
async function consent(authorizeUrl: string): Promise<URL> {
  const res = await call('GET', authorizeUrl);
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`Fortnox consent page ${authorizeUrl}: expected a redirect, got HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return new URL(location);
}

export async function setUpDemoTenant(config: QuickstartConfig, urls: Urls, print: (line: string) => void): Promise<DemoTenant> {
  const s = config.secrets;
  const cp = urls.of('control-plane');
  const gateway = urls.of('store-gateway');
  const connector = urls.of('connector-fortnox');
  const fortnoxUrl = urls.of('sandbox-fortnox');
  const admin = bearer(s.controlPlaneBootstrapToken);

  // The Fortnox company (the sandbox's stand-in for a customer's Fortnox account) and an OSS VAT account.
  const company = expectOk('sandbox-fortnox: create company', await call<{ tenantId: string }>('POST', `${fortnoxUrl}/__sandbox/tenants`, { name: 'Ledgerline Demo AB' }));
  for (const [number, name] of Object.entries(EXTRA_ACCOUNTS)) {
    expectOk(`sandbox-fortnox: add account ${number}`, await call('PUT', `${fortnoxUrl}/__sandbox/tenants/${company.tenantId}/accounts/${number}`, { name }));
  }

  // Control plane: tenant, an API token for the console, and the Fortnox connection through its OAuth flow.
  expectOk('control-plane: create tenant', await call('PUT', `${cp}/api/tenants/${TENANT_ID}`, { name: 'Demo Handel AB' }, admin));
  const token = expectOk('control-plane: create API token', await call<{ token: string }>('POST', `${cp}/api/tokens`, { name: `quickstart ${config.runId}`, role: 'admin' }, admin));
  const started = expectOk('control-plane: start Fortnox connection', await call<{ connectionId: string; authorizeUrl: string }>('POST', `${cp}/api/connections/fortnox/start`, { tenantId: TENANT_ID }, admin));
  const authorize = new URL(started.authorizeUrl);
  authorize.searchParams.set('tenant_id', company.tenantId); // sandbox extension: the company the user logs in to
  const back = await consent(authorize.toString());
  const callback = await call('GET', back.toString());
  if (callback.status !== 302 || !(callback.headers.get('location') ?? '').includes('/console/')) {
    throw new Error(`control-plane OAuth callback: HTTP ${callback.status} ${callback.headers.get('location')} ${JSON.stringify(callback.body)}`);
  }
  const mappings = demoMappings();
  expectOk('control-plane: mappings', await call('PUT', `${cp}/api/connections/${started.connectionId}/mappings`, { ...mappings, fees: { default: { account: 3001 } } }, admin));

  // Connector: the same company, connected through the authorization-code flow with the connector's redirect URI.
  const redirectUri = `${connector}/connections/oauth/callback`;
  const auth = new URL(`${fortnoxUrl}/oauth-v1/auth`);
  for (const [k, v] of Object.entries({ client_id: config.fortnoxClientId, redirect_uri: redirectUri, scope: 'invoice customer article payment bookkeeping', state: randomBytes(12).toString('hex'), response_type: 'code', tenant_id: company.tenantId })) {
    auth.searchParams.set(k, v);
  }
  const code = (await consent(auth.toString())).searchParams.get('code') ?? '';
  const connected = expectOk('connector-fortnox: connect', await call<{ connectionId: string }>('POST', `${connector}/connections`, { tenantId: TENANT_ID, authorizationCode: code, redirectUri }));
  // The mapping saved in the control plane reaches the connector over the config topic (ADR 0006); no PUT to it here.
  type ConnectorMappings = { taxCodes: Record<string, unknown>; controlConfig: { version: number } | null };
  const applied = await waitFor({
    what: 'mapping from the control plane applied by connector-fortnox',
    timeoutMs: 30_000,
    intervalMs: 250,
    print,
    probe: async () => {
      const r = await call<ConnectorMappings>('GET', `${connector}/tenants/${TENANT_ID}/mappings`);
      const version = r.status === 200 ? r.body.controlConfig?.version : undefined;
      return { done: version !== undefined && Object.keys(r.body.taxCodes).length === Object.keys(mappings.taxCodes).length ? version : null, progress: version === undefined ? 'not yet' : `version ${version}` };
    },
  });
  if (applied === null) throw new Error('connector-fortnox did not apply the mapping saved in the control plane within 30 s (control config topic); see programs.log');
  print(`  Fortnox company ${company.tenantId} connected: control plane ${started.connectionId}, connector ${connected.connectionId}; mappings (${Object.keys(mappings.taxCodes).length} tax codes, ${Object.keys(mappings.paymentMethods).length} payment methods) reached the connector as config version ${applied}`);

  // The stores: control plane (console), store-gateway (webhooks + sweeps), inventory-sync (warehouses).
  const stores: DemoStore[] = [];
  for (const def of STORES) {
    const sandboxUrl = urls.of(def.program);
    const info = expectOk(`${def.program}: info`, await call<{ url: string; consumerKey: string; consumerSecret: string }>('GET', `${sandboxUrl}/__sandbox`));
    const woo = new WooStore(info.url, info.consumerKey, info.consumerSecret);
    const webhookSecret = randomBytes(24).toString('base64url');
    expectOk(
      `control-plane: store ${def.storeId}`,
      await call('PUT', `${cp}/api/stores/${def.storeId}`, {
        tenantId: TENANT_ID,
        name: def.name,
        siteUrl: info.url,
        currency: 'SEK',
        consumerKey: info.consumerKey,
        consumerSecret: info.consumerSecret,
        webhookSecret,
        erpConnectionId: started.connectionId,
        flows: { orders: true, refunds: true, inventory: true, products: true, customers: true, payouts: true },
      }, admin),
    );
    expectOk(
      `store-gateway: register ${def.storeId}`,
      await call('PUT', `${gateway}/stores/${def.storeId}`, { tenantId: TENANT_ID, siteUrl: info.url, currency: 'SEK', consumerKey: info.consumerKey, consumerSecret: info.consumerSecret, webhookSecret }, bearer(s.storeGatewayAdminToken)),
    );
    const hooks = expectOk(`store-gateway: webhook check ${def.storeId}`, await call<{ healthy: boolean; created: string[] }>('POST', `${gateway}/stores/${def.storeId}/webhooks/check`, undefined, bearer(s.storeGatewayAdminToken)));
    expectOk(
      `inventory-sync: store ${def.storeId}`,
      await call('PUT', `${urls.of('inventory-sync')}/tenants/${TENANT_ID}/stores/${def.storeId}`, { warehouses: ['MAIN'], safetyBuffer: '0' }, bearer(s.inventorySyncAdminToken)),
    );
    print(`  store "${def.storeId}" (${info.url}): in the control plane, registered with store-gateway (${hooks.created.length} webhooks created in the store), warehouse MAIN in inventory-sync`);
    stores.push({ storeId: def.storeId, name: def.name, woo, controlUrl: sandboxUrl });
  }

  // Payouts: the Stripe account of the tenant, read through the Stripe API of sandbox-psp.
  const psp = urls.of('sandbox-psp');
  const cred = expectOk('sandbox-psp: credentials', await call<{ secretKey: string }>('GET', `${psp}/__sandbox/stripe/credentials?merchantAccount=${STRIPE_ACCOUNT}`));
  expectOk(
    'payout-reconciliation: Stripe mapping',
    await call('PUT', `${urls.of('payout-reconciliation')}/mappings/stripe/${STRIPE_ACCOUNT}`, {
      tenantId: TENANT_ID,
      erp: 'fortnox',
      erpConnectionId: connected.connectionId,
      modeOfPayment: 'KORT',
      gateways: ['stripe'],
      accounts: { clearing: '1580', fee: '6570', bank: '1930', reserve: '1680', chargeback: '6090', adjustment: '3740' },
      credentials: { secretKey: cred.secretKey },
    }, bearer(s.payoutAdminToken)),
  );
  print(`  payout-reconciliation: Stripe account ${STRIPE_ACCOUNT} → clearing 1580, fees 6570, bank 1930 (gateway "stripe")`);

  // Our own read access to the company, for the summary (the token endpoint of the sandbox, like any integration).
  const readerCode = expectOk('sandbox-fortnox: code', await call<{ authorizationCode: string }>('POST', `${fortnoxUrl}/__sandbox/tenants/${company.tenantId}/authorization-codes`)).authorizationCode;
  const granted = await fetch(`${fortnoxUrl}/oauth-v1/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${config.fortnoxClientId}:${config.fortnoxClientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: readerCode }).toString(),
  });
  const tokens = (await granted.json()) as { access_token?: string };
  if (!tokens.access_token) throw new Error(`Fortnox token exchange for the summary failed: HTTP ${granted.status} ${JSON.stringify(tokens)}`);

  return { tenantId: TENANT_ID, stores, fortnoxCompanyId: company.tenantId, connectionId: connected.connectionId, fortnox: new FortnoxReader(fortnoxUrl, tokens.access_token), consoleToken: token.token };
}
