import { Decimal, RoundingMode } from '@ledgerline/money';
import { addBusinessDays, addDays } from '../common/dates';
import { stripeId } from '../common/ids';
import { major, toMinorUnit } from '../common/money';
import { ExchangeRates } from '../ledger/fx';
import { line, type Converted, type MoneyEvent, type Payout, type ProviderBook, type SettlementRecord } from '../ledger/settlement-engine';
import type { CapturedPayment } from '../ledger/psp-types';

/** A balance transaction as the sandbox keeps it; amounts signed, in the settlement currency. */
export interface StripeTxn {
  id: string;
  /** `charge`, `refund`, `adjustment`, `reserve_transaction`, `payout`. */
  type: string;
  reportingCategory: string;
  sourceId: string | null;
  sourceObject: 'charge' | 'refund' | 'dispute' | 'payout' | null;
  amount: Decimal;
  fee: Decimal;
  feeDescription: string;
  currency: string;
  exchangeRate: Decimal | null;
  description: string;
  payment: CapturedPayment | null;
  /** Charge/refund/dispute amount in the presentment currency, signed as the row. */
  customerFacing: Decimal | null;
  /** For a partial capture's charge: the amount captured (presentment). */
  captured?: Decimal;
}

export interface StripePayoutData {
  /** The payout's own balance transaction (`type=payout`), listed with its transactions but not a ground-truth line. */
  txn: StripeTxn;
}

/**
 * Stripe's standard EEA card pricing as of 2026 (stripe.com/pricing): 1.5 % + €0.25, plus 2 % when the
 * charge is converted; €15 dispute fee refunded when the dispute is won (constructed example:
 * fee 15.00 EUR on the dispute row; refund on win is a guess). Fixed parts at the EUR list price converted.
 */
const PERCENT = Decimal.of('1.5');
const FX_PERCENT = Decimal.of('2');
const FIXED_EUR = '0.25';
const DISPUTE_FEE_EUR = '15.00';

export class StripeBook implements ProviderBook<StripeTxn, StripePayoutData> {
  readonly provider = 'stripe' as const;

  constructor(
    private readonly merchantAccount: string,
    private readonly month: string,
    private readonly seed: number,
  ) {}

  /** Automatic daily payouts on a 2-business-day rolling schedule (Stripe's EU standard, guessed for all accounts). */
  payoutDate(date: string): string {
    return addBusinessDays(date, 2);
  }

  records(e: MoneyEvent, s: Converted): Array<SettlementRecord<StripeTxn>> {
    const p = e.payment;
    const presentment = { amount: e.amount, currency: p.currency, rate: s.rate };
    const where = `Order ${p.orderNumber} (${this.merchantAccount})`;
    const charged = s.rate ? ` - charged ${major(e.amount, p.currency)} ${p.currency}` : '';
    const id = (prefix: string) => stripeId(prefix, this.merchantAccount, p.orderId, e.kind, e.seq, this.month, this.seed);
    const make = (t: Omit<StripeTxn, 'id' | 'currency' | 'exchangeRate' | 'payment'> & { txnPrefix: string }, type: 'payment' | 'refund' | 'chargeback' | 'chargeback-reversal' | 'adjustment'): SettlementRecord<StripeTxn> => {
      const { txnPrefix, ...rest } = t;
      const txn: StripeTxn = { ...rest, id: id(txnPrefix), currency: s.currency, exchangeRate: s.rate, payment: p };
      return { at: e.at, data: txn, line: line(s.currency, { lineId: txn.id, type, payment: p, gross: txn.amount, fee: txn.fee, providerType: txn.reportingCategory, presentment }) };
    };
    switch (e.kind) {
      case 'capture': {
        const base = e.captured ? (s.rate ? toMinorUnit(e.captured.mul(s.rate), s.currency) : e.captured) : s.amount;
        const percent = s.rate ? PERCENT.add(FX_PERCENT) : PERCENT;
        const fee = toMinorUnit(base.mul(percent).div(100, 8, RoundingMode.HALF_UP).add(ExchangeRates.fromEur(FIXED_EUR, s.currency)), s.currency);
        return [
          make(
            { txnPrefix: 'txn_3', type: 'charge', reportingCategory: 'charge', sourceId: p.transactionId, sourceObject: 'charge', amount: s.amount, fee, feeDescription: 'Stripe processing fees', description: `${where}${charged}`, customerFacing: e.amount, captured: e.captured },
            'payment',
          ),
        ];
      }
      case 'uncaptured':
        // docs.stripe.com/reports/reporting-categories: the uncaptured part of a partial capture is a refund-type transaction.
        return [
          make(
            { txnPrefix: 'txn_3', type: 'refund', reportingCategory: 'partial_capture_reversal', sourceId: id('re_3'), sourceObject: 'refund', amount: s.amount.neg(), fee: Decimal.ZERO, feeDescription: '', description: `Partial capture reversal, order ${p.orderNumber}`, customerFacing: e.amount.neg() },
            'adjustment',
          ),
        ];
      case 'refund':
        return [
          make(
            { txnPrefix: 'txn_3', type: 'refund', reportingCategory: 'refund', sourceId: id('re_3'), sourceObject: 'refund', amount: s.amount.neg(), fee: Decimal.ZERO, feeDescription: '', description: `REFUND FOR CHARGE (${where})`, customerFacing: e.amount.neg() },
            'refund',
          ),
        ];
      case 'chargeback':
        return [
          make(
            { txnPrefix: 'txn_1', type: 'adjustment', reportingCategory: 'dispute', sourceId: this.disputeId(p), sourceObject: 'dispute', amount: s.amount.neg(), fee: ExchangeRates.fromEur(DISPUTE_FEE_EUR, s.currency), feeDescription: 'Dispute fee', description: `Chargeback withdrawal for ${p.transactionId} (Order ${p.orderNumber})`, customerFacing: null },
            'chargeback',
          ),
        ];
      case 'chargeback-reversal':
        return [
          make(
            { txnPrefix: 'txn_1', type: 'adjustment', reportingCategory: 'dispute_reversal', sourceId: this.disputeId(p), sourceObject: 'dispute', amount: s.amount, fee: ExchangeRates.fromEur(DISPUTE_FEE_EUR, s.currency).neg(), feeDescription: 'Dispute fee refund', description: `Chargeback reversal for ${p.transactionId} (Order ${p.orderNumber})`, customerFacing: null },
            'chargeback-reversal',
          ),
        ];
    }
  }

