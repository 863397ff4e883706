/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-non-null-assertion -- fixtures and admin answers are known to hold these elements; admin JSON is read field by field in assertions. */
// A month of one provider's traffic from sandbox-psp, reconciled end to end: the settlements arrive first (poll or
// Adyen notification), then the orders, refunds and ERP documents as store-gateway and the connector would emit them.
import { Decimal } from '@ledgerline/money';
import { PspSandbox, type GroundTruth, type Provider } from '@ledgerline/sandbox-psp';
import { eventually } from '@ledgerline/testing';
import { startReconciliation, type Reconciliation, type TestOrder } from './payouts.harness';

export const MONTH = '2026-10';
export const ORDERS = 2050;

const ACCOUNTS: Record<Provider, string> = { stripe: 'acct_month', klarna: 'K777001', adyen: 'ShopMonthECOM' };
const GATEWAYS: Record<Provider, string[]> = { stripe: ['stripe', 'stripe_cc'], klarna: ['klarna_payments', 'kco'], adyen: ['adyen_*'] };

/** Orders of a month: mostly EUR, every seventh in SEK (settled in EUR at the sandbox's daily rate). */
export function monthOrders(provider: Provider, tenantId: string): TestOrder[] {
  return Array.from({ length: ORDERS }, (_, i) => ({
    tenantId,
    storeId: 'shop',
    orderId: String(5000 + i),
    orderNumber: String(5000 + i),
    total: i % 7 === 0 ? `${100 + (i % 400)}.${String((i * 13) % 100).padStart(2, '0')}` : `${10 + (i % 180)}.${String((i * 29) % 100).padStart(2, '0')}`,
    currency: i % 7 === 0 ? 'SEK' : 'EUR',
    gateway: GATEWAYS[provider][i % GATEWAYS[provider].length]!.replace('*', 'scheme'),
    transactionId: null,
  }));
}

export interface MonthRun {
  r: Reconciliation;
  psp: PspSandbox;
  account: string;
  tenantId: string;
  orders: TestOrder[];
  truth: GroundTruth;
  close(): Promise<void>;
}

/** Starts the service and the sandbox, captures and settles the month, and delivers the settlements (nothing else yet). */
export async function startMonth(provider: Provider): Promise<MonthRun> {
  const psp = await PspSandbox.start();
  const r = await startReconciliation(`month_${provider}`, {
    STRIPE_API_BASE_URL: psp.stripe.url,
    KLARNA_API_BASE_URL: psp.klarna.url,
    ADYEN_REPORT_BASE_URL: `${psp.adyen.url}/reports/download`,
    PAYOUT_RECONCILIATION_POLL_LOOKBACK_DAYS: '400',
    // Thousands of order and document events arrive at once; one pass per second keeps up without re-matching per event.
    PAYOUT_RECONCILIATION_MATCH_DEBOUNCE_MS: '1000',
  });
  const tenantId = `t-${provider}`;
  const account = ACCOUNTS[provider];
  const orders = monthOrders(provider, tenantId);
  const captured = psp.capture(
    provider,
    account,
    orders.map((o, i) => ({ orderId: o.orderId, orderNumber: o.orderNumber, total: o.total, currency: o.currency, paidAt: `${MONTH}-${String(1 + (i % 28)).padStart(2, '0')}T${String(8 + (i % 12)).padStart(2, '0')}:00:00Z` })),
  );
  const txn = new Map(captured.map((c) => [c.orderId, c.transactionId]));
  for (const o of orders) o.transactionId = txn.get(o.orderId) ?? null;

  const c = psp.credentials(provider, account) as unknown as Record<string, string>;
  const credentials: Record<string, string> =
    provider === 'stripe'
      ? { secretKey: c['secretKey']! }
      : provider === 'klarna'
        ? { username: c['username']!, password: c['password']! }
        : { username: c['reportUsername']!, password: c['reportPassword']!, hmacKey: c['hmacKey']! };
  await r.putMapping(provider, account, tenantId, GATEWAYS[provider], credentials);
  if (provider === 'adyen') psp.adyen.notifyTo(`${r.base}/webhooks/adyen`);
  const truth = psp.settleMonth(provider, account, { month: MONTH, seed: 7, refunds: 100, chargebacks: 5, partialCaptures: 10, settlementCurrency: 'EUR', reservePercent: '10', reserveReleaseDays: 7 });
  return {
    r,
    psp,
    account,
    tenantId,
    orders,
    truth,
    close: async () => {
      await r.close();
      await psp.close();
    },
  };
}

