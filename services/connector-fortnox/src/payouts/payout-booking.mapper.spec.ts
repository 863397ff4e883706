import { PayoutBookingRequested, type PayoutBookingKind } from '@ledgerline/contracts';
import { isErrorCode } from '@ledgerline/erp-kit';
import { externalRefOfBooking, toInvoicePayment, toVoucher, validateBooking } from './payout-booking.mapper';

const booking = (kind: PayoutBookingKind, amount: string, over: Partial<PayoutBookingRequested> = {}) =>
  new PayoutBookingRequested({
    bookingId: `stripe:po_1:${kind}`,
    payoutRef: { tenantId: 'acme', provider: 'stripe', merchantAccount: 'acct_1', payoutId: 'po_1' },
    kind,
    amount: { amount, currency: 'SEK' },
    currency: 'SEK',
    document: null,
    accounts: { clearing: '1580', counter: '6570', modeOfPayment: null },
    erp: 'fortnox',
    erpConnectionId: 'fortnox-acme',
    bookingDate: '2026-11-26',
    providerReference: 'txn_1',
    description: 'Stripe, payout po_1',
    requestedAt: '2026-11-26T09:00:00.000Z',
    ...over,
  });

const sides = (kind: PayoutBookingKind, amount: string) => toVoucher(booking(kind, amount), 'A', 'ref').VoucherRows.map((r) => [r.Account, r.Debit, r.Credit]);

describe('payout booking mapper', () => {
  it('debits clearing for money into it and credits it for money out; a bank payout empties clearing into the bank', () => {
    expect(sides('fee', '-12.40')).toEqual([[1580, 0, 12.4], [6570, 12.4, 0]]);
    expect(sides('chargeback', '-50.00')).toEqual([[1580, 0, 50], [6570, 50, 0]]);
    expect(sides('chargeback-reversal', '50.00')).toEqual([[1580, 50, 0], [6570, 0, 50]]);
    expect(sides('reserve', '-100.00')).toEqual([[1580, 0, 100], [6570, 100, 0]]);
    expect(sides('reserve-release', '100.00')).toEqual([[1580, 100, 0], [6570, 0, 100]]);
    expect(sides('adjustment', '0.03')).toEqual([[1580, 0.03, 0], [6570, 0, 0.03]]);
    expect(sides('adjustment', '-0.03')).toEqual([[1580, 0, 0.03], [6570, 0.03, 0]]);
    expect(sides('bank-payout', '733.60')).toEqual([[1580, 0, 733.6], [6570, 733.6, 0]]);
    expect(sides('bank-payout', '-20.00')).toEqual([[1580, 20, 0], [6570, 0, 20]]);
  });

  it('stamps the reference and the booking id on the voucher', () => {
    const v = toVoucher(booking('fee', '-1.00'), 'P', externalRefOfBooking('acme', 'stripe:po_1:fee'));
    expect(v).toMatchObject({ VoucherSeries: 'P', TransactionDate: '2026-11-26', ReferenceNumber: 'LL|acme|PB|stripe:po_1:fee', Description: 'Stripe, payout po_1 (stripe:po_1:fee)' });
    expect(externalRefOfBooking('acme', 'x'.repeat(100))).toMatch(/^LL\|PB\|[0-9a-f]{40}$/);
  });

  it('pays a credit invoice with a negative amount and states the document currency amount when it differs', () => {
    const doc = { orderRef: { tenantId: 'acme', storeId: 'se', orderId: '7', orderNumber: '7' }, documentNumber: '12', documentAmount: { amount: '-20.00', currency: 'EUR' } };
    const refund = booking('refund', '-229.00', { document: doc, accounts: { clearing: '1580', counter: null, modeOfPayment: 'KORT' } });
    expect(toInvoicePayment(refund)).toEqual({ InvoiceNumber: 12, Amount: -229, AmountCurrency: -20, PaymentDate: '2026-11-26', ModeOfPayment: 'KORT', ModeOfPaymentAccount: 1580 });
  });

  it('refuses a sign against the contract, a foreign payout currency and a voucher without a counter account, naming the booking', () => {
    const code = (b: PayoutBookingRequested) => {
      try {
        validateBooking(b);
        return null;
      } catch (err) {
        return isErrorCode((err as { code: string }).code) ? (err as { code: string; operatorMessage: string }) : null;
      }
    };
    expect(code(booking('fee', '12.40'))).toMatchObject({ code: 'PAYOUT_BOOKING_SIGN_INVALID', operatorMessage: expect.stringContaining('fee booking "stripe:po_1:fee" of Stripe payout po_1') });
    expect(code(booking('fee', '-12.40', { currency: 'EUR', amount: { amount: '-12.40', currency: 'EUR' } }))?.code).toBe('PAYOUT_BOOKING_CURRENCY_UNSUPPORTED');
    expect(code(booking('reserve', '-1.00', { accounts: { clearing: '1580', counter: null, modeOfPayment: null } }))?.code).toBe('MAPPING_ACCOUNT_MISSING');
    expect(code(booking('invoice-payment', '10.00'))?.code).toBe('PAYOUT_BOOKING_DOCUMENT_MISSING');
    expect(code(booking('fee', '-12.40'))).toBeNull();
  });
});
