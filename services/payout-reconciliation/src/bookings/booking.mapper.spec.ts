/* eslint-disable @typescript-eslint/no-non-null-assertion -- tests index into fixtures and answers known to hold the element; a wrong index fails the assertion. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envelope } from '@ledgerline/contracts';
import { Decimal } from '@ledgerline/money';
import type { ProviderMapping } from '../mappings/provider-mapping';
import { parseAdyenReport } from '../settlements/adyen.parser';
import { mapStripePayout, type StripeBalanceTransaction, type StripePayout } from '../settlements/stripe.parser';
import { ORDER_KINDS } from '../settlements/settlement';
import { buildBookings, PayoutSumMismatchError, type BookableLine } from './booking.mapper';

const fixture = (name: string) => readFileSync(join(__dirname, '../../test/fixtures', name), 'utf8');
const mapping = (provider: 'stripe' | 'adyen', merchantAccount: string): ProviderMapping => ({
  provider,
  merchantAccount,
  tenantId: 'acme',
  erp: 'fortnox',
  erpConnectionId: 'fortnox-acme',
  accounts: { clearing: '1580', fee: '6570', bank: '1930', reserve: '1589', chargeback: '6390', adjustment: '3740' },
  modeOfPayment: 'STRIPE',
  gateways: ['stripe'],
  credentials: {},
});
const matchedAll = (lines: ReturnType<typeof mapStripePayout>['lines']): BookableLine[] =>
  lines.map((l) => ({
    ...l,
    resolution: null,
    match: ORDER_KINDS.has(l.kind) ? { orderRef: { tenantId: 'acme', storeId: 'shop', orderId: l.orderId ?? l.orderNumber ?? 'x', orderNumber: l.orderNumber ?? l.orderId ?? 'x' }, documentNumber: `INV-${l.orderId ?? l.orderNumber}` } : null,
  }));

describe('booking instructions of a payout', () => {
  const api = JSON.parse(fixture('stripe-api.json')) as Record<string, unknown> & { payouts: StripePayout[] };
  const payoutB = api.payouts[1]!;
  const txnsB = (api['GET /v1/balance_transactions?payout=po_1POaabC3d4E5f6G7PayoutB'] as { data: StripeBalanceTransaction[] }).data;
  const withOrders = (txns: StripeBalanceTransaction[]) => txns.map((t) => ({ ...t, source: typeof t.source === 'string' ? { id: t.source, metadata: { order_id: /Order (\d+)/.exec(t.description ?? '')?.[1] ?? /order (\d+)/.exec(t.description ?? '')?.[1] ?? '' } } : t.source }));

  it('books payments, the netted partial capture, refund, chargeback, reserve, one fee voucher and the bank payout last, summing to the payout', () => {
    const parsed = mapStripePayout('acct_1', payoutB, withOrders(txnsB));
    const bookings = buildBookings(parsed.payouts[0]!, matchedAll(parsed.lines), mapping('stripe', 'acct_1'), '2026-11-26T10:00:00.000Z');

    expect(bookings.map((b) => [b.kind, b.amount.amount, b.accounts.counter])).toEqual([
      ['refund', '-12.50', null],
      ['invoice-payment', '80.00', null],
      ['chargeback', '-39.99', '6390'],
      ['invoice-payment', '250.00', null],
      ['reserve', '-10.00', '1589'],
      ['fee', '-20.45', '6570'],
      ['bank-payout', '247.06', '1930'],
    ]);
    const withoutBank = bookings.filter((b) => b.kind !== 'bank-payout');
    expect(Decimal.sum(withoutBank.map((b) => b.amount.amount)).toFixed(2)).toBe('247.06');
    expect(bookings[1]!.description).toBe('Stripe payment order 1291, invoice INV-1291, net of 20.00 not captured');
    expect(new Set(bookings.map((b) => b.bookingId)).size).toBe(bookings.length);
    for (const b of bookings) expect(() => envelope.of(b, { tenantId: 'acme', storeId: null })).not.toThrow();
  });

  it('gives the same booking ids when the same payout is built again', () => {
    const parsed = mapStripePayout('acct_1', payoutB, withOrders(txnsB));
    const ids = () => buildBookings(parsed.payouts[0]!, matchedAll(parsed.lines), mapping('stripe', 'acct_1'), new Date().toISOString()).map((b) => b.bookingId);
    expect(ids()).toEqual(ids());
  });

  it('refuses to book a payout whose lines do not sum to its amount, naming both figures', () => {
    const parsed = mapStripePayout('acct_1', payoutB, withOrders(txnsB.filter((t) => t.id !== 'txn_1PNa1b2C3d4E5f6G0txnB06')));
    expect(() => buildBookings(parsed.payouts[0]!, matchedAll(parsed.lines), mapping('stripe', 'acct_1'), '2026-11-26T10:00:00.000Z')).toThrow(PayoutSumMismatchError);
    expect(() => buildBookings(parsed.payouts[0]!, matchedAll(parsed.lines), mapping('stripe', 'acct_1'), '2026-11-26T10:00:00.000Z')).toThrow(
      /payout po_1POaabC3d4E5f6G7PayoutB \(acct_1\) is 247\.06 EUR, but its 5 stored lines sum to 257\.06/,
    );
  });

  it('books an Adyen batch with per-row costs as fees and a resolved line to the account the operator chose', () => {
    const parsed = parseAdyenReport(fixture('adyen-sdr-batch-104.csv'));
    const lines = matchedAll(parsed.lines).map((l) => (l.kind === 'chargeback-reversal' ? { ...l, match: null, resolution: { account: '2999', note: 'won dispute from 2023' } } : l));
    const bookings = buildBookings(parsed.payouts[0]!, lines, mapping('adyen', 'ShopExampleECOM'), '2026-11-26T10:00:00.000Z');
    expect(bookings.find((b) => b.kind === 'fee')!.amount.amount).toBe('-13.07');
    expect(bookings.find((b) => b.kind === 'adjustment')).toMatchObject({ amount: { amount: '45.00' }, accounts: { counter: '2999' }, description: 'Adyen chargeback-reversal resolved by hand: won dispute from 2023' });
    expect(bookings.at(-1)).toMatchObject({ kind: 'bank-payout', amount: { amount: '189.03', currency: 'EUR' } });
    expect(bookings.find((b) => b.providerReference === '8825123400001403')!.description).toBe('Adyen payment order 1403, invoice INV-1403 (100.00 USD at 0.9210)');
  });
});
