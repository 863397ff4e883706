import { PayoutBookingRequested, type OrderRef, type PayoutBookingKind } from '@ledgerline/contracts';
import { Decimal } from '@ledgerline/money';
import type { ProviderMapping } from '../mappings/provider-mapping';
import { fixed } from '../settlements/csv-table';
import type { SettlementLine, SettlementPayout } from '../settlements/settlement';

/** What a line was matched to: the order and the ERP document it settles (invoice, or credit invoice for refunds). */
export interface LineMatch {
  orderRef: OrderRef;
  documentNumber: string;
}

/** A line ready to book: matched, or resolved by hand to an account with a note. */
export interface BookableLine extends SettlementLine {
  match: LineMatch | null;
  resolution: { account: string; note: string } | null;
}

/** Thrown when a payout's bookings would not add up to its amount; nothing is emitted and the payout becomes an exception. */
export class PayoutSumMismatchError extends Error {
  readonly code = 'PAYOUT_SUM_MISMATCH';
  constructor(
    readonly expected: string,
    readonly actual: string,
    message: string,
  ) {
    super(message);
  }
}

const PROVIDER_NAMES = { stripe: 'Stripe', klarna: 'Klarna', adyen: 'Adyen' } as const;
const ORDER_LINE_KINDS: ReadonlySet<string> = new Set(['payment', 'refund', 'chargeback', 'chargeback-reversal', 'capture-reversal']);
const orderKeyOf = (m: LineMatch) => `${m.orderRef.storeId}:${m.orderRef.orderId}`;

/**
 * Returns the booking instructions for one fully matched payout, in emission order: line bookings, one fee booking
 * (all fees of the payout on one voucher), then the bank payout last.
 *
 * Invariant (payout-booking-requested.v1): the sum of every booking except `bank-payout` equals the payout amount to
 * the cent. It is asserted here, before anything is emitted; a payout that fails it throws {@link PayoutSumMismatchError}.
 * Booking ids are derived from provider line ids, so re-running the same payout gives the same ids.
 */