/** Brings the month's settlements in through the provider's own channel and waits until every payout is stored. */
export async function deliverSettlements(m: MonthRun, provider: Provider): Promise<void> {
  if (provider === 'adyen') {
    await m.psp.adyen.flushNotifications();
    expect(m.psp.adyen.deliveries.every((d) => d.status === 200)).toBe(true);
  } else {
    const poll = await m.r.admin('POST', `/poll/${provider}`, {});
    expect(poll.status).toBe(200);
    expect(poll.json).toEqual([expect.objectContaining({ merchantAccount: m.account, payoutsStored: m.truth.payouts.length })]);
    expect(poll.json[0].error).toBeUndefined();
  }
  await eventually(
    async () => {
      const list = (await m.r.admin('GET', `/payouts?provider=${provider}&limit=5000`)).json as unknown[];
      if (list.length < m.truth.payouts.length) throw new Error(`${list.length} of ${m.truth.payouts.length} payouts stored`);
      return true;
    },
    { timeoutMs: 30_000 },
  );
}

/** Publishes the month's orders, refunds and ERP documents (invoice per order, credit invoice per refund). */
export async function publishSources(m: MonthRun): Promise<{ refunds: number }> {
  const byId = new Map(m.orders.map((o) => [o.orderId, o]));
  const refunds: Array<{ order: TestOrder; refundId: string; amount: string }> = [];
  let n = 0;
  for (const p of m.truth.payouts) {
    for (const l of p.lines) {
      if (l.type !== 'refund' || !l.orderId) continue;
      const order = byId.get(l.orderId)!;
      // What the customer got back, in the order's currency: the presentment amount when the line was converted.
      const amount = l.presentmentAmount && l.presentmentCurrency === order.currency ? Decimal.of(l.presentmentAmount).abs() : Decimal.of(l.gross).abs();
      refunds.push({ order, refundId: String(900000 + n++), amount: amount.toFixed(2) });
    }
  }
  await m.r.publishOrders(m.orders);
  await m.r.publishRefunds(refunds);
  await m.r.publishDocuments([
    ...m.orders.map((o) => ({ order: o, kind: 'invoice' as const, sourceId: o.orderId, total: o.total })),
    ...refunds.map((x) => ({ order: x.order, kind: 'credit-invoice' as const, sourceId: x.refundId, total: x.amount })),
  ]);
  return { refunds: refunds.length };
}

/** Waits until every payout is booked; returns the bookings read back from Kafka, grouped by message key. */
export async function bookedMonth(m: MonthRun, provider: Provider): Promise<{ total: number; byKey: Map<string, any[]> }> {
  await eventually(
    async () => {
      const booked = (await m.r.admin('GET', `/payouts?provider=${provider}&status=booked&limit=5000`)).json as unknown[];
      if (booked.length < m.truth.payouts.length) {
        const ex = (await m.r.admin('GET', `/exceptions?provider=${provider}&limit=3`)).json as Array<{ code: string; reason: string }>;
        throw new Error(`${booked.length} of ${m.truth.payouts.length} payouts booked; first exceptions: ${JSON.stringify(ex)}`);
      }
      return true;
    },
    { timeoutMs: 150_000, intervalMs: 1_000 },
  );
  const { rows } = await m.r.db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${m.r.db.schema}".outbox_messages`);
  const total = Number(rows[0]!.n);
  const messages = await m.r.bookings(total, 30_000);
  const byKey = new Map<string, any[]>();
  for (const msg of messages) byKey.set(msg.key!, [...(byKey.get(msg.key!) ?? []), msg.env.payload]);
  return { total: messages.length, byKey };
}
