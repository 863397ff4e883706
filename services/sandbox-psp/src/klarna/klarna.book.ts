import { Decimal, RoundingMode } from '@ledgerline/money';
import { isoDate, nextMonday } from '../common/dates';
import { derivedChars, derivedUuid, upperAlnum } from '../common/ids';
import { major, minorUnits, toMinorUnit } from '../common/money';
import { ExchangeRates } from '../ledger/fx';
import { line, type Converted, type MoneyEvent, type Payout, type ProviderBook, type SettlementRecord } from '../ledger/settlement-engine';
import type { CapturedPayment, GroundTruthLineType } from '../ledger/psp-types';

/** A Klarna settlement transaction; `amount` is a magnitude, its sign given by `type` (SETTLEMENTS.md, sign convention). */
export interface KlarnaTxn {
  type: 'SALE' | 'FEE' | 'RETURN' | 'FEE_REFUND' | 'REVERSAL' | 'REVERSAL_MERCHANT_PROTECTION' | 'HOLDBACK' | 'RELEASE';
  detailedType: string;
  amount: Decimal;
  currency: string;
  payment: CapturedPayment | null;
  captureId: string;
  refundId: string;
  saleDate: Date;
  captureDate: Date;
  merchantCaptureReference: string;
  merchantRefundReference: string;
  reversalReference: string;
  klarnaComment: string;
}

/** `totals` of a Klarna payout, minor units. */
export type KlarnaTotals = Record<
  | 'commission_amount' | 'repay_amount' | 'sale_amount' | 'holdback_amount' | 'tax_amount' | 'fee_correction_amount' | 'reversal_amount' | 'release_amount' | 'return_amount'
  | 'fee_amount' | 'charge_amount' | 'credit_amount' | 'fee_refund_amount' | 'tax_refund_amount' | 'deposit_amount' | 'opening_debt_balance_amount' | 'closing_debt_balance_amount' | 'settlement_amount',
  number
>;

export interface KlarnaPayoutData {
  totals: KlarnaTotals;
}

/** Klarna's published EU Pay-later pricing (2.99 % + €0.35, constructed example rows); no VAT on fees, as in the example. */
const PERCENT = Decimal.of('2.99');
const FIXED_EUR = '0.35';

/** The sign each type carries in the settlement formula (SETTLEMENTS.md, "Calculation of settlement amount"). */
const SIGN: Record<KlarnaTxn['type'], 1 | -1> = { SALE: 1, FEE: -1, RETURN: -1, FEE_REFUND: 1, REVERSAL: -1, REVERSAL_MERCHANT_PROTECTION: 1, HOLDBACK: -1, RELEASE: 1 };

const COUNTRY: Readonly<Record<string, string>> = { EUR: 'DE', SEK: 'SE', NOK: 'NO', DKK: 'DK', USD: 'US', GBP: 'GB', CHF: 'CH', PLN: 'PL', JPY: 'JP' };

export function purchaseCountry(currency: string): string {
  return COUNTRY[currency] ?? 'DE';
}

/** The signed contribution of a transaction to its payout. */
export function signedAmount(t: KlarnaTxn): Decimal {
  return SIGN[t.type] === 1 ? t.amount : t.amount.neg();
}

export class KlarnaBook implements ProviderBook<KlarnaTxn, KlarnaPayoutData> {
  readonly provider = 'klarna' as const;

  constructor(
    private readonly merchantAccount: string,
    private readonly month: string,
    private readonly seed: number,
  ) {}

  /** Weekly payouts every Monday for the previous days (matches the constructed example's dates; schedule guessed). */
  payoutDate(date: string): string {
    return nextMonday(date);
  }

  private record(t: KlarnaTxn, at: Date, lineId: string, kind: GroundTruthLineType, presentment: { amount: Decimal; currency: string; rate: Decimal | null } | undefined): SettlementRecord<KlarnaTxn> {
    const signed = signedAmount(t);
    const isFee = t.type === 'FEE' || t.type === 'FEE_REFUND';
    return {
      at,
      data: t,
      line: line(t.currency, { lineId, type: kind, payment: t.payment, gross: isFee ? Decimal.ZERO : signed, fee: isFee ? signed.neg() : Decimal.ZERO, providerType: `${t.type}/${t.detailedType}`, presentment }),
    };
  }

