import { feeBooking } from '../__fixtures__/events';
import { violationOf } from '../__fixtures__/violations';
import { envelope } from '../envelope';
import { keyFor, topicFor } from '../topics';
import { PayoutBookingRequested } from './payout-booking-requested.v1';

describe('payout-booking.requested v1', () => {
  it('accepts a fee booking outside any store, keyed by tenant, provider and payout', () => {
    const env = envelope.of(feeBooking(), { tenantId: 'acme', storeId: null });

    expect([topicFor(env.type), keyFor(env)]).toEqual(['ledgerline.payouts.bookings.v1', 'acme:stripe:po_1']);
  });

  it('refuses an unknown provider, a bad booking date and a float amount, naming each field', () => {
    const bad = { ...feeBooking(), payoutRef: { ...feeBooking().payoutRef, provider: 'paypal' }, bookingDate: '26/11/2026', amount: { amount: -12.4, currency: 'SEK' } };

    const error = violationOf(() => envelope.of(new PayoutBookingRequested(bad as unknown as PayoutBookingRequested), { tenantId: 'acme', storeId: null }));

    expect(error.problems).toEqual([
      'payload.payoutRef.provider: must be one of "stripe", "klarna", "adyen" (got "paypal")',
      'payload.amount.amount: must be a decimal string with at most 4 fraction digits, like "12.50" (got number -12.4)',
      'payload.bookingDate: must be a date like "2026-11-26" (got "26/11/2026")',
    ]);
  });

  it('lets the booked document keep its own currency while every other amount must be the payout currency', () => {
    const document = { orderRef: { tenantId: 'acme', storeId: 'se', orderId: '727', orderNumber: '727' }, documentNumber: '1001', documentAmount: { amount: '100.00', currency: 'EUR' } };
    const payment = { ...feeBooking(), bookingId: 'stripe:po_1:txn_1:invoice-payment', kind: 'invoice-payment', amount: { amount: '1149.00', currency: 'SEK' }, document, accounts: { clearing: '1580', counter: null, modeOfPayment: 'STRIPE' } };

    const env = envelope.of(new PayoutBookingRequested(payment as unknown as PayoutBookingRequested), { tenantId: 'acme', storeId: null });
    const error = violationOf(() => envelope.of(new PayoutBookingRequested({ ...payment, amount: { amount: '100.00', currency: 'EUR' } } as unknown as PayoutBookingRequested), { tenantId: 'acme', storeId: null }));

    expect(env.payload.document?.documentAmount).toEqual({ amount: '100.00', currency: 'EUR' });
    expect(error.problems).toEqual(['payload.amount.currency: is "EUR" but the event is in "SEK" (payload.currency); every amount in one event must use that currency']);
  });
});
