import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { envelope, orderKey, OrderCancelled, OrderPlaced, OrderRefunded, type CanonicalOrder } from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import type { FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import { eventually, readTopic, type TestDatabase } from '@ledgerline/testing';
import { startConnector, type ConnectorUnderTest } from './connector.harness';
import { externalRefOf } from '../src/orders/invoice.mapper';
import { baseMappings, exchangeCode, mixedRateOrder, orderWithOptionalBook } from './support';

interface FortnoxInvoice {
  DocumentNumber: string;
  ExternalInvoiceReference1: string;
  Total: number;
  TotalVAT: number;
  Net: number;
  RoundOff: number;
  Credit: string;
  CreditInvoiceReference: string;
  VATIncluded: boolean;
  InvoiceRows: { ArticleNumber?: string; Description: string; VAT: number; AccountNumber: number; Total: number; DeliveredQuantity: string; Price: number }[];
}

describe('connector-fortnox: store orders become Fortnox invoices', () => {
  let c: ConnectorUnderTest;
  let sandbox: FortnoxSandbox;
  let producerDb: TestDatabase;
  let topic: string;
  const writer = () => new OutboxWriter(producerDb.schema);

  beforeAll(async () => {
    c = await startConnector('orders');
    ({ sandbox, producerDb } = c);
    topic = c.ordersTopic;
  });
  afterAll(async () => c?.close());

  const call = (method: string, path: string, body?: unknown) => c.call(method, path, body);

  /** A tenant with its own Fortnox company, connected through POST /connections and mapped through PUT mappings. */
  async function connectTenant(withSix: boolean) {
    const { tenantId: fortnoxTenantId, authorizationCode } = sandbox.control.createTenant(`Shop ${randomUUID().slice(0, 6)}`);
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    expect(await call('POST', '/connections', { tenantId, authorizationCode })).toEqual({ status: 201, body: { tenantId, connectionId: `fortnox-${tenantId}` } });
    expect((await call('PUT', `/tenants/${tenantId}/mappings`, baseMappings(withSix))).status).toBe(200);
    // The test reads Fortnox through its API with a token of its own.
    const { access_token } = await exchangeCode(sandbox, sandbox.control.authorizationCode(fortnoxTenantId));
    // The test's reads share the company's rate window (25 / 5 s) with the connector: wait out a 429 like a client would.
    const api = async <T>(path: string): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${access_token}` } });
        if (res.status === 429 && attempt < 5) {
          await sleep(1000);
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
    const createArticle = async (ArticleNumber: string, Description: string) => {
      const res = await fetch(`${sandbox.url}/3/articles`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ Article: { ArticleNumber, Description } }),
      });
      expect(res.status).toBe(201);
    };
    const bookkeep = async (documentNumber: string) => {
      const res = await fetch(`${sandbox.url}/3/invoices/${documentNumber}/bookkeep`, { method: 'PUT', headers: { Authorization: `Bearer ${access_token}` } });
      expect(res.status).toBe(200);
    };
    const invoice = async (documentNumber: string) => (await api<{ Invoice: FortnoxInvoice & { Cancelled: boolean } }>(`/3/invoices/${documentNumber}`)).Invoice;
    return { tenantId, fortnoxTenantId, invoicesWithRef, createArticle, bookkeep, invoice };
  }

  async function publish(event: OrderPlaced | OrderRefunded | OrderCancelled, ref: CanonicalOrder['orderRef']): Promise<void> {
    await withTransaction(producerDb.pool, (tx) => writer().append(tx, envelope.of(event, { tenantId: ref.tenantId, storeId: ref.storeId }), { topic, key: orderKey(ref) }));
  }

  /** Waits (on the sync log, not Fortnox's rate limit) until the document with `ref` is settled, then reads Fortnox. */
  const settledInvoice = async (t: { tenantId: string; invoicesWithRef(ref: string): Promise<FortnoxInvoice[]> }, ref: string) => {
    const orderId = ref.split('|')[3] as string;
    await eventually(
      async () => {
        const r = await call('GET', `/tenants/${t.tenantId}/orders/${orderId}/sync-log`);
        return (r.body.documents as { externalRef: string; status: string }[]).some((d) => d.externalRef === ref && d.status === 'settled') ? true : null;
      },
      { timeoutMs: 30_000, description: `the document with reference ${ref} is settled` },
    );
    return t.invoicesWithRef(ref);
  };

  const rowsAt = (inv: FortnoxInvoice | undefined, vat: number) => (inv?.InvoiceRows ?? []).filter((r) => r.VAT === vat).reduce((s, r) => s + Math.round(r.Total * 100), 0) / 100;

  it('turns exampleOrder from the orders topic into exactly one invoice whose total and VAT equal the store\'s', async () => {
    const t = await connectTenant(true);
    expect(await call('PUT', `/tenants/${t.tenantId}/mappings`, { taxCodes: { 'SE:25': { vat: 24, account: 30 } } })).toMatchObject({
      status: 400,
      body: { message: 'taxCodes["SE:25"].vat must be 25, 12, 6 or 0. taxCodes["SE:25"].account must be a 4-digit Fortnox account, like 3001.' },
    });
    const order = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '1234', orderNumber: '1234' }, false);
    await publish(new OrderPlaced({ order }), order.orderRef);

    const [invoice, ...others] = await settledInvoice(t, externalRefOf(order.orderRef));
    expect(others).toEqual([]);
    expect(invoice).toMatchObject({ ExternalInvoiceReference1: `LL|${t.tenantId}|nordic-shop|1234`, Total: 249, TotalVAT: 49.8, Net: 199.2, RoundOff: 0, VATIncluded: true, Credit: 'false' });
    expect(invoice?.InvoiceRows.map((r) => [r.Description, r.DeliveredQuantity, r.Price, r.VAT, r.AccountNumber, r.Total])).toEqual([
      ['Blue mug', '2.00', 100, 25, 3001, 200],
      ['Postnord', '1.00', 49, 25, 3001, 49],
    ]);

    const log = await eventually(
      async () => {
        const r = await call('GET', `/tenants/${t.tenantId}/orders/1234/sync-log`);
        return (r.body.records as unknown[]).length > 0 ? r.body : null;
      },
      { timeoutMs: 10_000, description: 'the sync log records the invoice' },
    );
    expect(log).toMatchObject({
      documents: [{ documentKind: 'invoice', status: 'settled', documentNumber: invoice?.DocumentNumber, errorCode: null }],
      records: [{ type: 'invoice.created', documentNumber: invoice?.DocumentNumber, summary: { total: 249, totalVat: 49.8, storeTotal: '249.00', difference: '0.00' } }],
    });
  });

  it('invoices order 7001 of two stores of one tenant once each, and keeps each store\'s sync log to its own documents', async () => {
    const t = await connectTenant(true);
    const nordic = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '7001', orderNumber: '7001' }, false);
    const outlet = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'outlet-shop', orderId: '7001', orderNumber: '7001' }, false);
    await publish(new OrderPlaced({ order: nordic }), nordic.orderRef);
    await publish(new OrderPlaced({ order: outlet }), outlet.orderRef);

    const [nordicInvoice, ...nordicOthers] = await settledInvoice(t, externalRefOf(nordic.orderRef));
    const [outletInvoice, ...outletOthers] = await settledInvoice(t, externalRefOf(outlet.orderRef));
    const outletLog = await call('GET', `/tenants/${t.tenantId}/orders/7001/sync-log?storeId=outlet-shop`);

    expect([nordicOthers, outletOthers]).toEqual([[], []]);
    expect(nordicInvoice?.DocumentNumber).not.toBe(outletInvoice?.DocumentNumber);
    expect([nordicInvoice?.ExternalInvoiceReference1, outletInvoice?.ExternalInvoiceReference1]).toEqual([`LL|${t.tenantId}|nordic-shop|7001`, `LL|${t.tenantId}|outlet-shop|7001`]);
    expect(outletLog.body.documents).toEqual([expect.objectContaining({ documentKind: 'invoice', status: 'settled', documentNumber: outletInvoice?.DocumentNumber })]);
  });

  it('books a net-priced order with 25, 12 and 6 % rows, a coupon, a fee and shipping to the cent, and credits a partial line refund against it', async () => {
    const t = await connectTenant(true);
    const order = mixedRateOrder({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '2001', orderNumber: 'WC-2001' });
    await t.createArticle('SHIRT-1', 'Tröja');
    await publish(new OrderPlaced({ order }), order.orderRef);

    const [invoice, ...others] = await settledInvoice(t, externalRefOf(order.orderRef));
    expect(others).toEqual([]);
    expect(invoice).toMatchObject({ Total: 872, TotalVAT: 142, Net: 730, RoundOff: 0, VATIncluded: false });
    expect([rowsAt(invoice, 25), rowsAt(invoice, 12), rowsAt(invoice, 6)]).toEqual([460, 180, 90]);
    const shirt = invoice?.InvoiceRows.find((r) => r.Description === 'Tröja');
    expect(shirt).toMatchObject({ ArticleNumber: 'SHIRT-1', DeliveredQuantity: '2.00', Price: 200, Total: 360, AccountNumber: 3001 });
    // BOOK-9 is no Fortnox article: a free-text row on the mapped sales account.
    const book = invoice?.InvoiceRows.find((r) => r.Description === 'Bok');
    expect(book).toMatchObject({ VAT: 6, AccountNumber: 3003, Total: 90 });
    expect(book?.ArticleNumber ?? '').toBe('');

    // One of two shirts comes back: 180.00 + 45.00 VAT.
    const refund = new OrderRefunded({
      refundId: '77',
      orderRef: order.orderRef,
      currency: 'SEK',
      createdAt: '2026-11-26T12:00:00.000Z',
      amount: { amount: '225.00', currency: 'SEK' },
      reason: 'Fel storlek',
      amountOnly: false,
      refundedPayment: true,
      lines: [{ lineId: 'r1', orderLineId: '1', productId: '1', variationId: null, sku: 'SHIRT-1', name: 'Tröja', quantity: '1', total: { amount: '180.00', currency: 'SEK' }, totalTax: { amount: '45.00', currency: 'SEK' }, taxes: [{ rateId: '1', total: { amount: '45.00', currency: 'SEK' }, subtotal: null }] }],
      shippingLines: [],
      feeLines: [],
    });
    await publish(refund, order.orderRef);
    const [credit, ...moreCredits] = await settledInvoice(t, externalRefOf(order.orderRef, 'R77'));
    expect(moreCredits).toEqual([]);
    expect(credit).toMatchObject({ Credit: 'true', CreditInvoiceReference: invoice?.DocumentNumber, Total: -225, TotalVAT: -45 });
    expect(credit?.InvoiceRows).toEqual([expect.objectContaining({ Description: 'Tröja', DeliveredQuantity: '-1.00', Price: 180, VAT: 25, AccountNumber: 3001 })]);
  });

  it('parks an order whose tax rate has no mapping with MAPPING_TAX_CODE_MISSING, and creates exactly one invoice after the mapping is added and the order replayed', async () => {
    const t = await connectTenant(false);
    const order = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '3001', orderNumber: '3001' }, true);
    await publish(new OrderPlaced({ order }), order.orderRef);

    const parked = await eventually(
      async () => {
        const r = await call('GET', `/tenants/${t.tenantId}/orders/3001/sync-log`);
        const [doc] = r.body.documents as { status: string }[];
        return doc?.status === 'parked' ? (doc as Record<string, unknown>) : null;
      },
      { timeoutMs: 30_000, description: 'the invoice is parked' },
    );
    expect(parked).toMatchObject({ errorCode: 'MAPPING_TAX_CODE_MISSING', attempts: 0 });
    expect(parked.operatorMessage).toBe(
      `Cannot build the Fortnox invoice for order #3001 (store "nordic-shop", tenant "${t.tenantId}"): tax rate SE 6% has no Fortnox tax code in the mapping of tenant "${t.tenantId}". Add it under Mappings → Tax codes, then replay.`,
    );
    expect(await t.invoicesWithRef(externalRefOf(order.orderRef))).toEqual([]);

    expect((await call('PUT', `/tenants/${t.tenantId}/mappings`, { taxCodes: baseMappings(true).taxCodes })).status).toBe(200);
    expect((await call('POST', `/tenants/${t.tenantId}/documents/${String(parked.id)}/replay`)).status).toBe(202);

    const [invoice, ...others] = await settledInvoice(t, externalRefOf(order.orderRef));
    expect(others).toEqual([]);
    expect(invoice).toMatchObject({ Total: 338, TotalVAT: 54.84 });
    expect([rowsAt(invoice, 25), rowsAt(invoice, 6)]).toEqual([249, 89]);
  });

  it('creates exactly one invoice when Fortnox stored the create but never answered', async () => {
    const t = await connectTenant(true);
    const order = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '4001', orderNumber: '4001' }, false);
    sandbox.faults.timeoutAfterStore(1, { match: 'POST /3/invoices' });
    await publish(new OrderPlaced({ order }), order.orderRef);

    const settled = await eventually(
      async () => {
        const r = await call('GET', `/tenants/${t.tenantId}/orders/4001/sync-log`);
        const [doc] = r.body.documents as { status: string }[];
        return doc?.status === 'settled' ? (doc as Record<string, unknown>) : null;
      },
      { timeoutMs: 30_000, description: 'the invoice is settled' },
    );
    const found = await t.invoicesWithRef(externalRefOf(order.orderRef));
    expect(found).toHaveLength(1);
    expect(settled).toMatchObject({ documentNumber: found[0]?.DocumentNumber, attempts: 1, failures: 1 });
  });

  it('cancels an invoice Fortnox has not booked, and credits a booked one in full, linked to it', async () => {
    const t = await connectTenant(true);
    const unbooked = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '5001', orderNumber: '5001' }, false);
    const booked = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '5002', orderNumber: '5002' }, false);
    await publish(new OrderPlaced({ order: unbooked }), unbooked.orderRef);
    await publish(new OrderPlaced({ order: booked }), booked.orderRef);
    const [first] = await settledInvoice(t, externalRefOf(unbooked.orderRef));
    const [second] = await settledInvoice(t, externalRefOf(booked.orderRef));
    await t.bookkeep(String(second?.DocumentNumber));

    for (const o of [unbooked, booked]) {
      await publish(new OrderCancelled({ orderRef: o.orderRef, reason: 'Kunden ångrade sig', cancelledAt: '2026-11-26T13:00:00.000Z' }), o.orderRef);
    }

    await settledInvoice(t, externalRefOf(unbooked.orderRef, 'C'));
    expect((await t.invoice(String(first?.DocumentNumber))).Cancelled).toBe(true);
    expect(await t.invoicesWithRef(externalRefOf(unbooked.orderRef, 'C'))).toEqual([]);
    const [credit, ...more] = await settledInvoice(t, externalRefOf(booked.orderRef, 'C'));
    expect(more).toEqual([]);
    expect(credit).toMatchObject({ Credit: 'true', CreditInvoiceReference: second?.DocumentNumber, Total: -249, TotalVAT: -49.8 });
    expect((await t.invoice(String(second?.DocumentNumber))).Cancelled).toBe(false);
    const log = await eventually(
      async () => {
        const r = await call('GET', `/tenants/${t.tenantId}/orders/5001/sync-log`);
        return (r.body.records as unknown[]).length === 2 ? r.body : null;
      },
      { timeoutMs: 10_000, description: 'the sync log records the cancellation' },
    );
    expect((log.records as { type: string; documentNumber: string }[]).map((r) => [r.type, r.documentNumber])).toEqual([
      ['invoice.created', first?.DocumentNumber],
      ['invoice.cancelled', first?.DocumentNumber],
    ]);

    // Voiding creates no document, so only the two invoices and the full credit are announced.
    const announced = await eventually(
      async () => {
        const all = (await readTopic(c.erpDocumentsTopic, { expected: Number.MAX_SAFE_INTEGER, timeoutMs: 2_000 })).map((m) => JSON.parse(m.value) as { tenantId: string; payload: { kind: string; documentNumber: string; creditsDocumentNumber: string | null; total: { amount: string } } });
        const mine = all.filter((e) => e.tenantId === t.tenantId);
        return mine.length >= 3 ? mine : null;
      },
      { timeoutMs: 20_000, description: 'the documents of the cancelled orders are announced' },
    );
    expect(announced.map((e) => [e.payload.kind, e.payload.documentNumber, e.payload.creditsDocumentNumber, e.payload.total.amount]).sort()).toEqual(
      [
        ['invoice', first?.DocumentNumber, null, '249.00'],
        ['invoice', second?.DocumentNumber, null, '249.00'],
        ['credit-invoice', credit?.DocumentNumber, second?.DocumentNumber, '249.00'],
      ].sort(),
    );
  });

  it('announces each invoice and credit invoice once on the ERP documents stream, also when the number was found after an unanswered create', async () => {
    const t = await connectTenant(true);
    const order = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '6001', orderNumber: 'WC-6001' }, false);
    sandbox.faults.timeoutAfterStore(1, { match: 'POST /3/invoices' });
    await publish(new OrderPlaced({ order }), order.orderRef);
    const [invoice] = await settledInvoice(t, externalRefOf(order.orderRef));
    const refund = new OrderRefunded({
      refundId: '91',
      orderRef: order.orderRef,
      currency: 'SEK',
      createdAt: '2026-11-26T12:00:00.000Z',
      amount: { amount: '100.00', currency: 'SEK' },
      reason: null,
      amountOnly: false,
      refundedPayment: true,
      lines: [{ lineId: 'r1', orderLineId: order.lines[0]?.lineId as string, productId: order.lines[0]?.productId as string, variationId: null, sku: order.lines[0]?.sku ?? null, name: 'Blue mug', quantity: '1', total: { amount: '80.00', currency: 'SEK' }, totalTax: { amount: '20.00', currency: 'SEK' }, taxes: [{ rateId: order.lines[0]?.taxes[0]?.rateId as string, total: { amount: '20.00', currency: 'SEK' }, subtotal: null }] }],
      shippingLines: [],
      feeLines: [],
    });
    await publish(refund, order.orderRef);
    const [credit] = await settledInvoice(t, externalRefOf(order.orderRef, 'R91'));

    const ofTenant = async () =>
      (await readTopic(c.erpDocumentsTopic, { expected: Number.MAX_SAFE_INTEGER, timeoutMs: 2_000 }))
        .map((m) => ({ key: m.key, env: JSON.parse(m.value) as { type: string; tenantId: string; storeId: string; payload: Record<string, unknown> } }))
        .filter((m) => m.env.tenantId === t.tenantId);
    const events = await eventually(async () => ((await ofTenant()).length >= 2 ? ofTenant() : null), { timeoutMs: 20_000, description: 'two erp-document.recorded events of the tenant' });
    expect(events.map((e) => [e.key, e.env.type, e.env.storeId])).toEqual([
      [orderKey(order.orderRef), 'erp-document.recorded', 'nordic-shop'],
      [orderKey(order.orderRef), 'erp-document.recorded', 'nordic-shop'],
    ]);
    expect(events.map((e) => e.env.payload)).toEqual([
      {
        orderRef: order.orderRef,
        kind: 'invoice',
        sourceId: '6001',
        erp: 'fortnox',
        erpConnectionId: `fortnox-${t.tenantId}`,
        documentNumber: invoice?.DocumentNumber,
        creditsDocumentNumber: null,
        externalReference: externalRefOf(order.orderRef),
        total: { amount: '249.00', currency: 'SEK' },
        currency: 'SEK',
        recordedAt: expect.any(String),
      },
      {
        orderRef: order.orderRef,
        kind: 'credit-invoice',
        sourceId: '91',
        erp: 'fortnox',
        erpConnectionId: `fortnox-${t.tenantId}`,
        documentNumber: credit?.DocumentNumber,
        creditsDocumentNumber: invoice?.DocumentNumber,
        externalReference: externalRefOf(order.orderRef, 'R91'),
        total: { amount: '100.00', currency: 'SEK' },
        currency: 'SEK',
        recordedAt: expect.any(String),
      },
    ]);
  });
});
