import { Decimal } from '@ledgerline/money';
import { currencyCell, dateCell, decimalCell, fixed, readCsv, requiredCell, RowError, type CsvRow } from './csv-table';
import type { LineKind, ParsedSettlement, SettlementLine, SettlementPayout } from './settlement';

/** The SDR columns reconciliation needs (contracts/psp/adyen/SETTLEMENT.md; found by name, not position). */
export const ADYEN_REPORT_COLUMNS = [
  'Merchant Account',
  'Psp Reference',
  'Merchant Reference',
  'Creation Date',
  'Type',
  'Modification Reference',
  'Gross Currency',
  'Gross Debit (GC)',
  'Gross Credit (GC)',
  'Exchange Rate',
  'Net Currency',
  'Net Debit (NC)',
  'Net Credit (NC)',
  'Commission (NC)',
  'Markup (NC)',
  'Scheme Fees (NC)',
  'Interchange (NC)',
  'Batch Number',
] as const;

// Journal types (SETTLEMENT.md, "Journal types"). DepositCorrection goes either way: its sign decides reserve vs release.
function kindOf(type: string, net: Decimal): LineKind | 'payout' {
  switch (type) {
    case 'Settled':
      return 'payment';
    case 'Refunded':
      return 'refund';
    case 'Chargeback':
    case 'SecondChargeback':
      return 'chargeback';
    case 'ChargebackReversed':
      return 'chargeback-reversal';
    case 'Fee':
    case 'MiscCosts':
    case 'PaymentCost':
    case 'AuthorisationSchemeFee':
    case 'InvoiceDeduction':
      return 'fee';
    case 'DepositCorrection':
      return net.isNegative() ? 'reserve' : 'reserve-release';
    case 'MerchantPayout':
      return 'payout';
    default:
      // RefundedReversed, ManualCorrected, MatchedStatement, BankInstructionReturned, ...: booked to the adjustment account.
      return 'adjustment';
  }
}

const FEE_COLUMNS = ['Commission (NC)', 'Markup (NC)', 'Scheme Fees (NC)', 'Interchange (NC)'] as const;

/**
 * Reads an Adyen settlement details report (one payable batch of one merchant account; comma-delimited, major units).
 * Each row's Net Credit − Net Debit is its effect on the balance; the per-row costs (columns 17–20) are its fee, so
 * `gross = net + fees`. The MerchantPayout row states the batch's payout (SETTLEMENT.md: Σ net = MerchantPayout).
 */
export function parseAdyenReport(text: string, fileName = ''): ParsedSettlement {
  const out: ParsedSettlement = { provider: 'adyen', payouts: [], lines: [], rejected: [] };
  const payouts = new Map<string, SettlementPayout>();
  const seen = new Map<string, number>();
  const fileBatch = /batch_(\d+)/.exec(fileName)?.[1] ?? null;
  readCsv(
    text,
    { delimiter: ',', required: ADYEN_REPORT_COLUMNS, report: 'Adyen settlement details report' },
    (row) => {
      try {
        const merchantAccount = requiredCell(row, 'Merchant Account');
        const batch = row.opt('Batch Number') ?? fileBatch;
        if (!batch) throw new RowError('Batch Number', '"Batch Number" is empty and the file name names no batch');
        const type = requiredCell(row, 'Type');
        const netCurrency = currencyCell(row, 'Net Currency');
        const net = decimalCell(row, 'Net Credit (NC)').sub(decimalCell(row, 'Net Debit (NC)'));
        const fee = Decimal.sum(FEE_COLUMNS.map((c) => decimalCell(row, c)));
        const kind = kindOf(type, net);
        const key = `${merchantAccount}\u0000${batch}`;
        let payout = payouts.get(key);
        if (!payout) {
          payout = { provider: 'adyen', merchantAccount, payoutId: batch, currency: netCurrency, amount: null, arrivalDate: dateCell(row, 'Creation Date') };
          payouts.set(key, payout);
        }
        if (kind === 'payout') {
          payout.amount = fixed(net.neg());
          payout.arrivalDate = dateCell(row, 'Creation Date');
          return;
        }
        out.lines.push(adyenLine(row, { merchantAccount, batch, type, kind, netCurrency, net, fee }, seen));
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        out.rejected.push({ row: row.line, column: err.column, message: err.message, raw: row.raw, merchantAccount: row.opt('Merchant Account'), payoutId: row.opt('Batch Number') ?? fileBatch });
      }
    },
    (line, column, message, raw) => out.rejected.push({ row: line, column, message, raw, merchantAccount: null, payoutId: fileBatch }),
  );
  out.payouts = [...payouts.values()];
  return out;
}

function adyenLine(
  row: CsvRow,
  r: { merchantAccount: string; batch: string; type: string; kind: LineKind; netCurrency: string; net: Decimal; fee: Decimal },
  seen: Map<string, number>,
): SettlementLine {
  const psp = row.opt('Psp Reference');
  const modification = row.opt('Modification Reference') ?? '';
  // The modification reference is unique per capture/refund/chargeback; batch-level rows (Fee, DepositCorrection)
  // carry free text, so the key adds the batch and an occurrence count.
  const base = `${r.merchantAccount}:${r.batch}:${r.type}:${psp ?? ''}:${modification}`;
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  const grossGc = decimalCell(row, 'Gross Credit (GC)').sub(decimalCell(row, 'Gross Debit (GC)'));
  const gc = row.opt('Gross Currency');
  const rate = row.opt('Exchange Rate');
  if (rate !== null) decimalCell(row, 'Exchange Rate');
  return {
    provider: 'adyen',
    merchantAccount: r.merchantAccount,
    payoutId: r.batch,
    lineId: n === 1 ? base : `${base}:${n}`,
    kind: r.kind,
    currency: r.netCurrency,
    gross: fixed(r.net.add(r.fee)),
    fee: fixed(r.fee),
    net: fixed(r.net),
    presentmentAmount: gc && !grossGc.isZero() ? fixed(grossGc.abs()) : null,
    presentmentCurrency: gc && !grossGc.isZero() ? gc.toUpperCase() : null,
    exchangeRate: rate,
    orderNumber: row.opt('Merchant Reference'),
    orderId: null,
    transactionId: psp,
    altTransactionId: null,
    refundReference: row.opt('Modification Merchant Reference'),
    providerReference: modification || psp || `${r.batch}:${r.type}`,
    description: `${r.type} ${modification}`.trim(),
    occurredAt: row.opt('Creation Date'),
  };
}
