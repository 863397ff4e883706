import { createHash } from 'node:crypto';
import type { PayoutBookingKind, PayoutBookingRequested } from '@ledgerline/contracts';
import { LedgerlineError, type ErrorContext } from '@ledgerline/erp-kit';
import { Decimal } from '@ledgerline/money';

/** What the handler stores on the intent: the booking as requested (the event's payload). */
export interface PayoutBookingIntentPayload {
  booking: PayoutBookingRequested;
}

/** Booking kinds that become a Fortnox invoice payment; every other kind becomes a voucher. */
const PAYMENT_KINDS: ReadonlySet<PayoutBookingKind> = new Set(['invoice-payment', 'refund']);

/** The sign each kind must carry (payout-booking-requested.v1: the effect on the clearing account); 0 = either. */
const EXPECTED_SIGN: Record<PayoutBookingKind, 1 | -1 | 0> = {
  'invoice-payment': 1,
  refund: -1,
  fee: -1,
  chargeback: -1,
  'chargeback-reversal': 1,
  reserve: -1,
  'reserve-release': 1,
  adjustment: 0,
  // The payout amount; negative when the provider debits the bank (the merchant owed more than it earned).
  'bank-payout': 0,
};

/** The company currency of a Fortnox company; vouchers and `Amount` are in it. */
export const COMPANY_CURRENCY = 'SEK';

/** Whether the booking becomes an invoice payment (`payment`) or a voucher. */
export function documentKindOf(kind: PayoutBookingKind): 'payment' | 'voucher' {
  return PAYMENT_KINDS.has(kind) ? 'payment' : 'voucher';
}

/**
 * The reference stamped on what a booking creates and searched for after an unclear call: `LL|<tenant>|PB|<bookingId>`,
 * or a hash of it when that is longer than 80 characters (Fortnox's external-reference length).
 */
export function externalRefOfBooking(tenantId: string, bookingId: string): string {
  const plain = `LL|${tenantId}|PB|${bookingId}`;
  return plain.length <= 80 ? plain : `LL|PB|${createHash('sha256').update(`${tenantId}|${bookingId}`).digest('hex').slice(0, 40)}`;
}

/** How a person names the booking in messages: `fee booking "stripe:po_1:fee" of Stripe payout po_1 (tenant "acme")`. */
export function describeBooking(b: PayoutBookingRequested): string {
  const provider = b.payoutRef.provider.charAt(0).toUpperCase() + b.payoutRef.provider.slice(1);
  return `${b.kind} booking "${b.bookingId}" of ${provider} payout ${b.payoutRef.payoutId} (tenant "${b.payoutRef.tenantId}", ${b.amount.amount} ${b.currency} on ${b.bookingDate})`;
}

/** Error context of a booking (no order: the payout is the subject). */
export function bookingContext(b: PayoutBookingRequested, connectionId?: string): ErrorContext {
  return {
    tenantId: b.payoutRef.tenantId,
    erp: 'Fortnox',
    payoutRef: b.payoutRef.payoutId,
    ...(connectionId ? { connectionId } : {}),
    ...(b.document ? { storeId: b.document.orderRef.storeId } : {}),
  };
}

function invalid(b: PayoutBookingRequested, code: string, problem: string, fix: string, connectionId?: string): LedgerlineError {
  return new LedgerlineError({
    code,
    kind: 'permanent',
    operatorMessage: `Cannot book the ${describeBooking(b)} in Fortnox: ${problem}. ${fix}`,
    context: bookingContext(b, connectionId),
    notApplied: true,
  });
}

const ACCOUNT = /^[1-9]\d{3}$/;

/**
 * Checks what Fortnox cannot check for us before anything is sent: the sign the contract gives each kind, the
 * currency, and the accounts and document each kind needs. Throws a permanent LedgerlineError naming the booking,
 * the payout and what to fix (in payout reconciliation's mapping, or the request).
 */
export function validateBooking(b: PayoutBookingRequested, connectionId?: string): void {
  const amount = Decimal.of(b.amount.amount);
  const expected = EXPECTED_SIGN[b.kind];
  if (expected !== 0 && amount.sign() !== 0 && amount.sign() !== expected) {
    throw invalid(b, 'PAYOUT_BOOKING_SIGN_INVALID', `a ${b.kind} must be ${expected > 0 ? 'positive' : 'negative'} (its effect on the clearing account), got ${b.amount.amount}`, 'Correct the booking in payout reconciliation, then replay.', connectionId);
  }
  if (b.currency !== COMPANY_CURRENCY || b.amount.currency !== COMPANY_CURRENCY) {
    throw invalid(
      b,
      'PAYOUT_BOOKING_CURRENCY_UNSUPPORTED',
      `the payout is in ${b.currency}, but Fortnox books vouchers and payment amounts in the company currency ${COMPANY_CURRENCY}, and Ledgerline has no rate to convert payouts with`,
      `Book this payout in Fortnox by hand, or have the provider pay out in ${COMPANY_CURRENCY}; then discard the parked booking.`,
      connectionId,
    );
  }
  if (!ACCOUNT.test(b.accounts.clearing)) {
    throw invalid(b, 'MAPPING_ACCOUNT_MISSING', `the clearing account "${b.accounts.clearing}" is not a four-digit Fortnox account`, `Set the ${b.payoutRef.provider} clearing account (e.g. 1580) in the payout mapping, then replay.`, connectionId);
  }
  if (documentKindOf(b.kind) === 'payment') {
    if (!b.document) throw invalid(b, 'PAYOUT_BOOKING_DOCUMENT_MISSING', `a ${b.kind} needs the ${b.kind === 'refund' ? 'credit invoice' : 'invoice'} it settles, and none was given`, 'Match the transaction to its order in payout reconciliation, then replay.', connectionId);
    if (!/^\d+$/.test(b.document.documentNumber)) throw invalid(b, 'PAYOUT_BOOKING_DOCUMENT_MISSING', `"${b.document.documentNumber}" is not a Fortnox document number`, 'Match the transaction to its Fortnox invoice in payout reconciliation, then replay.', connectionId);
    if (!b.accounts.modeOfPayment) throw invalid(b, 'MAPPING_PAYMENT_METHOD_MISSING', 'no Fortnox mode of payment (ModeOfPayment) is mapped for the provider', `Set the mode of payment for ${b.payoutRef.provider} in the payout mapping, then replay.`, connectionId);
  } else if (!b.accounts.counter || !ACCOUNT.test(b.accounts.counter)) {
    throw invalid(b, 'MAPPING_ACCOUNT_MISSING', `no four-digit counter account is mapped for ${b.kind} (got ${JSON.stringify(b.accounts.counter)})`, `Set the ${b.kind} account for ${b.payoutRef.provider} in the payout mapping, then replay.`, connectionId);
  }
}

