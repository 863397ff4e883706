// The path of issue #4 end to end on the local stack: a WooCommerce order (sandbox) → signed webhook → store-gateway →
// Kafka → connector-fortnox → an invoice in Fortnox (sandbox), and a partial refund → a linked credit invoice.
// Everything runs in this process on real PostgreSQL and Kafka; each service has a schema of its own, both share one
// topic suffix, so the file can run next to any other.
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { startFortnoxSandbox, type FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import { startWooSandbox, type WooSandbox } from '@ledgerline/sandbox-woocommerce';
import { createTestDatabase, eventually, testInfra, uniqueSuffix, type TestDatabase } from '@ledgerline/testing';
import { WooCommerceClient } from '@ledgerline/woocommerce';
/* eslint-disable @nx/enforce-module-boundaries -- a system test runs the services themselves in process (STYLE.md §7); no lib wraps their app modules. */
import { externalRefOf } from '@ledgerline/connector-fortnox/src/orders/invoice.mapper';
/* eslint-enable @nx/enforce-module-boundaries */
import { startConnector, startGateway, wooWrite as wooWriteTo } from './services';

const ADMIN_TOKEN = `e2e-admin-${randomBytes(16).toString('hex')}`;
const STORE_ID = 'e2e-shop';
const WEBHOOK_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'customer.created', 'customer.updated', 'customer.deleted', 'product.created', 'product.updated', 'product.deleted'];

interface FortnoxInvoice {
  DocumentNumber: string;
  ExternalInvoiceReference1: string;
  Total: number;
  TotalVAT: number;
  Credit: string;
  CreditInvoiceReference: string;
  Currency: string;
  InvoiceRows: { Description: string; DeliveredQuantity: string; VAT: number; AccountNumber: number; Total: number }[];
}

/** The parts of a WooCommerce REST order the test reads. */
interface WooOrder {
  id: number;
  total: string;
  total_tax: string;
  currency: string;
  line_items: { id: number; total: string; total_tax: string; taxes: { id: number; total: string }[] }[];
}


