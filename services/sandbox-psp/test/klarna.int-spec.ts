import { PspSandbox, type CaptureOrder, type GroundTruth, type SettleMonthOptions } from '../src';
import { basic, contractHeader, fromMinor, getJson, getText, parseReport, sum } from './psp-test-kit';
import { paidWooOrders, type WooSandbox } from './woo-orders';

const MONTH = '2026-10';
const MERCHANT = 'K123456';
const OPTIONS: SettleMonthOptions = { month: MONTH, seed: 5, refunds: 100, chargebacks: 5, partialCaptures: 10, settlementCurrency: 'EUR', reservePercent: '10', reserveReleaseDays: 14 };

/** The documented settlement formula (SETTLEMENTS.md), over a payout's `totals`. */
function formula(t: Record<string, number>): number {
  return t.sale_amount - t.return_amount - t.reversal_amount - t.fee_amount + t.fee_correction_amount + t.commission_amount - t.tax_amount - t.charge_amount + t.credit_amount - t.repay_amount - t.holdback_amount + t.release_amount + t.fee_refund_amount;
}

/** Signed contribution of a transaction by its type (amounts are magnitudes). */
const SIGN: Record<string, number> = { SALE: 1, FEE: -1, RETURN: -1, FEE_REFUND: 1, REVERSAL: -1, REVERSAL_MERCHANT_PROTECTION: 1, HOLDBACK: -1, RELEASE: 1 };