  disputeId(p: CapturedPayment): string {
    return stripeId('du_1', this.merchantAccount, p.orderId, this.month, this.seed);
  }

  reserve(kind: 'reserve' | 'reserve-release', amount: Decimal, currency: string, at: Date, payoutDate: string): SettlementRecord<StripeTxn> {
    const txn: StripeTxn = {
      id: stripeId('txn_1', this.merchantAccount, kind, at.toISOString(), currency, this.month, this.seed),
      // Constructed example: type reserve_transaction, category risk_reserved_funds (type value marked a guess there).
      type: 'reserve_transaction',
      reportingCategory: 'risk_reserved_funds',
      sourceId: null,
      sourceObject: null,
      amount: kind === 'reserve' ? amount.neg() : amount,
      fee: Decimal.ZERO,
      feeDescription: '',
      currency,
      exchangeRate: null,
      description: kind === 'reserve' ? 'Rolling reserve hold' : 'Rolling reserve release',
      payment: null,
      customerFacing: null,
    };
    return { at: new Date(this.payoutCreated(payoutDate).getTime() - 60_000), data: txn, line: line(currency, { lineId: txn.id, type: kind, payment: null, gross: txn.amount, fee: Decimal.ZERO, providerType: txn.reportingCategory }) };
  }

  closingRecords(): Array<SettlementRecord<StripeTxn>> {
    return [];
  }

  /** A payout is created the day before it arrives (guess), after every transaction it pays. */
  payoutCreated(arrivalDate: string): Date {
    return new Date(`${addDays(arrivalDate, -1)}T00:00:00Z`);
  }

  open(currency: string, arrivalDate: string, amount: Decimal, records: Array<SettlementRecord<StripeTxn>>): Payout<StripeTxn, StripePayoutData> {
    const payoutId = stripeId('po_1', this.merchantAccount, arrivalDate, currency, this.month, this.seed);
    const txn: StripeTxn = {
      id: stripeId('txn_1', payoutId),
      type: 'payout',
      reportingCategory: 'payout',
      sourceId: payoutId,
      sourceObject: 'payout',
      amount: amount.neg(),
      fee: Decimal.ZERO,
      feeDescription: '',
      currency,
      exchangeRate: null,
      description: 'STRIPE PAYOUT',
      payment: null,
      customerFacing: null,
    };
    return { provider: 'stripe', merchantAccount: this.merchantAccount, payoutId, currency, arrivalDate, amount, bankReference: payoutId, createdAt: this.payoutCreated(arrivalDate), records, data: { txn } };
  }
}
