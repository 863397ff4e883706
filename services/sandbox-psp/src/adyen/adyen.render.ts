import type { Decimal } from '@ledgerline/money';
import { csvDocument } from '../common/csv';
import { amsterdamTime } from '../common/dates';
import { major } from '../common/money';
import type { Payout } from '../ledger/settlement-engine';
import type { AdyenPayoutData, AdyenRow } from './adyen.book';

export type AdyenPayout = Payout<AdyenRow, AdyenPayoutData>;

/** The 30 columns of the constructed settlement details report, in its order (SETTLEMENT.md). */
export const ADYEN_REPORT_COLUMNS = [
  'Company Account', 'Merchant Account', 'Psp Reference', 'Merchant Reference', 'Payment Method', 'Creation Date', 'TimeZone', 'Type', 'Modification Reference', 'Gross Currency',
  'Gross Debit (GC)', 'Gross Credit (GC)', 'Exchange Rate', 'Net Currency', 'Net Debit (NC)', 'Net Credit (NC)', 'Commission (NC)', 'Markup (NC)', 'Scheme Fees (NC)', 'Interchange (NC)',
  'Payment Method Variant', 'Modification Merchant Reference', 'Batch Number', 'Reserved4', 'Reserved5', 'Reserved6', 'Reserved7', 'Reserved8', 'Reserved9', 'Reserved10',
] as const;

export function reportFileName(batchNumber: number | string): string {
  return `settlement_detail_report_batch_${batchNumber}.csv`;
}

export function rowFields(companyAccount: string, merchantAccount: string, batchNumber: number, at: Date, r: AdyenRow): string[] {
  const { dateTime, zone } = amsterdamTime(at);
  const gc = (d: Decimal | null) => (d ? major(d, r.grossCurrency) : '');
  const nc = (d: Decimal | null) => (d ? major(d, r.netCurrency) : '');
  const pay = r.payment;
  const transactional = pay !== null;
  return [
    companyAccount,
    merchantAccount,
    pay?.transactionId ?? '',
    pay?.orderNumber ?? '',
    pay?.paymentMethod ?? '',
    dateTime,
    zone,
    r.type,
    r.modificationReference,
    transactional ? r.grossCurrency : '',
    gc(r.grossDebit),
    gc(r.grossCredit),
    transactional ? (r.exchangeRate ? r.exchangeRate.toString() : '1') : '',
    r.netCurrency,
    nc(r.netDebit),
    nc(r.netCredit),
    nc(r.commission),
    nc(r.markup),
    nc(r.schemeFees),
    nc(r.interchange),
    pay?.secondaryId ?? '',
    r.modificationMerchantReference,
    String(batchNumber),
    '', '', '', '', '', '', '',
  ];
}

/** Every row of the batch in booking order, closing with its MerchantPayout row. */
export function reportRows(p: AdyenPayout, companyAccount: string): string[][] {
  return [
    ...p.records.map((r) => rowFields(companyAccount, p.merchantAccount, p.data.batchNumber, r.at, r.data)),
    rowFields(companyAccount, p.merchantAccount, p.data.batchNumber, p.data.payoutRow.at, p.data.payoutRow.row),
  ];
}

export function reportCsv(rows: string[][]): string {
  return csvDocument(ADYEN_REPORT_COLUMNS, rows, ',');
}
