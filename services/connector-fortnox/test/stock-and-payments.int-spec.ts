import { randomUUID } from 'node:crypto';
import { envelope, orderKey, OrderPlaced, stockKey, Topics, withSuffix, type CanonicalOrder } from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import type { FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import { eventually, readTopic, type TestDatabase } from '@ledgerline/testing';
import { startConnector, type ConnectorUnderTest } from './connector.harness';
import { externalRefOf } from '../src/orders/invoice.mapper';
import { baseMappings, exchangeCode, orderWithOptionalBook } from './support';

describe('connector-fortnox: stock levels and invoice payments', () => {
  let c: ConnectorUnderTest;
  let sandbox: FortnoxSandbox;
  let producerDb: TestDatabase;
  let ordersTopic: string;
  let stockTopic: string;

  beforeAll(async () => {
    c = await startConnector('stock', { CONNECTOR_FORTNOX_STOCK_POLL_MS: '0' });
    ({ sandbox, producerDb } = c);
    ordersTopic = c.ordersTopic;
    stockTopic = withSuffix(Topics.erpStockLevels, c.suffix);
  });
  afterAll(async () => c?.close());

  const call = (method: string, path: string, body?: unknown) => c.call(method, path, body);

  async function connectTenant(registerPayment: boolean) {
    const { tenantId: fortnoxTenantId, authorizationCode } = sandbox.control.createTenant(`Shop ${randomUUID().slice(0, 6)}`);
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    expect((await call('POST', '/connections', { tenantId, authorizationCode })).status).toBe(201);
    const mappings = baseMappings(true);
    mappings.paymentMethods.stripe = { modeOfPayment: 'KORT', registerPayment, modeOfPaymentAccount: 1580 };
    expect((await call('PUT', `/tenants/${tenantId}/mappings`, mappings)).status).toBe(200);
    const { access_token } = await exchangeCode(sandbox, sandbox.control.authorizationCode(fortnoxTenantId));
    const api = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${access_token}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    return { tenantId, fortnoxTenantId, api };
  }

  it('emits stock-level.changed for new and changed Fortnox stock balances only, negative stock as "0"', async () => {
    const t = await connectTenant(false);
    expect((await call('POST', '/tenants/nobody/stock/poll')).status).toBe(404);
    sandbox.state.setStock(t.fortnoxTenantId, { itemId: 'MUG-1', inStock: 12, availableStock: 10 });
    sandbox.state.setStock(t.fortnoxTenantId, { itemId: 'MUG-1', inStock: 3, stockPointCode: 'STHLM' });
    sandbox.state.setStock(t.fortnoxTenantId, { itemId: 'BOOK-1', inStock: -2 });

    expect(await call('POST', `/tenants/${t.tenantId}/stock/poll`)).toEqual({ status: 200, body: { tenantId: t.tenantId, read: 3, changed: 3, clampedNegative: 1 } });
    const first = await readTopic(stockTopic, { expected: 3 });
    const view = (m: { key: string | null; value: string }) => {
      const env = JSON.parse(m.value) as { type: string; storeId: null; payload: { sku: string; warehouseCode: string; quantity: string } & Record<string, unknown> };
      return { key: m.key, type: env.type, storeId: env.storeId, ...env.payload };
    };
    expect(first.map(view).sort((a, b) => `${a.sku}${a.warehouseCode}`.localeCompare(`${b.sku}${b.warehouseCode}`))).toEqual([
      expect.objectContaining({ key: stockKey(t.tenantId, 'BOOK-1'), type: 'stock-level.changed', storeId: null, sku: 'BOOK-1', warehouseCode: 'MAIN', quantity: '0', reserved: '0', erp: 'fortnox', erpConnectionId: `fortnox-${t.tenantId}` }),
      expect.objectContaining({ key: stockKey(t.tenantId, 'MUG-1'), sku: 'MUG-1', warehouseCode: 'MAIN', quantity: '12', reserved: '2' }),
      expect.objectContaining({ key: stockKey(t.tenantId, 'MUG-1'), sku: 'MUG-1', warehouseCode: 'STHLM', quantity: '3', reserved: '0' }),
    ]);

    // Unchanged levels emit nothing.
    expect((await call('POST', `/tenants/${t.tenantId}/stock/poll`)).body).toMatchObject({ read: 3, changed: 0 });
    sandbox.state.setStock(t.fortnoxTenantId, { itemId: 'MUG-1', inStock: 7, stockPointCode: 'STHLM' });
    expect((await call('POST', `/tenants/${t.tenantId}/stock/poll`)).body).toMatchObject({ read: 3, changed: 1 });
    const all = await readTopic(stockTopic, { expected: 4 });
    expect(all).toHaveLength(4);
    expect(all.map(view).filter((e) => e.quantity === '7')).toEqual([expect.objectContaining({ sku: 'MUG-1', warehouseCode: 'STHLM', quantity: '7' })]);
  });

  async function publish(order: CanonicalOrder): Promise<void> {
    const ref = order.orderRef;
    await withTransaction(producerDb.pool, (tx) =>
      new OutboxWriter(producerDb.schema).append(tx, envelope.of(new OrderPlaced({ order }), { tenantId: ref.tenantId, storeId: ref.storeId }), { topic: ordersTopic, key: orderKey(ref) }),
    );
  }

  const settled = (tenantId: string, orderId: string, kind: string) =>
    eventually(
      async () => {
        const r = await call('GET', `/tenants/${tenantId}/orders/${orderId}/sync-log`);
        const docs = r.body.documents as { documentKind: string; status: string; documentNumber: string }[];
        return docs.find((d) => d.documentKind === kind && d.status === 'settled') ? docs : null;
      },
      { timeoutMs: 30_000, description: `the ${kind} of order ${orderId} is settled` },
    );

  it('registers one invoice payment for a paid order when the tenant wants it (booking the invoice), and none for an unpaid one', async () => {
    const t = await connectTenant(true);
    const paid = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '5001', orderNumber: '5001' }, false);
    paid.paidAt = '2026-11-25T23:30:00.000Z';
    const unpaid = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '5002', orderNumber: '5002' }, false);
    await publish(paid);
    await publish(unpaid);

    const docs = await settled(t.tenantId, '5001', 'payment');
    const invoiceNumber = docs.find((d) => d.documentKind === 'invoice')?.documentNumber as string;
    const { Invoice: invoice } = await t.api<{ Invoice: { Booked: boolean; Balance: number; Total: number; ExternalInvoiceReference1: string } }>(`/3/invoices/${invoiceNumber}`);
    expect(invoice).toMatchObject({ Booked: true, Balance: 0, Total: 249, ExternalInvoiceReference1: externalRefOf(paid.orderRef) });
    const { InvoicePayments: payments } = await t.api<{ InvoicePayments: { InvoiceNumber: number; Amount: number }[] }>(`/3/invoicepayments?invoicenumber=${invoiceNumber}`);
    expect(payments).toHaveLength(1);
    const paymentNumber = docs.find((d) => d.documentKind === 'payment')?.documentNumber as string;
    const { InvoicePayment: payment } = await t.api<{ InvoicePayment: Record<string, unknown> }>(`/3/invoicepayments/${paymentNumber}`);
    // Paid just before midnight UTC = 26 November in Stockholm.
    expect(payment).toMatchObject({ InvoiceNumber: Number(invoiceNumber), Amount: 249, PaymentDate: '2026-11-26', ModeOfPayment: 'KORT', ModeOfPaymentAccount: 1580 });

    const unpaidDocs = await settled(t.tenantId, '5002', 'invoice');
    expect(unpaidDocs.map((d) => d.documentKind)).toEqual(['invoice']);
    const unpaidNumber = unpaidDocs[0]?.documentNumber as string;
    expect((await t.api<{ InvoicePayments: unknown[] }>(`/3/invoicepayments?invoicenumber=${unpaidNumber}`)).InvoicePayments).toEqual([]);
    expect((await t.api<{ Invoice: { Booked: boolean; Balance: number } }>(`/3/invoices/${unpaidNumber}`)).Invoice).toMatchObject({ Booked: false, Balance: 249 });
  });
});
