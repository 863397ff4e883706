// REFERENCE CONNECTOR FOR TESTS ONLY: wires the reference Fortnox port to sandbox-fortnox and a real PostgreSQL schema
// so the connector contract suite (libs/erp-kit/testing) runs against real HTTP. services/connector-fortnox replaces
// it and runs the same suite with its own factory.
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
// The sandbox runs in-process (STYLE.md §7); lint allows sandbox imports in test files only.
import { startFortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import {
  ConnectionRateLimiter,
  DocumentIntents,
  IntentWorker,
  oauth2RefreshGrant,
  TokenCipher,
  TokenStore,
  type OpenIntentInput,
  type RateLimit,
} from '../../src';
import type { ConnectorReplica, ConnectorUnderTest, ErpDocumentView } from '../../testing';
import { erpKitDatabase } from '../support';
import { FortnoxInvoicePort, type FortnoxTaxCode, type InvoicePayload, type OrderLinePayload } from './fortnox-invoice.port';
import { FortnoxTestClient } from './fortnox-test.client';

const ERP = 'Fortnox';
const STORE = 'nordic-shop';

/** Starts sandbox-fortnox, a test schema and the reference port, and returns them as a {@link ConnectorUnderTest}. */
export async function startReferenceFortnox(): Promise<ConnectorUnderTest> {
  const rateLimit: RateLimit = { requests: 5, windowMs: 1000 };
  let clockOffsetMs = 0;
  const sandbox = await startFortnoxSandbox({ rateLimit, now: () => Date.now() + clockOffsetMs });
  const db = await erpKitDatabase('erp_kit_fortnox', 6);
  const schema = db.schema;
  const pools: Pool[] = [];

  const { tenantId: fortnoxTenantId, authorizationCode } = sandbox.control.createTenant('Acme AB');
  const tenantId = `acme-${randomUUID().slice(0, 8)}`;
  const connectionId = `fortnox-${fortnoxTenantId}`;
  const basic = `Basic ${Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64')}`;
  const exchanged = await fetch(`${sandbox.url}/oauth-v1/token`, {
    method: 'POST',
    headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: authorizationCode }).toString(),
  });
  const granted = (await exchanged.json()) as { access_token: string; refresh_token: string; expires_in: number };
  if (exchanged.status !== 200) throw new Error(`authorization-code exchange failed: ${exchanged.status} ${JSON.stringify(granted)}`);

  const cipher = new TokenCipher({ current: { id: 'test-key-1', key: randomBytes(32).toString('base64') } });
  await new TokenStore(db.pool, { schema, erp: ERP, cipher }).save(connectionId, tenantId, {
    accessToken: granted.access_token,
    refreshToken: granted.refresh_token,
    expiresInSeconds: granted.expires_in,
  });
  const refresher = oauth2RefreshGrant({ erp: ERP, tokenUrl: `${sandbox.url}/oauth-v1/token`, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret });
  // The tenant's mapping, as the control plane would hand it over; SE 6 % is left out for the missing-mapping test.
  const taxCodes = new Map<string, FortnoxTaxCode>([
    ['SE:25', { vat: 25, account: 3001 }],
    ['SE:12', { vat: 12, account: 3002 }],
  ]);

  const build = (pool: Pool) => {
    const tokens = new TokenStore(pool, { schema, erp: ERP, cipher });
    const limiter = new ConnectionRateLimiter(pool, { schema, erp: ERP, limit: rateLimit, safetyMarginMs: 300, maxWaitMs: 10_000 });
    const intents = new DocumentIntents(pool, { schema, erp: ERP, leaseMs: 5000, backoff: { baseMs: 100, maxMs: 200, maxFailures: 50 } });
    const client = new FortnoxTestClient({ baseUrl: sandbox.url, connectionId, tokens, refresher, limiter, requestTimeoutMs: 700, rateLimitPenaltyMs: rateLimit.windowMs });
    return { tokens, intents, client };
  };
  const setup = build(db.pool);
  const customer = await setup.client.call<{ Customer: { CustomerNumber: string } }>('POST', '/3/customers', { Customer: { Name: 'Webshop customers' } }, { context: { tenantId } });
  const customerNumber = customer.Customer.CustomerNumber;

  const replica = (): ConnectorReplica => {
    const pool = new Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined);
    pools.push(pool);
    const { tokens, intents, client } = build(pool);
    const port = new FortnoxInvoicePort(client, intents, pool, taxCodes, customerNumber);
    const worker = new IntentWorker({ pool, intents, port, batchSize: 4, concurrency: 2 });
    return { worker, accessToken: () => tokens.getAccessToken(connectionId, refresher) };
  };

  const lines = (taxCodeMapped: boolean): OrderLinePayload[] => [
    { description: 'Tröja', quantity: '2', unitPrice: '199.00', tax: { country: 'SE', ratePercent: '25' } },
    ...(taxCodeMapped ? [] : [{ description: 'Bok', quantity: '1', unitPrice: '89.00', tax: { country: 'SE', ratePercent: '6' } }]),
  ];
  const intent = (over: Pick<OpenIntentInput<InvoicePayload>, 'sourceKind' | 'sourceId' | 'documentKind' | 'externalRef' | 'payload'> & { sourceLabel: string }): OpenIntentInput => ({
    tenantId,
    connectionId,
    storeId: STORE,
    causedBy: { id: randomUUID(), correlationId: randomUUID() },
    ...over,
  });
  const view = (data: Record<string, unknown>): ErpDocumentView => ({
    documentNumber: String(data.DocumentNumber),
    externalRef: String(data.ExternalInvoiceReference1),
    isCredit: data.Credit === 'true',
    creditOf: data.Credit === 'true' ? String(data.CreditInvoiceReference) : null,
  });

  return {
    erp: ERP,
    pool: db.pool,
    intents: setup.intents,
    connection: { tenantId, connectionId },
    rateLimit,
    replica,
    orderIntent: (orderNumber, opts = {}) =>
      intent({
        sourceKind: 'order',
        sourceId: `order-${orderNumber}`,
        sourceLabel: orderNumber,
        documentKind: 'invoice',
        externalRef: `woo-${STORE}-${orderNumber}`,
        payload: { orderNumber, currency: 'SEK', lines: lines(opts.taxCodeMapped ?? true) },
      }),
    refundIntent: (orderNumber, refundId) =>
      intent({
        sourceKind: 'refund',
        sourceId: `refund-${orderNumber}-${refundId}`,
        sourceLabel: orderNumber,
        documentKind: 'credit-invoice',
        externalRef: `woo-${STORE}-${orderNumber}-${refundId}`,
        payload: { orderNumber, currency: 'SEK', lines: lines(true), creditFor: { sourceId: `order-${orderNumber}` } },
      }),
    mapMissingTaxCode: async () => {
      taxCodes.set('SE:6', { vat: 6, account: 3003 });
    },
    erpSide: {
      // Read from the sandbox's state, not its API, so that looking does not use the connection's rate limit.
      documentsWithExternalRef: async (ref) =>
        [...sandbox.state.tenant(fortnoxTenantId).invoices.values()].filter((inv) => inv.data.ExternalInvoiceReference1 === ref).map((inv) => view(inv.data)),
      timeoutAfterStoreOnNextCreate: () => sandbox.faults.timeoutAfterStore(1, { match: 'POST /3/invoices' }),
      rateLimitedRequests: () => sandbox.control.counters().rate_limited ?? 0,
      tokenRequests: () => sandbox.control.counters()['POST /oauth-v1/token'] ?? 0,
      // Past the one-hour access-token lifetime on the sandbox's clock.
      expireAccessTokens: () => {
        clockOffsetMs += 2 * 3_600_000;
      },
    },
    expireStoredAccessToken: async () => {
      await db.pool.query(`UPDATE ${schema}.erp_oauth_tokens SET access_expires_at = now() - interval '1 second' WHERE connection_id = $1`, [connectionId]);
    },
    close: async () => {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      await sandbox.close();
      await db.drop();
    },
  };
}
