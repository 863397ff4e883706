import { Decimal, RoundingMode } from '@ledgerline/money';
import { addBusinessDays } from '../common/dates';
import { adyenPspReference, derivedChars } from '../common/ids';
import { toMinorUnit } from '../common/money';
import { ExchangeRates } from '../ledger/fx';
import { line, type Converted, type MoneyEvent, type Payout, type ProviderBook, type SettlementRecord } from '../ledger/settlement-engine';
import type { CapturedPayment, GroundTruthLineType } from '../ledger/psp-types';

/** One row of the settlement details report; empty amounts are null. */
export interface AdyenRow {
  type: 'Settled' | 'Refunded' | 'Chargeback' | 'ChargebackReversed' | 'Fee' | 'DepositCorrection' | 'MerchantPayout';
  payment: CapturedPayment | null;
  modificationReference: string;
  modificationMerchantReference: string;
  grossCurrency: string;
  grossDebit: Decimal | null;
  grossCredit: Decimal | null;
  exchangeRate: Decimal | null;
  netCurrency: string;
  netDebit: Decimal | null;
  netCredit: Decimal | null;
  commission: Decimal | null;
  markup: Decimal | null;
  schemeFees: Decimal | null;
  interchange: Decimal | null;
}

export interface AdyenPayoutData {
  batchNumber: number;
  /** The batch's closing MerchantPayout row (not a ground-truth line: it is the payout itself). */
  payoutRow: { at: Date; row: AdyenRow };
}

/**
 * Interchange++ price points (percent of the settled amount) in the shape of SETTLEMENT.md's sample:
 * interchange by card variant (EEA caps: 0.2 % debit, 0.3 % credit), scheme fees, Adyen markup; American
 * Express on blended pricing in Commission. Per-transaction processing fee €0.11 booked on the batch's
 * Fee row; chargeback fee €7.50 in Commission (Adyen sample row). Values are the sandbox's, not a price list.
 */
const INTERCHANGE: Readonly<Record<string, string>> = { visadebit: '0.2', visaclassic: '0.3', mcdebit: '0.2', mccredit: '0.3' };
const SCHEME_PERCENT = '0.12';
const MARKUP_PERCENT = '0.35';
const AMEX_COMMISSION_PERCENT = '2.95';
const PROCESSING_FEE_EUR = '0.11';
const CHARGEBACK_FEE_EUR = '7.50';

export class AdyenBook implements ProviderBook<AdyenRow, AdyenPayoutData> {
  readonly provider = 'adyen' as const;

  constructor(
    private readonly merchantAccount: string,
    private readonly month: string,
    private readonly seed: number,
    /** Gives the next payable batch number of the merchant account. */
    private readonly nextBatch: () => number,
  ) {}

  /** A payable batch closes every business day for the previous day's bookings (default payout schedule, guessed). */
  payoutDate(date: string): string {
    return addBusinessDays(date, 1);
  }

  private record(row: AdyenRow, at: Date, lineId: string, type: GroundTruthLineType, gross: Decimal, fee: Decimal, presentment?: { amount: Decimal; currency: string; rate: Decimal | null }): SettlementRecord<AdyenRow> {
    return { at, data: row, line: line(row.netCurrency, { lineId, type, payment: row.payment, gross, fee, providerType: row.type, presentment }) };
  }