describe('local stack: a WooCommerce order becomes a Fortnox invoice, and its refund a linked credit invoice', () => {
  let woo: WooSandbox;
  let fortnox: FortnoxSandbox;
  let gateway: INestApplication;
  let connector: INestApplication;
  let gatewayDb: TestDatabase;
  let connectorDb: TestDatabase;
  let gatewayUrl: string;
  let connectorUrl: string;
  const tenantId = `t-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const infra = await testInfra();
    const suffix = uniqueSuffix();
    [woo, fortnox, gatewayDb, connectorDb] = await Promise.all([
      startWooSandbox({ seed: 4 }),
      startFortnoxSandbox(),
      createTestDatabase('e2e_store_gateway'),
      createTestDatabase('e2e_connector_fortnox'),
    ]);

    ({ app: connector, url: connectorUrl } = await startConnector({ infra, fortnox, schema: connectorDb.schema, topicSuffix: suffix }));

    ({ app: gateway, url: gatewayUrl } = await startGateway({ infra, schema: gatewayDb.schema, topicSuffix: suffix, adminToken: ADMIN_TOKEN }));
  });

  afterAll(async () => {
    await woo?.close();
    await gateway?.close();
    await connector?.close();
    await fortnox?.close();
    await gatewayDb?.drop();
    await connectorDb?.drop();
  });

  const http = async (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const wooWrite = <T>(path: string, body: unknown): Promise<T> => wooWriteTo<T>(woo, path, body);

  it('books the order as exactly one invoice with the store\'s total and VAT, and a partial refund as one credit invoice linked to it', async () => {
    // Store-gateway: register the store (admin token). Connector: connect the Fortnox company, put the mappings.
    const registered = await http(gatewayUrl, 'PUT', `/stores/${STORE_ID}`, { tenantId, siteUrl: woo.url, currency: 'SEK', consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret }, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(registered).toMatchObject({ status: 200, body: { tenantId, siteUrl: woo.url, currency: 'SEK' } });
    expect(JSON.stringify(registered.body)).not.toContain(woo.consumerSecret);

    const company = fortnox.control.createTenant('E2E Handel AB');
    expect(await http(connectorUrl, 'POST', '/connections', { tenantId, authorizationCode: company.authorizationCode })).toEqual({ status: 201, body: { tenantId, connectionId: `fortnox-${tenantId}` } });
    const mappings = {
      taxCodes: { 'SE:25': { vat: 25, account: 3001 }, 'SE:12': { vat: 12, account: 3002 }, 'SE:6': { vat: 6, account: 3003 }, 'SE:0': { vat: 0, account: 3004 } },
      paymentMethods: { stripe: { modeOfPayment: 'KORT', termsOfPayment: '0' } },
      shippingMethods: { flat_rate: { account: 3001 } },
    };
    expect((await http(connectorUrl, 'PUT', `/tenants/${tenantId}/mappings`, mappings)).status).toBe(200);

    // The gateway's webhook health job registers one active webhook per topic, delivering to the gateway.
    const wooApi = new WooCommerceClient({ siteUrl: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret });
    const hooks = await eventually(
      async () => {
        const list = await wooApi.listWebhooks();
        return WEBHOOK_TOPICS.every((t) => list.some((h) => h.topic === t && h.status === 'active')) ? list : null;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: 'store-gateway registered the webhooks in the store' },
    );
    expect(hooks.map((h) => [h.topic, h.status, h.delivery_url]).sort()).toEqual(WEBHOOK_TOPICS.map((t) => [t, 'active', `${gatewayUrl}/webhooks/woocommerce/${STORE_ID}`]).sort());

    // A customer checks out in the store: 2 × 200.00 + shipping 40.00, net prices, 25 % VAT, paid by card.
    const product = await wooWrite<{ id: number }>('/products', { name: 'Kaffekopp', type: 'simple', regular_price: '200.00', sku: `MUG-${randomUUID().slice(0, 6)}` });
    const address = { first_name: 'Eva', last_name: 'Lind', address_1: 'Storgatan 1', city: 'Uppsala', postcode: '75320', country: 'SE' };
    const order = await wooWrite<WooOrder>('/orders', {
      payment_method: 'stripe',
      payment_method_title: 'Kort',
      set_paid: true,
      billing: { ...address, email: 'eva.lind@example.se' },
      shipping: address,
      line_items: [{ product_id: product.id, quantity: 2 }],
      shipping_lines: [{ method_id: 'flat_rate', method_title: 'Postnord', total: '40.00' }],
    });
    expect([order.currency, order.total, order.total_tax]).toEqual(['SEK', '550.00', '110.00']);

    // Fortnox, read through its own API with a token of the company's (the connector shares its 25 / 5 s window).
    const { access_token } = await exchangeCode(fortnox, fortnox.control.authorizationCode(company.tenantId));
    const api = async <T>(path: string): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${fortnox.url}${path}`, { headers: { Authorization: `Bearer ${access_token}` } });
        if (res.status === 429 && attempt < 8) {
          await sleep(700);
          continue;
        }
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      }
    };
    const invoicesWithRef = async (ref: string): Promise<FortnoxInvoice[]> => {
      const list = await api<{ Invoices: { DocumentNumber: string; ExternalInvoiceReference1: string }[] }>(`/3/invoices?externalinvoicereference1=${encodeURIComponent(ref)}`);
      const exact = list.Invoices.filter((i) => i.ExternalInvoiceReference1 === ref);
      return Promise.all(exact.map(async (i) => (await api<{ Invoice: FortnoxInvoice }>(`/3/invoices/${i.DocumentNumber}`)).Invoice));
    };
    const allInvoices = async () => (await api<{ Invoices: { DocumentNumber: string; ExternalInvoiceReference1: string }[] }>('/3/invoices')).Invoices;

    const orderRef = { tenantId, storeId: STORE_ID, orderId: String(order.id) };
    const [invoice, ...otherInvoices] = await eventually(async () => {
      const found = await invoicesWithRef(externalRefOf(orderRef));
      return found.length > 0 ? found : null;
    }, { timeoutMs: 30_000, intervalMs: 500, description: `an invoice for store order ${order.id} in Fortnox` });
    expect(otherInvoices).toEqual([]);
    expect(invoice).toMatchObject({ Total: Number(order.total), TotalVAT: Number(order.total_tax), Credit: 'false', Currency: 'SEK' });
    expect(invoice?.InvoiceRows.map((r) => [r.Description, r.DeliveredQuantity, r.VAT, r.AccountNumber, r.Total])).toEqual([
      ['Kaffekopp', '2.00', 25, 3001, 400],
      ['Postnord', '1.00', 25, 3001, 40],
    ]);

    // One cup comes back: 200.00 + 50.00 VAT, refunded to the card.
    const [line] = order.line_items;
    const [lineTax] = line?.taxes ?? [];
    const refund = await wooWrite<{ id: number; amount: string }>(`/orders/${order.id}/refunds`, {
      amount: '250.00',
      reason: 'Trasig vid leverans',
      line_items: [{ id: line?.id, quantity: 1, refund_total: '200.00', refund_tax: [{ id: lineTax?.id, refund_total: '50.00' }] }],
    });
    expect(refund.amount).toBe('250.00');

    const creditRef = externalRefOf(orderRef, `R${refund.id}`);
    const [credit, ...otherCredits] = await eventually(async () => {
      const found = await invoicesWithRef(creditRef);
      return found.length > 0 ? found : null;
    }, { timeoutMs: 30_000, intervalMs: 500, description: `a credit invoice for refund ${refund.id} in Fortnox` });
    expect(otherCredits).toEqual([]);
    expect(credit).toMatchObject({ Credit: 'true', CreditInvoiceReference: invoice?.DocumentNumber, Total: -250, TotalVAT: -50, Currency: 'SEK' });
    expect(credit?.InvoiceRows.map((r) => [r.Description, r.DeliveredQuantity, r.VAT, r.AccountNumber])).toEqual([['Kaffekopp', '-1.00', 25, 3001]]);

    // Once: after every delivery the store still had queued has been handled, the company holds these two documents only.
    await woo.control.webhooksIdle();
    await sleep(1500);
    expect((await allInvoices()).map((i) => [i.DocumentNumber, i.ExternalInvoiceReference1]).sort()).toEqual(
      [
        [invoice?.DocumentNumber, externalRefOf(orderRef)],
        [credit?.DocumentNumber, creditRef],
      ].sort(),
    );
    const log = await http(connectorUrl, 'GET', `/tenants/${tenantId}/orders/${order.id}/sync-log`);
    expect((log.body.documents as { externalRef: string; status: string }[]).map((d) => [d.externalRef, d.status]).sort()).toEqual(
      [
        [externalRefOf(orderRef), 'settled'],
        [creditRef, 'settled'],
      ].sort(),
    );
  });
});

/** Exchanges an authorization code of the sandbox company for tokens, as a Fortnox integration does. */
async function exchangeCode(sandbox: FortnoxSandbox, code: string): Promise<{ access_token: string }> {
  const res = await fetch(`${sandbox.url}/oauth-v1/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code }).toString(),
  });
  const granted = (await res.json()) as { access_token: string };
  if (res.status !== 200) throw new Error(`authorization-code exchange failed: ${res.status} ${JSON.stringify(granted)}`);
  return granted;
}
