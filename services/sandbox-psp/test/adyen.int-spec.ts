import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Decimal } from '@ledgerline/money';
import { PspSandbox, type CaptureOrder, type GroundTruth, type SettleMonthOptions } from '../src';
import { basic, contractHeader, getJson, getText, parseReport, sum } from './psp-test-kit';
import { paidWooOrders, type WooSandbox } from './woo-orders';

const MONTH = '2026-10';
const MERCHANT = 'ShopExampleECOM';
const OPTIONS: SettleMonthOptions = { month: MONTH, seed: 3, refunds: 100, chargebacks: 5, partialCaptures: 10, settlementCurrency: 'SEK', reservePercent: '5', reserveReleaseDays: 10 };

/** Adyen's documented HMAC check for a standard webhook item, written independently of the sandbox. */
function verifyHmac(item: any, hexKey: string): boolean {
  const data = [item.pspReference, item.originalReference ?? '', item.merchantAccountCode, item.merchantReference, item.amount.value, item.amount.currency, item.eventCode, item.success].join(':');
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(data).digest('base64') === item.additionalData.hmacSignature;
}

describe('sandbox-psp Adyen face', () => {
  let woo: WooSandbox;
  let orders: CaptureOrder[];
  let psp: PspSandbox;
  let truth: GroundTruth;
  let auth: Record<string, string>;
  let hook: Server;
  const received: any[] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('[accepted]');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    ({ woo, orders } = await paidWooOrders(MONTH, 2000, 44));
    psp = await PspSandbox.start();
    psp.adyen.notifyTo(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/adyen`);
    psp.capture('adyen', MERCHANT, orders);
    truth = psp.settleMonth('adyen', MERCHANT, OPTIONS);
    await psp.adyen.flushNotifications();
    const c = psp.credentials('adyen', MERCHANT);
    auth = { authorization: basic(c.reportUsername, c.reportPassword) };
  });
  afterAll(async () => {
    await psp?.close();
    await woo?.close();
    await new Promise((resolve) => hook?.close(resolve));
  });

  it('gives each order a 16-digit PSP reference', () => {
    for (const r of psp.capture('adyen', MERCHANT, orders.slice(0, 5))) expect(r.transactionId).toMatch(/^[1-9]\d{15}$/);
  });

  it('announces every batch report with a REPORT_AVAILABLE notification signed as Adyen signs them', () => {
    expect(received).toHaveLength(truth.payouts.length);
    const { hmacKey } = psp.credentials('adyen');
    for (const [i, n] of received.entries()) {
      expect(n.live).toBe('false');
      const item = n.notificationItems[0].NotificationRequestItem;
      expect(item).toMatchObject({ eventCode: 'REPORT_AVAILABLE', success: 'true', merchantAccountCode: MERCHANT, merchantReference: '' });
      expect(item.pspReference).toBe(`settlement_detail_report_batch_${truth.payouts[i].payoutId}.csv`);
      expect(item.reason).toBe(`${psp.adyen.url}/reports/download/${MERCHANT}/${item.pspReference}`);
      expect(verifyHmac(item, hmacKey)).toBe(true);
      expect(verifyHmac({ ...item, merchantAccountCode: 'Other' }, hmacKey)).toBe(false);
    }
  });

  it('serves each batch report at the notified URL: contract header, fees per row, nets equal to the MerchantPayout row', async () => {
    const header = contractHeader('settlement_detail_report_batch_104.constructed.csv', ',');
    const counts = new Map<string, number>();
    let converted = 0;
    for (const n of received) {
      const item = n.notificationItems[0].NotificationRequestItem;
      const res = await getText(item.reason, auth);
      expect(res.status).toBe(200);
      const { header: got, rows } = parseReport(res.text, ',');
      expect(got).toEqual(header);
      const payoutRows = rows.filter((r) => r.Type === 'MerchantPayout');
      expect(payoutRows).toHaveLength(1);
      expect(rows[rows.length - 1].Type).toBe('MerchantPayout');
      const others = rows.filter((r) => r.Type !== 'MerchantPayout');
      const net = sum(others.map((r) => r['Net Credit (NC)'] || '0')).sub(sum(others.map((r) => r['Net Debit (NC)'] || '0')));
      expect(net.toFixed(2)).toBe(payoutRows[0]['Net Debit (NC)']);
      const batch = truth.payouts.find((p) => item.pspReference === `settlement_detail_report_batch_${p.payoutId}.csv`);
      expect(payoutRows[0]['Net Debit (NC)']).toBe(batch?.amount);
      for (const r of others) {
        counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
        if (r.Type === 'Settled') {
          // Gross Credit × Exchange Rate − (Commission + Markup + Scheme Fees + Interchange) = Net Credit, to the cent.
          const fees = sum(['Commission (NC)', 'Markup (NC)', 'Scheme Fees (NC)', 'Interchange (NC)'].map((c) => r[c] || '0'));
          const gross = Decimal.of(r['Gross Credit (GC)']).mul(r['Exchange Rate']).round(2, 'HALF_UP');
          expect(gross.sub(fees).toFixed(2)).toBe(r['Net Credit (NC)']);
          if (r['Gross Currency'] !== r['Net Currency']) converted++;
          expect(r['Merchant Reference']).toEqual(expect.any(String));
          expect(r['Batch Number']).toBe(batch?.payoutId);
        }
      }
    }
    expect(counts.get('Refunded')).toBe(100);
    expect(counts.get('Chargeback')).toBe(5);
    expect(counts.get('ChargebackReversed')).toBe(1);
    expect(counts.get('Settled')).toBe(orders.length + 10);
    expect(counts.get('DepositCorrection')).toBeGreaterThan(10);
    expect(converted).toBeGreaterThan(100);
  });

  it('refuses bad credentials, other merchants and unknown batches in Adyen’s error format', async () => {
    const url = `${psp.adyen.url}/reports/download/${MERCHANT}/settlement_detail_report_batch_1.csv`;
    const none = await getJson(url, {});
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ status: 401, errorCode: '000', message: 'HTTP Status Response - Unauthorized', errorType: 'security' });
    psp.capture('adyen', 'OtherShopECOM', orders.slice(0, 30));
    const other = psp.credentials('adyen', 'OtherShopECOM');
    expect((await getJson(url, { authorization: basic(other.reportUsername, other.reportPassword) })).status).toBe(403);
    const unknown = await getJson(`${psp.adyen.url}/reports/download/${MERCHANT}/settlement_detail_report_batch_999.csv`, auth);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errorType).toBe('validation');
  });

  it('answers 429 once the rate limit is spent', async () => {
    psp.rateLimit('adyen', { requestsPerWindow: 1, windowMs: 60_000 });
    try {
      const url = `${psp.adyen.url}/reports/download/${MERCHANT}/settlement_detail_report_batch_1.csv`;
      expect((await getText(url, auth)).status).toBe(200);
      const limited = await getJson(url, auth);
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ status: 429 });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      psp.rateLimit('adyen', null);
    }
  });

  it('settles identically for the same seed', async () => {
    const twin = await PspSandbox.start();
    try {
      twin.capture('adyen', MERCHANT, orders);
      expect(twin.settleMonth('adyen', MERCHANT, OPTIONS)).toEqual(truth);
      expect(twin.reportCsv('adyen', MERCHANT, '3')).toBe(psp.reportCsv('adyen', MERCHANT, '3'));
    } finally {
      await twin.close();
    }
  });

  it('posts each report twice and adds bad rows under the report faults', async () => {
    const twin = await PspSandbox.start();
    const seen: string[] = [];
    const sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push(JSON.parse(body).notificationItems[0].NotificationRequestItem.pspReference);
        res.end('[accepted]');
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    try {
      twin.adyen.notifyTo(`http://127.0.0.1:${(sink.address() as AddressInfo).port}/`);
      twin.faults('adyen', { duplicateReport: true, malformedRow: true, unknownMerchantAccountRow: true });
      twin.capture('adyen', MERCHANT, orders.slice(0, 60));
      const t = twin.settleMonth('adyen', MERCHANT, { month: MONTH, seed: 1, refunds: 3, chargebacks: 1 });
      await twin.adyen.flushNotifications();
      expect(seen).toEqual(t.payouts.flatMap((p) => [`settlement_detail_report_batch_${p.payoutId}.csv`, `settlement_detail_report_batch_${p.payoutId}.csv`]));
      const lines = twin.reportCsv('adyen', MERCHANT, t.payouts[0].payoutId).trimEnd().split('\n');
      expect(lines.some((l) => l.split(',')[1] === 'UnknownMerchantAccount_404')).toBe(true);
      expect(lines.some((l) => l.includes('"12,3O"'))).toBe(true);
      expect(lines[lines.length - 1]).toMatch(/,MerchantPayout,/);
    } finally {
      await twin.close();
      await new Promise((resolve) => sink.close(resolve));
    }
  });
});
