import { EventTypes } from '../event-types';
import { Money, MONEY_EXPECTATION } from '../money';
import { OrderRef } from '../orders/order-ref';
import { IsCurrencyCode, IsOneOf, IsSlug, IsText, IsUtcTimestamp, NestedObject, rule } from '../validation/rules';

/** The payment providers whose settlements Ledgerline reconciles. */
export const PaymentProviders = ['stripe', 'klarna', 'adyen'] as const;
/** One of {@link PaymentProviders}. */
export type PaymentProvider = (typeof PaymentProviders)[number];

/**
 * What one booking does. Signs are the effect on the provider's clearing account, in the payout's currency:
 * - `invoice-payment` (+): the customer's payment of an invoice reached the provider; a payment against the invoice.
 * - `refund` (−): money returned to the customer; a (negative) payment against the credit invoice.
 * - `fee` (−): the provider's fees; a voucher from the clearing account to the fee account.
 * - `chargeback` (−) and `chargeback-reversal` (+): a disputed payment taken back, or won back.
 * - `reserve` (−) and `reserve-release` (+): money held back by the provider, or released from the reserve.
 * - `adjustment` (±): anything else the provider settled (currency rounding, corrections), to the adjustment account.
 * - `bank-payout` (the payout amount, +): the net sent to the bank; a voucher from the clearing account to the bank account.
 * For one payout, the sum of every booking except `bank-payout` equals the `bank-payout` amount, to the cent.
 */
export const PayoutBookingKinds = ['invoice-payment', 'refund', 'fee', 'chargeback', 'chargeback-reversal', 'reserve', 'reserve-release', 'adjustment', 'bank-payout'] as const;
/** One of {@link PayoutBookingKinds}. */
export type PayoutBookingKind = (typeof PayoutBookingKinds)[number];

/** Identifies one payout of one provider for one tenant. */
export class PayoutRef {
  @IsText() tenantId!: string;
  @IsOneOf(PaymentProviders) provider!: PaymentProvider;
  /** The provider's merchant account (Adyen merchant account, Klarna merchant id, Stripe account id). */
  @IsText() merchantAccount!: string;
  /** The provider's id for the payout (Stripe `po_…`, Klarna `payment_reference`, Adyen batch number). */
  @IsText() payoutId!: string;
}

/** The ERP document a booking settles. */
export class BookedDocument {
  @NestedObject(() => OrderRef, 'an order reference like {"tenantId": "acme", "storeId": "se", "orderId": "727", "orderNumber": "727"}')
  orderRef!: OrderRef;
  /** The invoice's number for `invoice-payment` and `chargeback`, the credit invoice's number for `refund`. */
  @IsText() documentNumber!: string;
  /** The amount in the document's own currency when it differs from the payout's (currency conversion); else null. */
  @NestedObject(() => Money, MONEY_EXPECTATION, { nullable: true }) documentAmount!: Money | null;
}

/** The ERP accounts a booking moves money between, from the tenant's payout mapping. */
export class BookingAccounts {
  /** The provider's clearing account (Fortnox: the mode of payment's account), e.g. `"1580"`. */
  @IsText() clearing!: string;
  /** The other side: fee, bank, reserve, chargeback or adjustment account; null for payments and refunds (the document's receivable). */
  @IsText({ nullable: true }) counter!: string | null;
  /** The ERP's mode of payment for invoice payments (Fortnox `ModeOfPayment`, e.g. `"STRIPE"`); null for vouchers. */
  @IsText({ nullable: true }) modeOfPayment!: string | null;
}

/**
 * `payout-booking.requested` v1: payout reconciliation asks the tenant's ERP connector to book one part of a matched
 * payout. `bookingId` is stable across re-runs, so a settlement delivered twice books nothing twice. Keyed
 * `tenant:provider:payout`, so one payout's bookings arrive in order and its `bank-payout` comes last.
 */
export class PayoutBookingRequested {
  static readonly type = EventTypes.payoutBookingRequested;
  static readonly schemaVersion = 1;

  @IsText() bookingId!: string;
  @NestedObject(() => PayoutRef, 'a payout reference like {"tenantId": "acme", "provider": "stripe", "merchantAccount": "acct_1", "payoutId": "po_1"}')
  payoutRef!: PayoutRef;
  @IsOneOf(PayoutBookingKinds) kind!: PayoutBookingKind;
  /** Signed as described on {@link PayoutBookingKinds}, in the payout's currency. */
  @NestedObject(() => Money, MONEY_EXPECTATION) amount!: Money;
  @IsCurrencyCode() currency!: string;
  /** The document settled, for `invoice-payment`, `refund`, `chargeback` and `chargeback-reversal`; null otherwise. */
  @NestedObject(() => BookedDocument, 'a document like {"orderRef": {...}, "documentNumber": "1001", "documentAmount": null}', { nullable: true })
  document!: BookedDocument | null;
  @NestedObject(() => BookingAccounts, 'accounts like {"clearing": "1580", "counter": "6570", "modeOfPayment": null}') accounts!: BookingAccounts;
  @IsSlug('fortnox') erp!: string;
  @IsText() erpConnectionId!: string;
  /** The booking date: the payout's arrival date (YYYY-MM-DD). */
  @BookingDate() bookingDate!: string;
  /** The provider's reference for the line(s) booked (balance transaction, PSP reference, capture id). */
  @IsText() providerReference!: string;
  /** What a person reading the ERP voucher sees, e.g. `Stripe fees, payout po_1`. */
  @IsText() description!: string;
  @IsUtcTimestamp() requestedAt!: string;

  /** Gives the event built from `fields`. */
  constructor(fields: PayoutBookingRequested) {
    if (fields) Object.assign(this, fields);
  }
}

function BookingDate(): PropertyDecorator {
  return rule('isDate', 'a date like "2026-11-26"', (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)));
}
