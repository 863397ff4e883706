/* eslint-disable @typescript-eslint/no-non-null-assertion -- tests index into fixtures and answers known to hold the element; a wrong index fails the assertion. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Decimal } from '@ledgerline/money';
import { eventually } from '@ledgerline/testing';
import { adyenHmac } from '../src/ingest/ingest.service';
import { startReconciliation, type Reconciliation, type TestOrder } from './payouts.harness';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

describe('payout-reconciliation: Adyen notification and Stripe report', () => {
  let r: Reconciliation;
  let reports: Server;
  let reportBase: string;
  const sdr = fixture('adyen-sdr-batch-104.csv');

  beforeAll(async () => {
    // Adyen's report download, with report-user basic auth, as the notification's `reason` points to it.
    reports = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Basic ${Buffer.from('report@Company.ShopExampleCo:pw').toString('base64')}`) return void res.writeHead(401).end();
      if (req.url === '/reports/download/ShopExampleECOM/settlement_detail_report_batch_104.csv') return void res.writeHead(200, { 'content-type': 'text/csv' }).end(sdr);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => reports.listen(0, '127.0.0.1', resolve));
    reportBase = `http://127.0.0.1:${(reports.address() as AddressInfo).port}/reports/download`;
    r = await startReconciliation('adyen_stripe', { ADYEN_REPORT_BASE_URL: reportBase });
  });
  afterAll(async () => {
    await r?.close();
    await new Promise((resolve) => reports?.close(resolve));
  });

  const notification = (signWith: string) => {
    const item = {
      amount: { currency: 'EUR', value: 0 },
      eventCode: 'REPORT_AVAILABLE',
      eventDate: '2024-06-13T05:10:00+02:00',
      merchantAccountCode: 'ShopExampleECOM',
      merchantReference: '',
      pspReference: 'settlement_detail_report_batch_104.csv',
      reason: `${reportBase}/ShopExampleECOM/settlement_detail_report_batch_104.csv`,
      success: 'true',
    };
    return { live: 'false', notificationItems: [{ NotificationRequestItem: { ...item, additionalData: { hmacSignature: adyenHmac(item, signWith) } } }] };
  };
  const post = async (body: unknown) => {
    const res = await fetch(`${r.base}/webhooks/adyen`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };

  it('refuses mappings with every problem named, and a gateway another provider account already settles', async () => {
    const bad = await r.admin('PUT', '/mappings/adyen/ShopExampleECOM', { tenantId: 'Acme Corp', erp: 'fortnox', accounts: { clearing: '1580', fee: '' }, gateways: [], colour: 'blue' });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('MAPPING_INVALID');
    expect(bad.json.problems).toEqual([
      'tenantId must be the tenant id (lower-case letters, digits, dashes) (got "Acme Corp")',
      'erpConnectionId must be the tenant\'s ERP connection id, like "fortnox-acme" (got null)',
      'modeOfPayment must be the ERP mode of payment for invoice payments, like "STRIPE" (got null)',
      'accounts.fee must be an ERP account number like "1580" (got "")',
      'accounts.bank must be an ERP account number like "1580" (got null)',
      'accounts.reserve must be an ERP account number like "1580" (got null)',
      'accounts.chargeback must be an ERP account number like "1580" (got null)',
      'accounts.adjustment must be an ERP account number like "1580" (got null)',
      'gateways must list the WooCommerce payment_method ids this provider settles, like ["stripe", "stripe_cc"] or ["adyen_*"]',
      'colour is not a mapping field; a mapping has tenantId, erp, erpConnectionId, modeOfPayment, accounts, gateways, credentials',
    ]);
    await r.putMapping('stripe', 'acct_1', 'acme', ['stripe', 'stripe_cc']);
    await r.putMapping('adyen', 'ShopExampleECOM', 'acme', ['adyen_*'], { username: 'report@Company.ShopExampleCo', password: 'pw', hmacKey: HMAC_KEY });
    const taken = await r.admin('PUT', '/mappings/klarna/K1', { tenantId: 'acme', erp: 'fortnox', erpConnectionId: 'f', modeOfPayment: 'K', gateways: ['stripe_cc'], accounts: { clearing: '1', fee: '2', bank: '3', reserve: '4', chargeback: '5', adjustment: '6' } });
    expect(taken).toMatchObject({ status: 409, json: { code: 'MAPPING_GATEWAY_TAKEN', message: expect.stringContaining('gateway "stripe_cc" already belongs to stripe/acct_1 of tenant "acme"') } });
    const shown = await r.admin('GET', '/mappings/adyen/ShopExampleECOM');
    expect(shown.json).toMatchObject({ credentialsSet: ['hmacKey', 'password', 'username'] });
    expect(JSON.stringify(shown.json)).not.toContain('pw');
  });

  it('refuses an Adyen notification whose HMAC does not verify, and downloads the report when it does', async () => {
    const forged = await post(notification('00'.repeat(32)));
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.text)).toMatchObject({ code: 'ADYEN_HMAC_INVALID' });
    const ok = await post(notification(HMAC_KEY));
    expect(ok).toEqual({ status: 200, text: '[accepted]' });
    const payouts = await eventually(async () => {
      const list = (await r.admin('GET', '/payouts?provider=adyen')).json as Array<{ payoutId: string; amount: string; lines: number; status: string }>;
      if (list.length === 0) throw new Error('report not downloaded yet');
      return list;
    });
    expect(payouts).toEqual([expect.objectContaining({ payoutId: '104', amount: '189.03', lines: 9, status: 'waiting' })]);
    // Adyen delivering the same notification again stores nothing twice (same bytes).
    expect((await post(notification(HMAC_KEY))).status).toBe(200);
  });

  it('books the batch once its orders are known, converting the USD payment, after the operator resolves the line no order carries', async () => {
    const o = (orderId: string, psp: string, total: string, currency = 'EUR'): TestOrder => ({ tenantId: 'acme', storeId: 'eu', orderId, orderNumber: orderId, total, currency, gateway: 'adyen_cc', transactionId: psp });
    const orders = [o('1401', '8815123400001401', '120.00'), o('1402', '8815123400001402', '100.00'), o('1390', '8815123400001390', '60.00'), o('1388', '8815123400001388', '80.00'), o('1403', '8815123400001403', '100.00', 'USD')];
    await r.publishOrders(orders);
    await r.publishRefunds([{ order: orders[2]!, refundId: '555', amount: '25.00' }]);
    await r.publishDocuments([...orders.map((x) => ({ order: x, kind: 'invoice' as const, sourceId: x.orderId, total: x.total })), { order: orders[2]!, kind: 'credit-invoice' as const, sourceId: '555', total: '25.00' }]);
    // Order 1375's chargeback reversal has no order in any store: it is the only exception left.
    const left = await eventually(async () => {
      const ex = (await r.admin('GET', '/exceptions?provider=adyen')).json as Array<{ lineId: string; code: string; reason: string }>;
      if (ex.length !== 1) throw new Error(`${ex.length} exceptions`);
      return ex;
    });
    expect(left[0]).toMatchObject({ code: 'ORDER_NOT_FOUND', reason: expect.stringContaining('No order with Adyen PSP reference 8815123400001375 or order number 1375') });
    const unresolvable = await r.admin('POST', `/exceptions/adyen/${encodeURIComponent(left[0]!.lineId)}/resolve`, {});
    expect(unresolvable).toMatchObject({ status: 400, json: { code: 'RESOLUTION_NOTE_MISSING' } });
    const resolved = await r.admin('POST', `/exceptions/adyen/${encodeURIComponent(left[0]!.lineId)}/resolve`, { note: 'dispute of a 2023 order, won', account: '2999' });
    expect(resolved).toMatchObject({ status: 201, json: { status: 'resolved', account: '2999' } });

    const bookings = await eventually(async () => {
      const m = await r.bookings(10, 2_000);
      if (m.length < 10) throw new Error(`${m.length} bookings`);
      return m.map((x) => x.env.payload);
    });
    expect(bookings.map((b) => [b.kind, b.amount.amount])).toEqual([
      ['invoice-payment', '120.00'],
      ['invoice-payment', '60.00'],
      ['invoice-payment', '40.00'],
      ['refund', '-25.00'],
      ['chargeback', '-80.00'],
      ['adjustment', '45.00'],
      ['invoice-payment', '92.10'],
      ['reserve', '-50.00'],
      ['fee', '-13.07'],
      ['bank-payout', '189.03'],
    ]);
    expect(Decimal.sum(bookings.slice(0, -1).map((b) => b.amount.amount)).toFixed(2)).toBe('189.03');
    expect(bookings.find((b) => b.amount.amount === '92.10')).toMatchObject({ document: { documentNumber: 'F1403', documentAmount: { amount: '100.00', currency: 'USD' } }, description: 'Adyen payment order 1403, invoice F1403 (100.00 USD at 0.9210)' });
    expect(bookings.find((b) => b.kind === 'refund')).toMatchObject({ document: { documentNumber: 'C555' } });
    expect(bookings.find((b) => b.kind === 'adjustment')).toMatchObject({ accounts: { counter: '2999' }, description: 'Adyen chargeback-reversal resolved by hand: dispute of a 2023 order, won' });

    const ready = await fetch(`${r.base}/health/ready`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${r.base}/metrics`)).text();
    expect(metrics).toMatch(/ledgerline_payouts_bookings_emitted_total\{[^}]*provider="adyen"[^}]*kind="bank-payout"[^}]*\} 1/);
    expect(metrics).toMatch(/ledgerline_payouts_lines_ingested_total\{[^}]*provider="adyen"[^}]*outcome="stored"[^}]*\} 9/);
    expect(metrics).toContain('ledgerline_payouts_match_latency_seconds_bucket');
  });

  it('refuses a Stripe report with a bad header as a whole, naming the column', async () => {
    const res = await r.upload('stripe', fixture('stripe-itemized.csv').replace('balance_transaction_id', 'txn'), { merchantAccount: 'acct_1' });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'REPORT_REFUSED', row: 1, column: 'balance_transaction_id' });
    expect(res.json.message).toMatch(/header \(line 1\) lacks the column "balance_transaction_id"\. Nothing of the file was stored/);
    expect((await r.upload('stripe', fixture('stripe-itemized.csv'))).json).toMatchObject({ code: 'REPORT_MERCHANT_ACCOUNT_MISSING' });
  });

  it('keeps the rest of a Stripe report with a bad row, and holds that payout with the row and column named', async () => {
    const lines = fixture('stripe-itemized.csv').split('\n');
    lines[2] = lines[2]!.replace(',129.90,2.20,127.70,', ',12x.90,2.20,127.70,');
    const res = await r.upload('stripe', lines.join('\n'), { merchantAccount: 'acct_1', fileName: 'stripe-june.csv' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'received', linesStored: 8, refusedRows: [{ row: 3, column: 'gross', message: '"gross" is "12x.90", not a decimal amount like 12.50' }] });
    // Payout A's orders and invoices exist; it is still not booked, because a row of it was refused.
    const orders: TestOrder[] = [
      { tenantId: 'acme', storeId: 'eu', orderId: '1287', orderNumber: '1287', total: '54.76', currency: 'EUR', gateway: 'stripe', transactionId: 'ch_3PNa1b2C3d4E5f6G0x1y2z3A' },
      { tenantId: 'acme', storeId: 'eu', orderId: '1290', orderNumber: '1290', total: '50.00', currency: 'USD', gateway: 'stripe', transactionId: 'ch_3PNa1b2C3d4E5f6G0x1y2z3C' },
    ];
    await r.publishOrders(orders);
    await r.publishDocuments(orders.map((x) => ({ order: x, kind: 'invoice' as const, sourceId: x.orderId, total: x.total })));
    const held = await eventually(async () => {
      const ex = (await r.admin('GET', '/exceptions?provider=stripe&code=PAYOUT_ROWS_REFUSED')).json as Array<{ type: string; payoutId: string; reason: string }>;
      if (ex.length === 0) throw new Error('not held yet');
      return ex;
    });
    expect(held).toEqual([
      expect.objectContaining({
        type: 'payout',
        payoutId: 'po_1PO0aaC3d4E5f6G7PayoutA',
        reason: 'Payout po_1PO0aaC3d4E5f6G7PayoutA is incomplete: line 3 column "gross" of "stripe-june.csv" was refused ("gross" is "12x.90", not a decimal amount like 12.50). Nothing was booked; upload a corrected report.',
      }),
    ]);
    expect((await r.admin('GET', '/payouts?provider=stripe&status=booked')).json).toEqual([]);
  });
});
