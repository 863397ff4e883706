import { PspSandbox, type CaptureOrder, type GroundTruth, type SettleMonthOptions } from '../src';
import { contractHeader, fromMinor, getJson, parseReport, sum } from './psp-test-kit';
import { paidWooOrders, type WooSandbox } from './woo-orders';

const MONTH = '2026-10';
const OPTIONS: SettleMonthOptions = { month: MONTH, seed: 11, refunds: 100, chargebacks: 5, partialCaptures: 10, settlementCurrency: 'SEK', reservePercent: '10', reserveReleaseDays: 7 };

describe('sandbox-psp Stripe face', () => {
  let woo: WooSandbox;
  let orders: CaptureOrder[];
  let psp: PspSandbox;
  let truth: GroundTruth;
  let auth: Record<string, string>;

  beforeAll(async () => {
    ({ woo, orders } = await paidWooOrders(MONTH, 2050, 21));
    psp = await PspSandbox.start();
    psp.capture('stripe', 'acct_shop_a', orders);
    truth = psp.settleMonth('stripe', 'acct_shop_a', OPTIONS);
    auth = { authorization: `Bearer ${psp.credentials('stripe', 'acct_shop_a').secretKey}` };
  });
  afterAll(async () => {
    await psp?.close();
    await woo?.close();
  });

  /** Every item of a Stripe list, following `starting_after` until `has_more` is false. */
  async function listAll(path: string, headers = auth): Promise<any[]> {
    const items: any[] = [];
    for (let after: string | null = null; ; ) {
      const sep = path.includes('?') ? '&' : '?';
      const { status, body } = await getJson(`${psp.stripe.url}${path}${sep}limit=100${after ? `&starting_after=${after}` : ''}`, headers);
      expect(status).toBe(200);
      expect(body.object).toBe('list');
      items.push(...body.data);
      if (!body.has_more) return items;
      after = body.data[body.data.length - 1].id;
    }
  }

  it('gives each order a charge id and its payment intent, the same again when captured twice', () => {
    const again = psp.capture('stripe', 'acct_shop_a', orders.slice(0, 3));
    expect(orders.length).toBeGreaterThanOrEqual(2000);
    expect(again.map((r) => r.orderId)).toEqual(orders.slice(0, 3).map((o) => o.orderId));
    for (const r of again) expect(r.transactionId).toMatch(/^ch_3[0-9A-Za-z]{24}$/);
  });

  it('pays out balance transactions, read back page by page, whose nets sum to each payout amount', async () => {
    const payouts = await listAll('/v1/payouts');
    expect(payouts.map((p) => p.id).sort()).toEqual(truth.payouts.map((p) => p.payoutId).sort());
    const categories = new Map<string, number>();
    let converted = 0;
    for (const payout of payouts) {
      const txns = await listAll(`/v1/balance_transactions?payout=${payout.id}&expand[]=data.source`);
      const own = txns.filter((t) => t.type === 'payout');
      expect(own.map((t) => t.id)).toEqual([payout.balance_transaction]);
      const lines = txns.filter((t) => t.type !== 'payout');
      for (const t of lines) {
        expect(t.net).toBe(t.amount - t.fee);
        categories.set(t.reporting_category, (categories.get(t.reporting_category) ?? 0) + 1);
        if (t.reporting_category === 'charge') {
          expect(t.source.object).toBe('charge');
          expect(t.source.metadata.order_id).toEqual(expect.any(String));
          if (t.source.currency !== 'sek') {
            converted++;
            expect(t.exchange_rate).toEqual(expect.any(Number));
          }
        }
      }
      expect(lines.reduce((a, t) => a + t.net, 0)).toBe(payout.amount);
      expect(fromMinor(payout.amount).toFixed(2)).toBe(truth.payouts.find((p) => p.payoutId === payout.id)?.amount);
    }
    expect(categories.get('refund')).toBe(100);
    expect(categories.get('dispute')).toBe(5);
    expect(categories.get('dispute_reversal')).toBe(1);
    expect(categories.get('partial_capture_reversal')).toBe(10);
    expect(categories.get('charge')).toBe(orders.length);
    expect(categories.get('risk_reserved_funds')).toBeGreaterThan(10);
    expect(converted).toBeGreaterThan(100);
  });

  it('books each refund in a later payout than its charge, linked through source.charge and metadata.order_id', async () => {
    const txns = await listAll('/v1/balance_transactions?type=refund&expand[]=data.source');
    const refunds = txns.filter((t) => t.reporting_category === 'refund');
    expect(refunds).toHaveLength(100);
    const payoutOf = new Map(truth.payouts.flatMap((p) => p.lines.map((l) => [l.lineId, p.arrivalDate] as const)));
    const chargeDate = new Map(truth.payouts.flatMap((p) => p.lines.filter((l) => l.type === 'payment').map((l) => [l.orderId, p.arrivalDate] as const)));
    for (const p of truth.payouts) for (const l of p.lines.filter((x) => x.type === 'refund' || x.type === 'chargeback')) expect(p.arrivalDate > (chargeDate.get(l.orderId) as string)).toBe(true);
    for (const r of refunds.slice(0, 10)) {
      const charge = (await getJson(`${psp.stripe.url}/v1/charges/${r.source.charge}`, auth)).body;
      expect(charge.amount_refunded).toBeGreaterThanOrEqual(r.source.amount);
      expect(orders.some((o) => o.orderId === charge.metadata.order_id)).toBe(true);
      expect((payoutOf.get(r.id) as string) > (payoutOf.get(charge.balance_transaction) as string)).toBe(true);
    }
  });

  it('writes the itemized reconciliation report with the contract header, its nets summing to the payout', () => {
    const header = contractHeader('payout_reconciliation.itemized.5.constructed.csv', ',');
    for (const p of truth.payouts) {
      const report = parseReport(psp.reportCsv('stripe', 'acct_shop_a', p.payoutId), ',');
      expect(report.header).toEqual(header);
      expect(report.rows.every((r) => r.automatic_payout_id === p.payoutId)).toBe(true);
      expect(sum(report.rows.map((r) => r.net)).toFixed(2)).toBe(p.amount);
      expect(report.rows).toHaveLength(p.lines.length);
    }
  });

  it('pages payouts newest first with starting_after and ending_before, each payout exactly once', async () => {
    const first = await getJson(`${psp.stripe.url}/v1/payouts?limit=7`, auth);
    expect(first.body.has_more).toBe(true);
    expect(first.body.data).toHaveLength(7);
    const created = first.body.data.map((p: any) => p.created);
    expect([...created].sort((a: number, b: number) => b - a)).toEqual(created);
    const second = await getJson(`${psp.stripe.url}/v1/payouts?limit=7&starting_after=${first.body.data[6].id}`, auth);
    expect(second.body.data[0].created).toBeLessThanOrEqual(created[6]);
    const back = await getJson(`${psp.stripe.url}/v1/payouts?limit=7&ending_before=${second.body.data[0].id}`, auth);
    expect(back.body.data.map((p: any) => p.id)).toEqual(first.body.data.map((p: any) => p.id));
  });

  it('filters payouts and balance transactions by created[gte|lt] and payouts by arrival_date, as the API does', async () => {
    const all = await getJson(`${psp.stripe.url}/v1/payouts?limit=100`, auth);
    const created: number[] = all.body.data.map((p: any) => p.created);
    const middle = [...created].sort((a, b) => a - b)[Math.floor(created.length / 2)] as number;

    const newer = await getJson(`${psp.stripe.url}/v1/payouts?limit=100&created%5Bgte%5D=${middle}`, auth);
    const older = await getJson(`${psp.stripe.url}/v1/payouts?limit=100&created[lt]=${middle}`, auth);
    const arrival = all.body.data[0].arrival_date as number;
    const byArrival = await getJson(`${psp.stripe.url}/v1/payouts?limit=100&arrival_date[lte]=${arrival}&arrival_date[gte]=${arrival}`, auth);
    const txns = await getJson(`${psp.stripe.url}/v1/balance_transactions?limit=100&created[gte]=${middle}`, auth);
    const badBound = await getJson(`${psp.stripe.url}/v1/payouts?created[gte]=yesterday`, auth);

    expect(newer.body.data.every((p: any) => p.created >= middle)).toBe(true);
    expect(older.body.data.every((p: any) => p.created < middle)).toBe(true);
    expect(newer.body.data.length + older.body.data.length).toBe(created.length);
    expect(byArrival.body.data.length).toBeGreaterThan(0);
    expect(byArrival.body.data.every((p: any) => p.arrival_date === arrival)).toBe(true);
    expect(txns.body.data.every((t: any) => t.created >= middle)).toBe(true);
    expect(badBound.status).toBe(400);
    expect(badBound.body.error).toMatchObject({ type: 'invalid_request_error', param: 'created[gte]', message: 'Invalid integer: yesterday' });
  });

  it('answers bad list parameters and unknown ids with Stripe errors', async () => {
    const tooMany = await getJson(`${psp.stripe.url}/v1/payouts?limit=101`, auth);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ type: 'invalid_request_error', param: 'limit' });
    const unknownParam = await getJson(`${psp.stripe.url}/v1/balance_transactions?payout_id=po_x`, auth);
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.body.error.message).toBe('Received unknown parameter: payout_id');
    const missing = await getJson(`${psp.stripe.url}/v1/payouts/po_1doesnotexist`, auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'resource_missing', param: 'id', message: "No such payout: 'po_1doesnotexist'" });
    const badCursor = await getJson(`${psp.stripe.url}/v1/payouts?starting_after=po_1nope`, auth);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.param).toBe('starting_after');
  });

  it('refuses missing and wrong keys, and keeps one account’s key out of another account', async () => {
    const none = await getJson(`${psp.stripe.url}/v1/payouts`, {});
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/You did not provide an API key/);
    const wrong = await getJson(`${psp.stripe.url}/v1/payouts`, { authorization: 'Bearer sk_test_wrongwrongwrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/^Invalid API Key provided: sk_test_\**rong$/);

    psp.capture('stripe', 'acct_shop_b', orders.slice(0, 40));
    const b = psp.settleMonth('stripe', 'acct_shop_b', { month: MONTH, seed: 1, refunds: 2, chargebacks: 0 });
    const bKey = { authorization: `Bearer ${psp.credentials('stripe', 'acct_shop_b').secretKey}` };
    expect((await listAll('/v1/payouts', bKey)).map((p) => p.id).sort()).toEqual(b.payouts.map((p) => p.payoutId).sort());
    const crossed = await getJson(`${psp.stripe.url}/v1/payouts`, { ...bKey, 'stripe-account': 'acct_shop_a' });
    expect(crossed.status).toBe(403);
    const platform = { authorization: `Bearer ${psp.credentials('stripe').secretKey}`, 'stripe-account': 'acct_shop_b' };
    expect((await listAll('/v1/payouts', platform)).length).toBe(b.payouts.length);
  });

  it('answers 429 with Retry-After once the rate limit is spent', async () => {
    psp.rateLimit('stripe', { requestsPerWindow: 3, windowMs: 60_000 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await getJson(`${psp.stripe.url}/v1/payouts?limit=1`, auth)).status);
      const limited = await getJson(`${psp.stripe.url}/v1/payouts?limit=1`, auth);
      expect(statuses).toEqual([200, 200, 200]);
      expect(limited.status).toBe(429);
      expect(limited.body.error).toMatchObject({ type: 'invalid_request_error', code: 'rate_limit' });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      psp.rateLimit('stripe', null);
    }
  });

  it('settles the same payouts, byte for byte, for the same seed and different ones for another seed', async () => {
    const twin = await PspSandbox.start();
    const other = await PspSandbox.start();
    try {
      twin.capture('stripe', 'acct_shop_a', orders);
      other.capture('stripe', 'acct_shop_a', orders);
      const again = twin.settleMonth('stripe', 'acct_shop_a', OPTIONS);
      expect(again).toEqual(truth);
      const p = truth.payouts[5].payoutId;
      expect(twin.reportCsv('stripe', 'acct_shop_a', p)).toBe(psp.reportCsv('stripe', 'acct_shop_a', p));
      const different = other.settleMonth('stripe', 'acct_shop_a', { ...OPTIONS, seed: 12 });
      const refunded = (t: GroundTruth) => t.payouts.flatMap((x) => x.lines.filter((l) => l.type === 'refund').map((l) => l.orderId)).sort();
      expect(refunded(different)).toHaveLength(100);
      expect(refunded(different)).not.toEqual(refunded(truth));
    } finally {
      await twin.close();
      await other.close();
    }
  });
});