/** A voucher row as written (`fortnox_Voucher_VoucherRow`). */
export interface VoucherRowWrite {
  Account: number;
  Debit: number;
  Credit: number;
  TransactionInformation?: string;
}

/** A voucher as written (`fortnox_Voucher`). */
export interface VoucherWrite {
  Description: string;
  TransactionDate: string;
  VoucherSeries: string;
  ReferenceNumber: string;
  ReferenceType: 'MANUAL';
  Comments: string;
  VoucherRows: VoucherRowWrite[];
}

/**
 * Which side of the clearing account a voucher kind books (README "Payout bookings"): every kind but `bank-payout`
 * carries its effect on the clearing account, so a positive amount debits clearing and credits the counter account,
 * a negative one the reverse. `bank-payout` carries the amount sent to the bank: it debits the bank (counter) and
 * credits clearing, which empties what the other bookings of the payout left there.
 */
export function clearingSide(kind: PayoutBookingKind, amount: Decimal): 'debit' | 'credit' {
  const intoClearing = kind === 'bank-payout' ? amount.sign() < 0 : amount.sign() > 0;
  return intoClearing ? 'debit' : 'credit';
}

const money = (d: Decimal) => Number(d.abs().toFixed(2));

/** The voucher for a non-payment booking (pure). `series` comes from `CONNECTOR_FORTNOX_PAYOUT_VOUCHER_SERIES`. */
export function toVoucher(b: PayoutBookingRequested, series: string, externalRef: string): VoucherWrite {
  const amount = Decimal.of(b.amount.amount);
  const side = clearingSide(b.kind, amount);
  const clearing = Number(b.accounts.clearing);
  const counter = Number(b.accounts.counter);
  const value = money(amount);
  const info = `${b.payoutRef.provider} ${b.providerReference}`.slice(0, 100);
  const rows: VoucherRowWrite[] = [
    { Account: clearing, Debit: side === 'debit' ? value : 0, Credit: side === 'credit' ? value : 0, TransactionInformation: info },
    { Account: counter, Debit: side === 'credit' ? value : 0, Credit: side === 'debit' ? value : 0, TransactionInformation: info },
  ];
  const suffix = ` (${b.bookingId})`;
  const document = b.document ? ` faktura ${b.document.documentNumber}` : '';
  const description = `${b.description}${document}`.slice(0, 200 - suffix.length) + suffix;
  return {
    Description: description,
    TransactionDate: b.bookingDate,
    VoucherSeries: series,
    ReferenceNumber: externalRef,
    ReferenceType: 'MANUAL',
    Comments: `Ledgerline payout booking ${b.bookingId} (${b.kind}, ${b.payoutRef.provider} payout ${b.payoutRef.payoutId}, ${b.payoutRef.merchantAccount})`.slice(0, 1000),
    VoucherRows: rows,
  };
}

/** An invoice payment as written (`fortnox_InvoicePayment`). */
export interface InvoicePaymentWrite {
  InvoiceNumber: number;
  Amount: number;
  AmountCurrency?: number;
  PaymentDate: string;
  ModeOfPayment: string;
  ModeOfPaymentAccount: number;
}

/**
 * The invoice payment for `invoice-payment` (positive, on the invoice) and `refund` (negative, on the credit invoice:
 * Fortnox takes a credit invoice's payment as a negative amount). `Amount` is in SEK (the payout's currency);
 * `AmountCurrency` is the amount in the document's currency when that differs.
 */
export function toInvoicePayment(b: PayoutBookingRequested): InvoicePaymentWrite {
  const doc = b.document as NonNullable<PayoutBookingRequested['document']>;
  return {
    InvoiceNumber: Number(doc.documentNumber),
    Amount: Number(Decimal.of(b.amount.amount).toFixed(2)),
    ...(doc.documentAmount ? { AmountCurrency: Number(Decimal.of(doc.documentAmount.amount).toFixed(2)) } : {}),
    PaymentDate: b.bookingDate,
    ModeOfPayment: b.accounts.modeOfPayment as string,
    ModeOfPaymentAccount: Number(b.accounts.clearing),
  };
}