describe('sandbox-psp Klarna face', () => {
  let woo: WooSandbox;
  let orders: CaptureOrder[];
  let psp: PspSandbox;
  let truth: GroundTruth;
  let auth: Record<string, string>;
  let api: string;

  beforeAll(async () => {
    ({ woo, orders } = await paidWooOrders(MONTH, 2000, 21));
    psp = await PspSandbox.start();
    api = `${psp.klarna.url}/settlements/v1`;
    psp.capture('klarna', MERCHANT, orders);
    truth = psp.settleMonth('klarna', MERCHANT, OPTIONS);
    const c = psp.credentials('klarna', MERCHANT);
    auth = { authorization: basic(c.username, c.password) };
  });
  afterAll(async () => {
    await psp?.close();
    await woo?.close();
  });

  it('gives each order a Klarna order id (UUID)', () => {
    const ids = psp.capture('klarna', MERCHANT, orders.slice(0, 5));
    for (const r of ids) expect(r.transactionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lists payouts whose totals follow the settlement formula and whose transactions, read by offset and size, add up to them', async () => {
    const list = await getJson(`${api}/payouts?start_date=2026-10-01T00:00:00Z&end_date=2026-12-31T23:59:59Z&size=500`, auth);
    expect(list.status).toBe(200);
    expect(list.body.pagination).toMatchObject({ total: truth.payouts.length, count: truth.payouts.length, offset: 0 });
    const types = new Map<string, number>();
    const orderRefs = new Set<string>();
    for (const payout of list.body.payouts) {
      expect(formula(payout.totals)).toBe(payout.totals.settlement_amount);
      const txns: any[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = await getJson(`${api}/transactions?payment_reference=${payout.payment_reference}&size=500&offset=${offset}`, auth);
        expect(page.status).toBe(200);
        txns.push(...page.body.transactions);
        if (!page.body.pagination.next) break;
      }
      expect(txns).toHaveLength(truth.payouts.find((p) => p.payoutId === payout.payment_reference)?.lines.length as number);
      const byType = (type: string) => txns.filter((t) => t.type === type).reduce((a, t) => a + t.amount, 0);
      expect(byType('SALE')).toBe(payout.totals.sale_amount);
      expect(byType('FEE')).toBe(payout.totals.fee_amount);
      expect(byType('RETURN')).toBe(payout.totals.return_amount);
      expect(byType('REVERSAL') - byType('REVERSAL_MERCHANT_PROTECTION')).toBe(payout.totals.reversal_amount);
      expect(byType('HOLDBACK')).toBe(payout.totals.holdback_amount);
      expect(byType('RELEASE')).toBe(payout.totals.release_amount);
      expect(txns.reduce((a, t) => a + SIGN[t.type] * t.amount, 0)).toBe(payout.totals.settlement_amount);
      expect(fromMinor(payout.totals.settlement_amount).toFixed(2)).toBe(truth.payouts.find((p) => p.payoutId === payout.payment_reference)?.amount);
      for (const t of txns) {
        types.set(`${t.type}/${t.detailed_type}`, (types.get(`${t.type}/${t.detailed_type}`) ?? 0) + 1);
        if (t.type === 'SALE') orderRefs.add(`${t.merchant_reference1}|${t.order_id}`);
      }
    }
    expect(types.get('RETURN/PURCHASE_RETURN')).toBe(100);
    expect(types.get('REVERSAL/REVERSAL')).toBe(5);
    expect(types.get('REVERSAL_MERCHANT_PROTECTION/CORRECTION_DISPUTE')).toBe(1);
    expect(types.get('SALE/PURCHASE')).toBe(orders.length + 10);
    expect(types.get('HOLDBACK/ROLLING_RESERVE')).toBe(types.get('RELEASE/ROLLING_RESERVE'));
    const ids = new Map(psp.capture('klarna', MERCHANT, orders).map((r) => [r.orderId, r.transactionId]));
    for (const o of orders.slice(0, 50)) expect(orderRefs.has(`${o.orderNumber}|${ids.get(o.orderId)}`)).toBe(true);
  });

  it('serves the payout CSV report with the contract header, its signed amounts summing to the settlement amount', async () => {
    const header = contractHeader('settlement-report.constructed.csv', ';');
    for (const p of truth.payouts) {
      const res = await getText(`${api}/reports/payout-with-transactions?payment_reference=${p.payoutId}`, auth);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.text).toBe(psp.reportCsv('klarna', MERCHANT, p.payoutId));
      const report = parseReport(res.text, ';');
      expect(report.header).toEqual(header);
      const signed = report.rows.map((r) => (SIGN[r.type] === 1 ? r.amount : `-${r.amount}`));
      expect(sum(signed).toFixed(2)).toBe(p.amount);
    }
  });

  it('pages with offset and size and links next and prev, refusing a size over 500', async () => {
    const ref = truth.payouts[1].payoutId;
    const first = await getJson(`${api}/transactions?payment_reference=${ref}&size=50`, auth);
    expect(first.body.transactions).toHaveLength(50);
    expect(first.body.pagination.next).toBe(`${api}/transactions?payment_reference=${ref}&size=50&offset=50`);
    const next = await getJson(first.body.pagination.next, auth);
    expect(next.body.pagination.offset).toBe(50);
    expect(next.body.pagination.prev).toBe(`${api}/transactions?payment_reference=${ref}&size=50&offset=0`);
    expect(next.body.transactions[0]).not.toEqual(first.body.transactions[0]);
    const tooBig = await getJson(`${api}/transactions?payment_reference=${ref}&size=501`, auth);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body).toEqual({ error_code: 'BAD_VALUE', error_messages: ['size must be an integer from 1 to 500, got 501'], correlation_id: expect.any(String) });
    const missing = await getJson(`${api}/payouts/NOPE1234`, auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('NOT_FOUND');
  });

  it('filters transactions by Klarna order id across payouts', async () => {
    const chargedBack = truth.payouts.flatMap((p) => p.lines).find((l) => l.type === 'chargeback');
    const res = await getJson(`${api}/transactions?order_id=${chargedBack?.transactionId}&size=100`, auth);
    expect(res.body.transactions.map((t: any) => t.type)).toEqual(expect.arrayContaining(['SALE', 'FEE', 'REVERSAL']));
    expect(res.body.transactions.every((t: any) => t.order_id === chargedBack?.transactionId)).toBe(true);
  });

  it('refuses requests without valid basic auth in Klarna’s error format', async () => {
    const none = await getJson(`${api}/payouts`, {});
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error_code: 'UNAUTHORIZED', correlation_id: expect.any(String) });
    const wrong = await getJson(`${api}/payouts`, { authorization: basic(psp.credentials('klarna', MERCHANT).username, 'wrong') });
    expect(wrong.status).toBe(401);
  });

  it('answers 429 in Klarna’s error format once the rate limit is spent', async () => {
    psp.rateLimit('klarna', { requestsPerWindow: 2, windowMs: 60_000 });
    try {
      expect((await getJson(`${api}/payouts?size=1`, auth)).status).toBe(200);
      expect((await getJson(`${api}/payouts?size=1`, auth)).status).toBe(200);
      const limited = await getJson(`${api}/payouts?size=1`, auth);
      expect(limited.status).toBe(429);
      expect(limited.body.error_code).toBe('TOO_MANY_REQUESTS');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      psp.rateLimit('klarna', null);
    }
  });

  it('settles identically for the same seed', async () => {
    const twin = await PspSandbox.start();
    try {
      twin.capture('klarna', MERCHANT, orders);
      expect(twin.settleMonth('klarna', MERCHANT, OPTIONS)).toEqual(truth);
      expect(twin.reportCsv('klarna', MERCHANT, truth.payouts[0].payoutId)).toBe(psp.reportCsv('klarna', MERCHANT, truth.payouts[0].payoutId));
    } finally {
      await twin.close();
    }
  });

  it('injects duplicate, malformed and unknown-merchant rows into the report when asked', () => {
    const ref = truth.payouts[0].payoutId;
    const clean = parseReport(psp.reportCsv('klarna', MERCHANT, ref), ';').rows.length;
    psp.faults('klarna', { duplicateReport: true, malformedRow: true, unknownMerchantAccountRow: true });
    try {
      const lines = psp.reportCsv('klarna', MERCHANT, ref).trimEnd().split('\n');
      expect(lines).toHaveLength(1 + clean * 2 + 2);
      expect(lines.some((l) => l.startsWith('UnknownMerchantAccount_404;'))).toBe(true);
      expect(lines.some((l) => l.split(';').length === 23 && l.includes(';12,3O;'))).toBe(true);
    } finally {
      psp.faults('klarna', {});
    }
  });
});