  records(e: MoneyEvent, s: Converted): Array<SettlementRecord<KlarnaTxn>> {
    const p = e.payment;
    const presentment = { amount: e.amount, currency: p.currency, rate: s.rate };
    // Klarna settles per currency and has no exchange-rate field; the conversion note is the sandbox's own (guess).
    const comment = s.rate ? `Converted from ${major(e.amount, p.currency)} ${p.currency} at ${s.rate.toString()}` : '';
    const base = { currency: s.currency, payment: p, saleDate: p.paidAt, captureDate: e.at, captureId: '', refundId: '', merchantCaptureReference: '', merchantRefundReference: '', reversalReference: '', klarnaComment: comment };
    const percentFee = (amount: Decimal) => toMinorUnit(amount.mul(PERCENT).div(100, 8, RoundingMode.HALF_UP), s.currency);
    switch (e.kind) {
      case 'capture': {
        const captureId = derivedUuid('klarna-capture', this.merchantAccount, p.orderId, e.seq);
        const c = { ...base, captureId, merchantCaptureReference: e.of > 1 ? `${p.orderNumber}-shipment-${e.seq}` : '' };
        return [
          this.record({ ...c, type: 'SALE', detailedType: 'PURCHASE', amount: s.amount }, e.at, `${captureId}:PURCHASE`, 'payment', presentment),
          this.record({ ...c, klarnaComment: '', type: 'FEE', detailedType: 'PURCHASE_FEE_PERCENTAGE', amount: percentFee(s.amount) }, e.at, `${captureId}:PURCHASE_FEE_PERCENTAGE`, 'fee', undefined),
          this.record({ ...c, klarnaComment: '', type: 'FEE', detailedType: 'PURCHASE_FEE_FIXED', amount: ExchangeRates.fromEur(FIXED_EUR, s.currency) }, e.at, `${captureId}:PURCHASE_FEE_FIXED`, 'fee', undefined),
        ];
      }
      case 'refund': {
        const refundId = derivedUuid('klarna-refund', this.merchantAccount, p.orderId, e.seq, this.month, this.seed);
        const r = { ...base, refundId, merchantRefundReference: `wc-refund-${p.orderId}-${e.seq}` };
        return [
          this.record({ ...r, type: 'RETURN', detailedType: 'PURCHASE_RETURN', amount: s.amount }, e.at, `${refundId}:PURCHASE_RETURN`, 'refund', presentment),
          this.record({ ...r, klarnaComment: '', type: 'FEE_REFUND', detailedType: 'PURCHASE_FEE_PERCENTAGE_REFUND', amount: percentFee(s.amount) }, e.at, `${refundId}:PURCHASE_FEE_PERCENTAGE_REFUND`, 'fee', undefined),
        ];
      }
      case 'chargeback':
        return [this.record({ ...base, type: 'REVERSAL', detailedType: 'REVERSAL', amount: s.amount, reversalReference: this.disputeKrn(p) }, e.at, `${p.transactionId}:REVERSAL`, 'chargeback', presentment)];
      case 'chargeback-reversal':
        // Dispute decided for the merchant: merchant protection pays the amount back (detailed type guessed).
        return [
          this.record({ ...base, type: 'REVERSAL_MERCHANT_PROTECTION', detailedType: 'CORRECTION_DISPUTE', amount: s.amount, reversalReference: this.disputeKrn(p) }, e.at, `${p.transactionId}:REVERSAL_MERCHANT_PROTECTION`, 'chargeback-reversal', presentment),
        ];
      case 'uncaptured':
        throw new Error('sandbox-psp defect: Klarna partial captures are split shipments, never an uncaptured remainder');
    }
  }

  private disputeKrn(p: CapturedPayment): string {
    return `krn:klarna:eu1:dispute:goods_not_received:${derivedChars(15, '0123456789', 'krn', this.merchantAccount, p.orderId)}`;
  }

  reserve(kind: 'reserve' | 'reserve-release', amount: Decimal, currency: string, at: Date): SettlementRecord<KlarnaTxn> {
    const type = kind === 'reserve' ? 'HOLDBACK' : 'RELEASE';
    const t: KlarnaTxn = {
      type,
      detailedType: 'ROLLING_RESERVE',
      amount,
      currency,
      payment: null,
      captureId: '',
      refundId: '',
      saleDate: at,
      captureDate: at,
      merchantCaptureReference: '',
      merchantRefundReference: '',
      reversalReference: '',
      klarnaComment: kind === 'reserve' ? 'Rolling reserve' : 'Rolling reserve release',
    };
    return this.record(t, at, `${type}:ROLLING_RESERVE:${isoDate(at)}:${currency}`, kind, undefined);
  }

  closingRecords(): Array<SettlementRecord<KlarnaTxn>> {
    return [];
  }

  open(currency: string, arrivalDate: string, amount: Decimal, records: Array<SettlementRecord<KlarnaTxn>>): Payout<KlarnaTxn, KlarnaPayoutData> {
    const paymentReference = upperAlnum(8, 'klarna-payout', this.merchantAccount, arrivalDate, currency, this.month, this.seed);
    const sum = (...types: Array<KlarnaTxn['type']>) => Decimal.sum(records.filter((r) => types.includes(r.data.type)).map((r) => r.data.amount));
    const m = (d: Decimal) => minorUnits(d, currency);
    const totals: KlarnaTotals = {
      commission_amount: 0,
      repay_amount: 0,
      sale_amount: m(sum('SALE')),
      holdback_amount: m(sum('HOLDBACK')),
      tax_amount: 0,
      fee_correction_amount: 0,
      // "− total_reversal_amount (− reversal, + reversal_merchant_protection)"
      reversal_amount: m(sum('REVERSAL').sub(sum('REVERSAL_MERCHANT_PROTECTION'))),
      release_amount: m(sum('RELEASE')),
      return_amount: m(sum('RETURN')),
      fee_amount: m(sum('FEE')),
      charge_amount: 0,
      credit_amount: 0,
      fee_refund_amount: m(sum('FEE_REFUND')),
      tax_refund_amount: 0,
      deposit_amount: 0,
      opening_debt_balance_amount: 0,
      closing_debt_balance_amount: 0,
      settlement_amount: m(amount),
    };
    const formula = totals.sale_amount - totals.return_amount - totals.reversal_amount - totals.fee_amount + totals.fee_refund_amount - totals.holdback_amount + totals.release_amount;
    if (formula !== totals.settlement_amount) throw new Error(`sandbox-psp defect: Klarna payout ${paymentReference} totals give ${formula}, settlement_amount is ${totals.settlement_amount}`);
    return { provider: 'klarna', merchantAccount: this.merchantAccount, payoutId: paymentReference, currency, arrivalDate, amount, bankReference: paymentReference, createdAt: new Date(`${arrivalDate}T06:00:00Z`), records, data: { totals } };
  }
}