  records(e: MoneyEvent, s: Converted): Array<SettlementRecord<AdyenRow>> {
    const p = e.payment;
    const presentment = { amount: e.amount, currency: p.currency, rate: s.rate };
    const modRef = adyenPspReference('adyen-modification', this.merchantAccount, p.orderId, e.kind, e.seq, this.month, this.seed);
    const pct = (percent: string) => toMinorUnit(s.amount.mul(percent).div(100, 8, RoundingMode.HALF_UP), s.currency);
    const empty = { grossDebit: null, grossCredit: null, netDebit: null, netCredit: null, commission: null, markup: null, schemeFees: null, interchange: null };
    const base = { ...empty, payment: p, modificationReference: modRef, grossCurrency: p.currency, exchangeRate: s.rate, netCurrency: s.currency, modificationMerchantReference: '' };
    switch (e.kind) {
      case 'capture': {
        const amex = p.paymentMethod === 'amex';
        const fees = amex
          ? { commission: pct(AMEX_COMMISSION_PERCENT), markup: null, schemeFees: null, interchange: null }
          : { commission: null, markup: pct(MARKUP_PERCENT), schemeFees: pct(SCHEME_PERCENT), interchange: pct(INTERCHANGE[p.secondaryId] ?? '0.3') };
        const fee = Decimal.sum([fees.commission, fees.markup, fees.schemeFees, fees.interchange].filter((f): f is Decimal => f !== null));
        const row: AdyenRow = { ...base, ...fees, type: 'Settled', grossCredit: e.amount, netCredit: s.amount.sub(fee), modificationMerchantReference: e.of > 1 ? `${p.orderNumber}-capture-${e.seq}` : p.orderNumber };
        return [this.record(row, e.at, modRef, 'payment', s.amount, fee, presentment)];
      }
      case 'refund': {
        const row: AdyenRow = { ...base, type: 'Refunded', grossDebit: e.amount, netDebit: s.amount, modificationMerchantReference: `${p.orderNumber}-refund-${e.seq}` };
        return [this.record(row, e.at, modRef, 'refund', s.amount.neg(), Decimal.ZERO, presentment)];
      }
      case 'chargeback': {
        const fee = ExchangeRates.fromEur(CHARGEBACK_FEE_EUR, s.currency);
        const row: AdyenRow = { ...base, type: 'Chargeback', grossDebit: e.amount, netDebit: s.amount.add(fee), commission: fee };
        return [this.record(row, e.at, modRef, 'chargeback', s.amount.neg(), fee, presentment)];
      }
      case 'chargeback-reversal': {
        const row: AdyenRow = { ...base, type: 'ChargebackReversed', grossCredit: e.amount, netCredit: s.amount };
        return [this.record(row, e.at, modRef, 'chargeback-reversal', s.amount, Decimal.ZERO, presentment)];
      }
      case 'uncaptured':
        throw new Error('sandbox-psp defect: Adyen partial captures are several Settled rows, never an uncaptured remainder');
    }
  }

  private batchRow(type: AdyenRow['type'], currency: string, modificationReference: string, debit: Decimal | null, credit: Decimal | null): AdyenRow {
    return {
      type,
      payment: null,
      modificationReference,
      modificationMerchantReference: '',
      grossCurrency: '',
      grossDebit: null,
      grossCredit: null,
      exchangeRate: null,
      netCurrency: currency,
      netDebit: debit,
      netCredit: credit,
      commission: null,
      markup: null,
      schemeFees: null,
      interchange: null,
    };
  }

  reserve(kind: 'reserve' | 'reserve-release', amount: Decimal, currency: string, at: Date): SettlementRecord<AdyenRow> {
    const hold = kind === 'reserve';
    const row = this.batchRow('DepositCorrection', currency, hold ? 'Deposit correction (rolling reserve)' : 'Deposit correction (rolling reserve release)', hold ? amount : null, hold ? null : amount);
    return this.record(row, at, `deposit:${kind}:${at.toISOString().slice(0, 10)}:${currency}`, kind, hold ? amount.neg() : amount, Decimal.ZERO);
  }

  closingRecords(records: ReadonlyArray<SettlementRecord<AdyenRow>>, currency: string, payoutDate: string): Array<SettlementRecord<AdyenRow>> {
    const settled = records.filter((r) => r.data.type === 'Settled').length;
    if (settled === 0) return [];
    const fee = ExchangeRates.fromEur(PROCESSING_FEE_EUR, currency).mul(settled);
    const monthName = new Date(`${payoutDate}T00:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const row = this.batchRow('Fee', currency, `Transaction Fees ${monthName}`, fee, null);
    return [this.record(row, new Date(`${payoutDate}T02:55:40Z`), `fee:${payoutDate}:${currency}`, 'fee', Decimal.ZERO, fee)];
  }

  open(currency: string, arrivalDate: string, amount: Decimal, records: Array<SettlementRecord<AdyenRow>>): Payout<AdyenRow, AdyenPayoutData> {
    const batchNumber = this.nextBatch();
    const bankReference = `TX${derivedChars(7, '0123456789', 'adyen-bank', this.merchantAccount, batchNumber, currency)}XT batch ${batchNumber}, Sandbox Bank`;
    // Batch rows got provisional ids before the batch had a number; the report's own ids use it.
    for (const r of records) if (r.data.payment === null) r.line.lineId = `batch_${batchNumber}:${r.data.type}:${r.line.lineId}`;
    const at = new Date(`${arrivalDate}T03:00:02Z`);
    const row = this.batchRow('MerchantPayout', currency, bankReference, amount, null);
    return { provider: 'adyen', merchantAccount: this.merchantAccount, payoutId: String(batchNumber), currency, arrivalDate, amount, bankReference, createdAt: at, records, data: { batchNumber, payoutRow: { at, row } } };
  }
}
