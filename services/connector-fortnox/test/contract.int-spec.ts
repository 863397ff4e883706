import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { OrderRefunded } from '@ledgerline/contracts';
import { runConnectorContract } from '@ledgerline/erp-kit/testing';
import type { ConnectorReplica, ConnectorUnderTest, ErpDocumentView } from '@ledgerline/erp-kit/testing';
import type { OpenIntentInput, RateLimit } from '@ledgerline/erp-kit';
import { startFortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import { createTestDatabase } from '@ledgerline/testing';
import { buildFortnoxComponents } from '../src/messaging/components';
import { externalRefOf, type CreditIntentPayload, type InvoiceIntentPayload } from '../src/orders/invoice.mapper';
import { StoreRepository } from '../src/persistence/store.repository';
import { baseMappings, exchangeCode, orderWithOptionalBook, prepareSchema, putMappings, testSettings } from './support';

const STORE = 'nordic-shop';

/** connector-fortnox's real components against sandbox-fortnox and a schema of their own. */
async function startConnectorFortnox(): Promise<ConnectorUnderTest> {
  const rateLimit: RateLimit = { requests: 5, windowMs: 1000 };
  let clockOffsetMs = 0;
  const sandbox = await startFortnoxSandbox({ rateLimit, now: () => Date.now() + clockOffsetMs });
  const db = await createTestDatabase('connector_fortnox_contract', 6);
  const schema = db.schema;
  await prepareSchema(db.pool, schema);
  const settings = testSettings(schema, sandbox, rateLimit);
  const pools: Pool[] = [];

  const { tenantId: fortnoxTenantId, authorizationCode } = sandbox.control.createTenant('Acme AB');
  const tenantId = `acme-${randomUUID().slice(0, 8)}`;
  const connectionId = `fortnox-${tenantId}`;
  const granted = await exchangeCode(sandbox, authorizationCode);
  const setup = buildFortnoxComponents(settings, db.pool);
  await setup.tokens.save(connectionId, tenantId, { accessToken: granted.access_token, refreshToken: granted.refresh_token, expiresInSeconds: granted.expires_in });
  await new StoreRepository(schema).saveConnection(db.pool, tenantId, connectionId);
  await putMappings(db.pool, schema, tenantId, baseMappings(false));

  const replica = (): ConnectorReplica => {
    const pool = new Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined);
    pools.push(pool);
    const c = buildFortnoxComponents(settings, pool);
    return { worker: c.worker, accessToken: () => c.tokens.getAccessToken(connectionId, c.refresher) };
  };
  const ref = (orderNumber: string) => ({ tenantId, storeId: STORE, orderId: `o${orderNumber}`, orderNumber });
  const causedBy = () => ({ id: randomUUID(), correlationId: randomUUID() });
  const view = (data: Record<string, unknown>): ErpDocumentView => ({
    documentNumber: String(data.DocumentNumber),
    externalRef: String(data.ExternalInvoiceReference1),
    isCredit: data.Credit === 'true',
    creditOf: data.Credit === 'true' ? String(data.CreditInvoiceReference) : null,
  });

  return {
    erp: 'Fortnox',
    pool: db.pool,
    intents: setup.intents,
    connection: { tenantId, connectionId },
    rateLimit,
    replica,
    orderIntent: (orderNumber, opts = {}): OpenIntentInput<InvoiceIntentPayload> => ({
      tenantId,
      connectionId,
      storeId: STORE,
      sourceKind: 'order',
      sourceId: ref(orderNumber).orderId,
      sourceLabel: orderNumber,
      documentKind: 'invoice',
      externalRef: externalRefOf(ref(orderNumber)),
      payload: { order: orderWithOptionalBook(ref(orderNumber), !(opts.taxCodeMapped ?? true)) },
      causedBy: causedBy(),
    }),
    refundIntent: (orderNumber, refundId): OpenIntentInput<CreditIntentPayload> => {
      const order = orderWithOptionalBook(ref(orderNumber), false);
      const refund: OrderRefunded = {
        refundId,
        orderRef: order.orderRef,
        currency: 'SEK',
        createdAt: '2026-11-26T10:00:00.000Z',
        amount: { amount: '249.00', currency: 'SEK' },
        reason: null,
        amountOnly: false,
        refundedPayment: true,
        lines: order.lines.map((l) => ({ lineId: `r${l.lineId}`, orderLineId: l.lineId, productId: l.productId, variationId: l.variationId, sku: l.sku, name: l.name, quantity: l.quantity, total: l.total, totalTax: l.totalTax, taxes: l.taxes })),
        shippingLines: order.shippingLines.map((s) => ({ lineId: `r${s.lineId}`, orderLineId: s.lineId, total: s.total, totalTax: s.totalTax, taxes: s.taxes })),
        feeLines: [],
      };
      return {
        tenantId,
        connectionId,
        storeId: STORE,
        sourceKind: 'refund',
        sourceId: `${order.orderRef.orderId}:${refundId}`,
        sourceLabel: orderNumber,
        documentKind: 'credit-invoice',
        externalRef: externalRefOf(order.orderRef, `R${refundId}`),
        payload: { refund, creditFor: { sourceId: order.orderRef.orderId } },
        causedBy: causedBy(),
      };
    },
    mapMissingTaxCode: () => putMappings(db.pool, schema, tenantId, { taxCodes: baseMappings(true).taxCodes }),
    erpSide: {
      // Read from the sandbox's state, not its API, so that looking does not use the connection's rate limit.
      documentsWithExternalRef: async (r) =>
        [...sandbox.state.tenant(fortnoxTenantId).invoices.values()].filter((inv) => inv.data.ExternalInvoiceReference1 === r).map((inv) => view(inv.data)),
      timeoutAfterStoreOnNextCreate: () => sandbox.faults.timeoutAfterStore(1, { match: 'POST /3/invoices' }),
      rateLimitedRequests: () => sandbox.control.counters().rate_limited ?? 0,
      tokenRequests: () => sandbox.control.counters()['POST /oauth-v1/token'] ?? 0,
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

runConnectorContract('connector-fortnox', startConnectorFortnox, { supportsCreditNotes: true, searchableExternalRef: true });
