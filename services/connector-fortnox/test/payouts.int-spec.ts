import { randomUUID } from 'node:crypto';
import { envelope, orderKey, OrderPlaced, OrderRefunded, payoutKey, PayoutBookingRequested, type CanonicalOrder, type EventEnvelope, type PayoutBookingKind } from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import type { FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import { eventually, type TestDatabase } from '@ledgerline/testing';
import { startConnector, type ConnectorUnderTest } from './connector.harness';
import { externalRefOfBooking } from '../src/payouts/payout-booking.mapper';
import { baseMappings, mixedRateOrder, orderWithOptionalBook } from './support';

const BOOKING_DATE = '2026-11-26';

interface BookingView {
  id: string;
  bookingId: string;
  documentKind: string;
  status: string;
  documentNumber: string | null;
  attempts: number;
  failures: number;
  errorCode: string | null;
  operatorMessage: string | null;
}

describe('connector-fortnox: payout bookings become Fortnox invoice payments and vouchers', () => {
  let c: ConnectorUnderTest;
  let sandbox: FortnoxSandbox;
  let producerDb: TestDatabase;

  beforeAll(async () => {
    c = await startConnector('payouts');
    ({ sandbox, producerDb } = c);
  });
  afterAll(async () => c?.close());

  const call = (method: string, path: string, body?: unknown) => c.call(method, path, body);

  async function connectTenant() {
    const { tenantId: fortnoxTenantId, authorizationCode } = sandbox.control.createTenant(`Shop ${randomUUID().slice(0, 6)}`);
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    expect((await call('POST', '/connections', { tenantId, authorizationCode })).status).toBe(201);
    expect((await call('PUT', `/tenants/${tenantId}/mappings`, baseMappings(true))).status).toBe(200);
    // Read Fortnox's registers from the sandbox's state, so looking uses none of the connection's rate limit.
    return { tenantId, fortnoxTenantId, company: () => sandbox.state.tenant(fortnoxTenantId) };
  }

  async function append<T extends object>(env: EventEnvelope<T>, topic: string, key: string): Promise<void> {
    await withTransaction(producerDb.pool, (tx) => new OutboxWriter(producerDb.schema).append(tx, env, { topic, key }));
  }

  const publishOrderEvent = (event: OrderPlaced | OrderRefunded, ref: CanonicalOrder['orderRef']) =>
    append(envelope.of(event, { tenantId: ref.tenantId, storeId: ref.storeId }), c.ordersTopic, orderKey(ref));

  async function publishBooking(b: PayoutBookingRequested): Promise<EventEnvelope<PayoutBookingRequested>> {
    const env = envelope.of(b, { tenantId: b.payoutRef.tenantId, storeId: null });
    await append(env, c.payoutBookingsTopic, payoutKey(b.payoutRef));
    return env;
  }

  /** Kafka delivers at least once: once the relay has sent these events, make it send the very same messages again. */
  async function redeliver(envs: EventEnvelope[]): Promise<void> {
    const ids = envs.map((e) => e.id);
    const table = `${producerDb.schema}.outbox_messages`;
    await eventually(
      async () => {
        const { rows } = await producerDb.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE event_id = ANY($1::uuid[]) AND sent_at IS NOT NULL`, [ids]);
        return Number(rows[0]?.n) === ids.length ? true : null;
      },
      { timeoutMs: 15_000, description: 'the bookings are published once' },
    );
    await producerDb.pool.query(`UPDATE ${table} SET sent_at = NULL WHERE event_id = ANY($1::uuid[])`, [ids]);
  }

  /** The settled document numbers of an order, by kind (waits until `kinds` are all settled). */
  const settledDocuments = (tenantId: string, orderId: string, kinds: string[]) =>
    eventually(
      async () => {
        const r = await call('GET', `/tenants/${tenantId}/orders/${orderId}/sync-log`);
        const docs = r.body.documents as { documentKind: string; status: string; documentNumber: string }[];
        const settled = docs.filter((d) => d.status === 'settled');
        return kinds.every((k) => settled.some((d) => d.documentKind === k)) ? Object.fromEntries(settled.map((d) => [d.documentKind, d.documentNumber])) : null;
      },
      { timeoutMs: 30_000, description: `the ${kinds.join(' and ')} of order ${orderId} are settled` },
    );

  const bookingsOf = (tenantId: string, payoutId: string) => call('GET', `/tenants/${tenantId}/payouts/${payoutId}/bookings`).then((r) => r.body as { bookings: BookingView[]; recorded: { bookingId: string }[] });

  const waitForBookings = (tenantId: string, payoutId: string, n: number, status: 'settled' | 'parked') =>
    eventually(
      async () => {
        const view = await bookingsOf(tenantId, payoutId);
        return view.bookings.length === n && view.bookings.every((b) => b.status === status) ? view : null;
      },
      { timeoutMs: 45_000, description: `${n} bookings of payout ${payoutId} are ${status}` },
    );

  function booking(tenantId: string, payoutId: string, kind: PayoutBookingKind, amount: string, extra: { counter?: string; document?: { order: CanonicalOrder; number: string }; date?: string } = {}): PayoutBookingRequested {
    return new PayoutBookingRequested({
      bookingId: `stripe:${payoutId}:${kind}:${extra.document?.number ?? extra.counter ?? 'x'}`,
      payoutRef: { tenantId, provider: 'stripe', merchantAccount: 'acct_1', payoutId },
      kind,
      amount: { amount, currency: 'SEK' },
      currency: 'SEK',
      document: extra.document ? { orderRef: extra.document.order.orderRef, documentNumber: extra.document.number, documentAmount: null } : null,
      accounts: { clearing: '1580', counter: extra.counter ?? null, modeOfPayment: extra.counter ? null : 'KORT' },
      erp: 'fortnox',
      erpConnectionId: `fortnox-${tenantId}`,
      bookingDate: extra.date ?? BOOKING_DATE,
      providerReference: `txn_${kind}`,
      description: `Stripe ${kind}, payout ${payoutId}`,
      requestedAt: '2026-11-26T09:00:00.000Z',
    });
  }

  /** Debit minus credit per account over every voucher of the company (payments' C vouchers included). */
  function ledger(company: ReturnType<FortnoxSandbox['state']['tenant']>): Map<number, number> {
    const cents = new Map<number, number>();
    for (const v of company.vouchers.values()) {
      for (const row of v.data.VoucherRows as { Account: number; Debit: number; Credit: number }[]) {
        cents.set(row.Account, (cents.get(row.Account) ?? 0) + Math.round(row.Debit * 100) - Math.round(row.Credit * 100));
      }
    }
    return new Map([...cents].map(([account, c]) => [account, c / 100]));
  }

  it("books a payout's payments, refund, fee, chargeback, reserve and bank payout once each, across unanswered creates and redelivery, and clears the clearing account", async () => {
    const t = await connectTenant();
    const small = orderWithOptionalBook({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '7001', orderNumber: '7001' }, false);
    const mixed = mixedRateOrder({ tenantId: t.tenantId, storeId: 'nordic-shop', orderId: '7002', orderNumber: 'WC-7002' });
    await publishOrderEvent(new OrderPlaced({ order: small }), small.orderRef);
    await publishOrderEvent(new OrderPlaced({ order: mixed }), mixed.orderRef);
    await publishOrderEvent(
      new OrderRefunded({
        refundId: '88',
        orderRef: mixed.orderRef,
        currency: 'SEK',
        createdAt: '2026-11-26T08:00:00.000Z',
        amount: { amount: '225.00', currency: 'SEK' },
        reason: 'Fel storlek',
        amountOnly: false,
        refundedPayment: true,
        lines: [{ lineId: 'r1', orderLineId: '1', productId: '1', variationId: null, sku: 'SHIRT-1', name: 'Tröja', quantity: '1', total: { amount: '180.00', currency: 'SEK' }, totalTax: { amount: '45.00', currency: 'SEK' }, taxes: [{ rateId: '1', total: { amount: '45.00', currency: 'SEK' }, subtotal: null }] }],
        shippingLines: [],
        feeLines: [],
      }),
      mixed.orderRef,
    );
    const smallDocs = await settledDocuments(t.tenantId, '7001', ['invoice']);
    const mixedDocs = await settledDocuments(t.tenantId, 'WC-7002', ['invoice', 'credit-invoice']);
    const invoiceA = smallDocs.invoice as string;
    const invoiceB = mixedDocs.invoice as string;
    const creditB = mixedDocs['credit-invoice'] as string;

    // One payment and one voucher create land in Fortnox but are never answered.
    sandbox.faults.timeoutAfterStore(1, { match: 'POST /3/invoicepayments' });
    sandbox.faults.timeoutAfterStore(1, { match: 'POST /3/vouchers' });
    const payoutId = `po_${randomUUID().slice(0, 8)}`;
    const bookings = [
      booking(t.tenantId, payoutId, 'invoice-payment', '249.00', { document: { order: small, number: invoiceA } }),
      booking(t.tenantId, payoutId, 'invoice-payment', '872.00', { document: { order: mixed, number: invoiceB } }),
      booking(t.tenantId, payoutId, 'refund', '-225.00', { document: { order: mixed, number: creditB } }),
      booking(t.tenantId, payoutId, 'fee', '-12.40', { counter: '6570' }),
      booking(t.tenantId, payoutId, 'chargeback', '-50.00', { counter: '6090' }),
      booking(t.tenantId, payoutId, 'reserve', '-100.00', { counter: '1680' }),
      booking(t.tenantId, payoutId, 'bank-payout', '733.60', { counter: '1930' }),
    ];
    const sent = [];
    for (const b of bookings) sent.push(await publishBooking(b));
    // Redelivery: the same messages again (the inbox drops them) and the same bookings in new envelopes (the intents do).
    await redeliver(sent);
    for (const b of bookings) await publishBooking(b);

    const view = await waitForBookings(t.tenantId, payoutId, 7, 'settled');
    expect(view.recorded).toHaveLength(7);
    expect(sandbox.control.counters().fault_timeout_after_store).toBe(2);
    // The two unanswered creates were found again by their reference, not created a second time.
    expect(view.bookings.filter((b) => b.failures > 0).map((b) => [b.documentKind, b.attempts])).toEqual(expect.arrayContaining([['payment', 1], ['voucher', 1]]));

    const company = t.company();
    const payments = [...company.invoicePayments.values()].map((p) => p.data);
    expect(payments.map((p) => [p.InvoiceNumber, p.Amount, p.PaymentDate, p.ModeOfPayment, p.ModeOfPaymentAccount, p.Booked]).sort()).toEqual(
      [
        [Number(invoiceA), 249, BOOKING_DATE, 'KORT', 1580, true],
        [Number(invoiceB), 872, BOOKING_DATE, 'KORT', 1580, true],
        [Number(creditB), -225, BOOKING_DATE, 'KORT', 1580, true],
      ].sort(),
    );
    for (const n of [invoiceA, invoiceB, creditB]) expect(company.invoices.get(Number(n))?.data.Balance).toBe(0);

    const vouchers = [...company.vouchers.values()].filter((v) => v.series === 'A').map((v) => v.data);
    expect(vouchers.map((v) => v.ReferenceNumber).sort()).toEqual(bookings.slice(3).map((b) => externalRefOfBooking(t.tenantId, b.bookingId)).sort());
    const fee = vouchers.find((v) => v.ReferenceNumber === externalRefOfBooking(t.tenantId, bookings[3]?.bookingId as string));
    expect(fee).toMatchObject({ TransactionDate: BOOKING_DATE, VoucherSeries: 'A', Description: `Stripe fee, payout ${payoutId} (${bookings[3]?.bookingId})` });
    expect((fee?.VoucherRows as { Account: number; Debit: number; Credit: number }[]).map((r) => [r.Account, r.Debit, r.Credit])).toEqual([
      [1580, 0, 12.4],
      [6570, 12.4, 0],
    ]);

    const balances = ledger(company);
    expect(balances.get(1580)).toBe(0);
    expect([balances.get(1930), balances.get(6570), balances.get(6090), balances.get(1680), balances.get(1510)]).toEqual([733.6, 12.4, 50, 100, -896]);
  });

  it('parks a booking on an account missing from the chart or in a locked period, naming booking, payout and the fix, and books each once after the fix and a replay', async () => {
    const t = await connectTenant();
    const payoutId = `po_${randomUUID().slice(0, 8)}`;
    const fee = booking(t.tenantId, payoutId, 'fee', '-30.00', { counter: '6999' });
    const reserve = booking(t.tenantId, payoutId, 'reserve-release', '40.00', { counter: '1680', date: '2026-10-31' });
    t.company().lockedThrough = '2026-10-31';
    await publishBooking(fee);
    await publishBooking(reserve);

    const parked = await waitForBookings(t.tenantId, payoutId, 2, 'parked');
    const feeRow = parked.bookings.find((b) => b.bookingId === fee.bookingId) as BookingView;
    const reserveRow = parked.bookings.find((b) => b.bookingId === reserve.bookingId) as BookingView;
    expect(feeRow.errorCode).toBe('FORTNOX_ACCOUNT_MISSING');
    expect(feeRow.operatorMessage).toContain(`fee booking "${fee.bookingId}" of Stripe payout ${payoutId}`);
    expect(feeRow.operatorMessage).toContain("account 6999 (the fee account) does not exist in the company's chart of accounts");
    expect(feeRow.operatorMessage).toContain('Kunde inte hitta konto 6999');
    expect(feeRow.operatorMessage).toMatch(/Add the account in Fortnox .* or change the fee account in the payout mapping, then replay the booking\.$/);
    expect(reserveRow).toMatchObject({ errorCode: 'FORTNOX_PERIOD_LOCKED' });
    expect(reserveRow.operatorMessage).toContain(`the booking date 2026-10-31 is in Fortnox's locked period (locked through 2026-10-31)`);
    expect(t.company().vouchers.size).toBe(0);

    t.company().accounts.set(6999, 'Övriga externa kostnader, betaltjänster');
    t.company().lockedThrough = '2026-09-30';
    for (const row of [feeRow, reserveRow]) expect((await call('POST', `/tenants/${t.tenantId}/documents/${row.id}/replay`)).status).toBe(202);
    // A replayed event books nothing twice either.
    await publishBooking(fee);

    const settled = await waitForBookings(t.tenantId, payoutId, 2, 'settled');
    expect(settled.recorded).toHaveLength(2);
    const vouchers = [...t.company().vouchers.values()].map((v) => v.data);
    expect(vouchers.map((v) => [v.ReferenceNumber, v.TransactionDate]).sort()).toEqual(
      [
        [externalRefOfBooking(t.tenantId, fee.bookingId), BOOKING_DATE],
        [externalRefOfBooking(t.tenantId, reserve.bookingId), '2026-10-31'],
      ].sort(),
    );
    const balances = ledger(t.company());
    expect([balances.get(1580), balances.get(6999), balances.get(1680)]).toEqual([10, 30, -40]);
  });
});
