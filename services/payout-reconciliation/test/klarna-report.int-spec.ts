/* eslint-disable @typescript-eslint/no-non-null-assertion -- tests index into fixtures and answers known to hold the element; a wrong index fails the assertion. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { payoutKey } from '@ledgerline/contracts';
import { Decimal } from '@ledgerline/money';
import { eventually } from '@ledgerline/testing';
import { startReconciliation, type Reconciliation, type TestOrder } from './payouts.harness';

// Klarna's example settlement report (two payouts: split shipment, return in a later payout, fee refund, dispute,
// rolling reserve hold and release), uploaded before the orders and invoices exist.
const csv = readFileSync(join(__dirname, 'fixtures/klarna-report.csv'), 'utf8');
const unknownAccountRow = 'K999999;KLPZZZZZ;2024-06-17T06:00:00Z;SALE;PURCHASE;10.00;EUR;0.00;0.00;9d5e6f70-8192-4a3b-8c4d-5e6f70819203;Z1;c1a0b1c2-0000-4000-8000-000000000099;;9001;9001;;;2024-06-12T18:22:41Z;2024-06-13T07:45:00Z;DE;DE;invoice;;';
const report = `${csv.trimEnd()}\n${unknownAccountRow}\n`;

describe('payout-reconciliation: Klarna settlement report', () => {
  let r: Reconciliation;
  const tenantId = 'acme';
  const order = (orderId: string, total: string, transactionId: string): TestOrder => ({ tenantId, storeId: 'de-shop', orderId, orderNumber: orderId, total, currency: 'EUR', gateway: 'klarna_payments', transactionId });
  const orders = [
    order('1301', '89.90', '5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a41'),
    order('1302', '65.00', '6a2b3c4d-5e6f-4071-9b8c-0d1e2f3a4b52'),
    order('1303', '199.00', '8c4d5e6f-7081-4293-bdae-2f3a4b5c6d74'),
    order('1295', '59.00', '7b3c4d5e-6f70-4182-ac9d-1e2f3a4b5c63'),
  ];

  const reportDir = mkdtempSync(join(tmpdir(), 'payout-reports-'));

  beforeAll(async () => {
    r = await startReconciliation('klarna', { PAYOUT_RECONCILIATION_REPORT_DIR: reportDir, PAYOUT_RECONCILIATION_REPORT_DIR_SCAN_MS: '200' });
    await r.putMapping('klarna', 'K123456', tenantId, ['klarna_payments', 'kco']);
  });
  afterAll(async () => {
    await r?.close();
    rmSync(reportDir, { recursive: true, force: true });
  });

  it('stores the report before its orders exist, lists every line that waits with its reason, and parks the unknown account\'s row', async () => {
    const up = await r.upload('klarna', report, { fileName: 'klarna-june.csv' });
    expect(up.status).toBe(200);
    expect(up.json).toMatchObject({ status: 'received', payouts: 3, linesRead: 18, linesStored: 18, refusedRows: [] });
    expect(up.json.unmapped).toEqual([
      {
        merchantAccount: 'K999999',
        lines: 1,
        message: 'No mapping for klarna merchant account "K999999": its lines are kept and wait. Add one with PUT /mappings/klarna/K999999 (tenant, ERP connection, accounts, gateways); they are matched as soon as it exists.',
      },
    ]);

    await r.admin('POST', '/reconcile');
    const exceptions = (await r.admin('GET', '/exceptions?provider=klarna')).json as Array<{ lineId: string; code: string; reason: string; merchantAccount: string }>;
    // 4 sales, 1 return and 1 reversal wait for their orders; fees and the reserve need none; one line waits for a mapping.
    expect(exceptions.filter((e) => e.code === 'ORDER_NOT_FOUND')).toHaveLength(6);
    expect(exceptions.find((e) => e.code === 'MAPPING_MISSING')).toMatchObject({ merchantAccount: 'K999999' });
    expect(exceptions.map((e) => e.reason)).toContain(
      'No order with Klarna order id 8c4d5e6f-7081-4293-bdae-2f3a4b5c6d74 or order id 1303 or order number 1303 in the stores of tenant "acme" paid with klarna_payments, kco. It is matched automatically when the order arrives; if it never will, check the gateways of mapping klarna/K123456 or resolve the line by hand.',
    );
    const waiting = (await r.admin('GET', '/payouts?provider=klarna&status=waiting')).json as Array<{ payoutId: string }>;
    expect(waiting.map((p) => p.payoutId).sort()).toEqual(['KLP4X9Q2', 'KLP7T3M8', 'KLPZZZZZ']);
  });

  it('matches the waiting lines once orders, refund and documents arrive, and books each payout to the cent with the bank payout last', async () => {
    await r.publishOrders(orders);
    // The orders alone are not enough: the lines now wait for invoices.
    await eventually(async () => {
      const ex = (await r.admin('GET', '/exceptions?provider=klarna&code=INVOICE_NOT_RECORDED')).json as unknown[];
      if (ex.length === 0) throw new Error('lines still wait for orders');
      return ex;
    });
    await r.publishRefunds([{ order: orders[0]!, refundId: '1310', amount: '29.90' }]);
    await r.publishDocuments([
      ...orders.map((o) => ({ order: o, kind: 'invoice' as const, sourceId: o.orderId, total: o.total })),
      { order: orders[0]!, kind: 'credit-invoice' as const, sourceId: '1310', total: '29.90' },
    ]);
    const booked = await eventually(
      async () => {
        const list = (await r.admin('GET', '/payouts?provider=klarna&status=booked')).json as Array<{ payoutId: string; amount: string; totals: { net: string } }>;
        if (list.length < 2) throw new Error(`${list.length} payouts booked`);
        return list;
      },
      { timeoutMs: 30_000 },
    );
    expect(booked.map((p) => [p.payoutId, p.amount]).sort()).toEqual([
      ['KLP4X9Q2', '120.31'],
      ['KLP7T3M8', '133.59'],
    ]);

    const messages = await r.bookings(12);
    const byKey = new Map<string, typeof messages>();
    for (const m of messages) byKey.set(m.key!, [...(byKey.get(m.key!) ?? []), m]);
    for (const [payoutId, amount] of [['KLP4X9Q2', '120.31'], ['KLP7T3M8', '133.59']] as const) {
      const list = byKey.get(payoutKey({ tenantId, provider: 'klarna', payoutId }))!;
      expect(list.at(-1)!.env.payload).toMatchObject({ kind: 'bank-payout', amount: { amount, currency: 'EUR' }, accounts: { clearing: '1580', counter: '1930' } });
      const sum = Decimal.sum(list.filter((m) => m.env.payload.kind !== 'bank-payout').map((m) => m.env.payload.amount.amount));
      expect(sum.toFixed(2)).toBe(amount);
    }
    const second = byKey.get(payoutKey({ tenantId, provider: 'klarna', payoutId: 'KLP7T3M8' }))!.map((m) => m.env.payload);
    expect(second.map((b) => b.kind)).toEqual(['chargeback', 'invoice-payment', 'refund', 'invoice-payment', 'reserve-release', 'fee', 'bank-payout']);
    expect(second.find((b) => b.kind === 'refund')).toMatchObject({ amount: { amount: '-29.90' }, document: { documentNumber: 'C1310', orderRef: { orderId: '1301' } } });
    expect(second.find((b) => b.kind === 'chargeback')).toMatchObject({ amount: { amount: '-59.00' }, document: { documentNumber: 'F1295' }, accounts: { counter: '6390' } });
    expect(second.find((b) => b.kind === 'fee')).toMatchObject({ amount: { amount: '-6.51' }, accounts: { counter: '6570' } });
    expect(messages).toHaveLength(12);
  });

  it('says "already received" for the same file again and books nothing twice', async () => {
    const again = await r.upload('klarna', report, { fileName: 'klarna-june-copy.csv' });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ status: 'already-received', linesStored: 0, fileName: 'klarna-june.csv' });
    expect(again.json.message).toMatch(/^Already received: these exact bytes arrived as file \d+ \("klarna-june.csv"\)/);
    // A re-export of the same payouts (different bytes, same lines) stores nothing new either.
    const reexport = await r.upload('klarna', `${report}\n`, { fileName: 'klarna-june-reexport.csv' });
    expect(reexport.json).toMatchObject({ status: 'received', linesStored: 0, linesAlreadyStored: 18 });
    await r.admin('POST', '/reconcile');
    expect(await r.bookings(13, 3_000)).toHaveLength(12);
  });

  it('books the parked account\'s payout once its mapping and order exist', async () => {
    await r.putMapping('klarna', 'K999999', 'other-tenant', ['kco']);
    const o: TestOrder = { tenantId: 'other-tenant', storeId: 'at', orderId: '9001', orderNumber: '9001', total: '10.00', currency: 'EUR', gateway: 'kco', transactionId: '9d5e6f70-8192-4a3b-8c4d-5e6f70819203' };
    await r.publishOrders([o]);
    await r.publishDocuments([{ order: o, kind: 'invoice', sourceId: '9001', total: '10.00' }]);
    const all = await eventually(
      async () => {
        const m = await r.bookings(14, 2_000);
        if (m.length < 14) throw new Error(`${m.length} bookings`);
        return m;
      },
      { timeoutMs: 30_000 },
    );
    expect(all.slice(12).map((m) => [m.key, m.env.payload.kind, m.env.payload.amount.amount])).toEqual([
      ['other-tenant:klarna:KLPZZZZZ', 'invoice-payment', '10.00'],
      ['other-tenant:klarna:KLPZZZZZ', 'bank-payout', '10.00'],
    ]);
  });

  it('reads a report dropped into the configured directory once, and keeps an unmapped account\'s lines waiting for their mapping', async () => {
    mkdirSync(join(reportDir, 'adyen'), { recursive: true });
    writeFileSync(join(reportDir, 'adyen', 'settlement_detail_report_batch_104.csv'), readFileSync(join(__dirname, 'fixtures/adyen-sdr-batch-104.csv')));
    const payouts = await eventually(async () => {
      const list = (await r.admin('GET', '/payouts?provider=adyen')).json as Array<{ payoutId: string; amount: string; lines: number; status: string; tenantId: string | null }>;
      return list.length > 0 ? list : null;
    });
    expect(payouts).toEqual([expect.objectContaining({ payoutId: '104', amount: '189.03', lines: 9, status: 'waiting', tenantId: null })]);
    const ex = (await r.admin('GET', '/exceptions?provider=adyen')).json as Array<{ code: string; reason: string }>;
    expect(ex).toHaveLength(9);
    expect(new Set(ex.map((e) => e.code))).toEqual(new Set(['MAPPING_MISSING']));
    expect(ex[0]!.reason).toMatch(/^No mapping for adyen merchant account "ShopExampleECOM"/);
  });
});