export function buildBookings(payout: SettlementPayout, lines: BookableLine[], mapping: ProviderMapping, requestedAt: string): PayoutBookingRequested[] {
  const currency = payout.currency;
  const money = (d: Decimal) => ({ amount: fixed(d), currency });
  const name = PROVIDER_NAMES[payout.provider];
  const base = `${payout.provider}:${payout.merchantAccount}:${payout.payoutId}`;
  const payoutRef = { tenantId: mapping.tenantId, provider: payout.provider, merchantAccount: payout.merchantAccount, payoutId: payout.payoutId };
  const common = { payoutRef, currency, erp: mapping.erp, erpConnectionId: mapping.erpConnectionId, bookingDate: payout.arrivalDate, requestedAt };
  const bookings: PayoutBookingRequested[] = [];
  const add = (b: { bookingId: string; kind: PayoutBookingKind; amount: Decimal; document: LineMatch | null; documentAmount?: { amount: string; currency: string } | null; counter: string | null; modeOfPayment: string | null; providerReference: string; description: string }) =>
    bookings.push(
      new PayoutBookingRequested({
        ...common,
        bookingId: b.bookingId,
        kind: b.kind,
        amount: money(b.amount),
        document: b.document ? { orderRef: b.document.orderRef, documentNumber: b.document.documentNumber, documentAmount: b.documentAmount ?? null } : null,
        accounts: { clearing: mapping.accounts.clearing, counter: b.counter, modeOfPayment: b.modeOfPayment },
        providerReference: b.providerReference,
        description: b.description.slice(0, 200),
      }),
    );

  // A partial capture's reversal nets against the payment of the same order in this payout (RECONCILIATION.md edge case 1).
  const reversals = new Map<string, Decimal>();
  for (const l of lines) {
    if (l.kind === 'capture-reversal' && l.match && !l.resolution) {
      const key = orderKeyOf(l.match);
      reversals.set(key, (reversals.get(key) ?? Decimal.ZERO).add(l.gross));
    }
  }
  const paymentsByOrder = new Set(lines.flatMap((l) => (l.kind === 'payment' && l.match && !l.resolution ? [orderKeyOf(l.match)] : [])));

  let fees = Decimal.ZERO;
  for (const l of lines) {
    fees = fees.sub(l.fee);
    const id = `${base}:${l.lineId}`;
    const fx = l.presentmentCurrency && l.presentmentCurrency !== currency ? ` (${l.presentmentAmount} ${l.presentmentCurrency}${l.exchangeRate ? ` at ${l.exchangeRate}` : ''})` : '';
    const orderText = l.match ? ` order ${l.match.orderRef.orderNumber}` : '';
    // The amount in the document's own currency, signed like the booking, when the provider converted it.
    const converted = l.presentmentCurrency && l.presentmentCurrency !== currency && l.presentmentAmount ? Decimal.of(l.presentmentAmount).abs() : null;
    const documentAmount = (signedLike: Decimal) => (converted ? { amount: fixed(signedLike.isNegative() ? converted.neg() : converted), currency: l.presentmentCurrency as string } : null);
    if (l.resolution) {
      add({ bookingId: `${id}:adjustment`, kind: 'adjustment', amount: Decimal.of(l.gross), document: null, counter: l.resolution.account, modeOfPayment: null, providerReference: l.providerReference, description: `${name} ${l.kind} resolved by hand: ${l.resolution.note}` });
      continue;
    }
    const gross = Decimal.of(l.gross);
    const match = l.match;
    if (!match && ORDER_LINE_KINDS.has(l.kind)) throw new Error(`${name} ${l.kind} line ${l.lineId} is booked without a matched document; the reconciler books only matched payouts`);
    const doc = match ?? { orderRef: { tenantId: '', storeId: '', orderId: '', orderNumber: '' }, documentNumber: '' };
    switch (l.kind) {
      case 'payment': {
        const key = orderKeyOf(doc);
        const reversal = reversals.get(key);
        reversals.delete(key);
        const amount = reversal ? gross.add(reversal) : gross;
        add({ bookingId: `${id}:invoice-payment`, kind: 'invoice-payment', amount, document: doc, documentAmount: reversal ? null : documentAmount(amount), counter: null, modeOfPayment: mapping.modeOfPayment, providerReference: l.providerReference, description: `${name} payment${orderText}, invoice ${doc.documentNumber}${fx}${reversal ? `, net of ${fixed(reversal.neg())} not captured` : ''}` });
        break;
      }
      case 'capture-reversal': {
        if (paymentsByOrder.has(orderKeyOf(doc))) break; // netted into the payment above
        add({ bookingId: `${id}:adjustment`, kind: 'adjustment', amount: gross, document: null, counter: mapping.accounts.adjustment, modeOfPayment: null, providerReference: l.providerReference, description: `${name} uncaptured part${orderText}, invoice ${doc.documentNumber}` });
        break;
      }
      case 'refund':
        add({ bookingId: `${id}:refund`, kind: 'refund', amount: gross, document: doc, documentAmount: documentAmount(gross), counter: null, modeOfPayment: mapping.modeOfPayment, providerReference: l.providerReference, description: `${name} refund${orderText}, credit invoice ${doc.documentNumber}${fx}` });
        break;
      case 'chargeback':
      case 'chargeback-reversal':
        add({ bookingId: `${id}:${l.kind}`, kind: l.kind, amount: gross, document: doc, documentAmount: documentAmount(gross), counter: mapping.accounts.chargeback, modeOfPayment: null, providerReference: l.providerReference, description: `${name} ${l.kind === 'chargeback' ? 'chargeback' : 'chargeback won back'}${orderText}, invoice ${doc.documentNumber}${fx}` });
        break;
      case 'fee':
        fees = fees.add(gross);
        break;
      case 'reserve':
      case 'reserve-release':
        add({ bookingId: `${id}:${l.kind}`, kind: l.kind, amount: gross, document: null, counter: mapping.accounts.reserve, modeOfPayment: null, providerReference: l.providerReference, description: `${name} ${l.kind === 'reserve' ? 'rolling reserve held' : 'rolling reserve released'}, payout ${payout.payoutId}` });
        break;
      case 'adjustment':
        add({ bookingId: `${id}:adjustment`, kind: 'adjustment', amount: gross, document: null, counter: mapping.accounts.adjustment, modeOfPayment: null, providerReference: l.providerReference, description: `${name} adjustment: ${l.description || l.providerReference}` });
        break;
    }
  }
  if (!fees.isZero()) {
    add({ bookingId: `${base}:fee`, kind: 'fee', amount: fees, document: null, counter: mapping.accounts.fee, modeOfPayment: null, providerReference: payout.payoutId, description: `${name} fees, payout ${payout.payoutId}` });
  }

  const total = Decimal.sum(bookings.map((b) => b.amount.amount));
  const lineTotal = Decimal.sum(lines.map((l) => l.net));
  const expected = payout.amount === null ? lineTotal : Decimal.of(payout.amount);
  if (!total.eq(expected) || !lineTotal.eq(expected)) {
    throw new PayoutSumMismatchError(
      fixed(expected),
      fixed(total),
      `${name} payout ${payout.payoutId} (${payout.merchantAccount}) is ${fixed(expected)} ${currency}, but its ${lines.length} stored lines sum to ${fixed(lineTotal)} and its bookings to ${fixed(total)}: a line is missing or was refused. Nothing was booked; upload the complete report (or poll again), or resolve the difference by hand.`,
    );
  }
  add({ bookingId: `${base}:bank-payout`, kind: 'bank-payout', amount: expected, document: null, counter: mapping.accounts.bank, modeOfPayment: null, providerReference: payout.payoutId, description: `${name} payout ${payout.payoutId} to the bank` });
  return bookings;
}
