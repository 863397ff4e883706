import { Decimal, minorUnitsOf } from '@ledgerline/money';
import { currencyCell, dateCell, decimalCell, fixed, readCsv, requiredCell, RowError } from './csv-table';
import type { LineKind, ParsedSettlement, SettlementLine, SettlementPayout } from './settlement';

// Klarna amounts are magnitudes whose sign the transaction type gives (SETTLEMENTS.md, "Sign convention", from the
// documented settlement formula). A negative number in an export is read by its magnitude, so both forms agree.
const TYPES: Record<string, { kind: LineKind; sign: 1 | -1 }> = {
  SALE: { kind: 'payment', sign: 1 },
  RETURN: { kind: 'refund', sign: -1 },
  REVERSAL: { kind: 'chargeback', sign: -1 },
  REVERSAL_MERCHANT_PROTECTION: { kind: 'chargeback-reversal', sign: 1 },
  FEE: { kind: 'fee', sign: -1 },
  FEE_REFUND: { kind: 'fee', sign: 1 },
  TAX: { kind: 'fee', sign: -1 },
  COMMISSION: { kind: 'adjustment', sign: 1 },
  CORRECTION: { kind: 'adjustment', sign: 1 },
  CHARGE: { kind: 'adjustment', sign: -1 },
  CREDIT: { kind: 'adjustment', sign: 1 },
  HOLDBACK: { kind: 'reserve', sign: -1 },
  RELEASE: { kind: 'reserve-release', sign: 1 },
};

/** The fields of one Klarna transaction (settlements-api-openapi.yml `Transaction`), as the API or the CSV gives them. */
export interface KlarnaTransaction {
  amount: number | string;
  type: string;
  detailed_type?: string | null;
  currency_code: string;
  payment_reference?: string | null;
  order_id?: string | null;
  capture_id?: string | null;
  refund_id?: string | null;
  merchant_reference1?: string | null;
  merchant_reference2?: string | null;
  merchant_refund_reference?: string | null;
  merchant_capture_reference?: string | null;
  vat_amount?: number | string | null;
  capture_date?: string | null;
  sale_date?: string | null;
  klarna_comment?: string | null;
  reversal_reference?: string | null;
}

/** A Klarna payout (`Payout`): totals in minor units. */
export interface KlarnaPayout {
  payment_reference: string;
  payout_date: string;
  currency_code: string;
  merchant_id: string;
  merchant_settlement_type?: string;
  totals: { settlement_amount: number } & Record<string, number>;
}

class KlarnaLineBuilder {
  build(merchantAccount: string, payoutId: string, t: KlarnaTransaction, magnitude: Decimal, vat: Decimal): SettlementLine {
    const type = TYPES[t.type];
    if (!type) throw new RowError('type', `"type" is ${JSON.stringify(t.type)}, which is not a Klarna transaction type this service books (${Object.keys(TYPES).join(', ')})`);
    const currency = t.currency_code.toUpperCase();
    const gross = magnitude.abs().mul(type.sign);
    const fee = type.kind === 'fee' ? vat.abs() : Decimal.ZERO;
    // Klarna transactions carry no id of their own. The key is what identifies a row within its payout (capture or
    // refund, type, detailed type, order, amount), the same from the API and the CSV. Two rows equal in all of these
    // are taken as one delivered twice: a capture has one fee of each detailed type.
    const lineId = [merchantAccount, payoutId, t.type, t.detailed_type ?? '', t.capture_id || t.refund_id || '', t.order_id ?? '', magnitude.abs().toString()].join(':');
    const ref = t.capture_id || t.refund_id || t.reversal_reference || t.order_id || `${payoutId}:${t.type}`;
    return {
      provider: 'klarna',
      merchantAccount,
      payoutId,
      lineId,
      kind: type.kind,
      currency,
      gross: fixed(gross),
      fee: fixed(fee),
      net: fixed(gross.sub(fee)),
      // Klarna's records carry no presentment amount of their own; what the customer paid is only known in the order.
      presentmentAmount: null,
      presentmentCurrency: null,
      exchangeRate: null,
      orderNumber: t.merchant_reference1 || null,
      orderId: t.merchant_reference2 || null,
      transactionId: t.order_id || null,
      altTransactionId: null,
      refundReference: t.merchant_refund_reference || t.refund_id || null,
      providerReference: ref,
      description: [t.type, t.detailed_type, t.klarna_comment].filter(Boolean).join(' '),
      occurredAt: t.capture_date || t.sale_date || null,
    };
  }
}

/** The CSV columns the reconciliation needs (settlement-report.constructed.csv; semicolon-delimited, major units). */
export const KLARNA_REPORT_COLUMNS = ['merchant_id', 'payment_reference', 'payout_date', 'type', 'amount', 'currency_code', 'order_id', 'merchant_reference1'] as const;

/**
 * Reads Klarna's settlement report CSV (one row per transaction, payout fields repeated per row). The CSV states no
 * payout total, so a payout's amount is the sum of its rows (the documented settlement formula).
 */
export function parseKlarnaReport(text: string): ParsedSettlement {
  const out: ParsedSettlement = { provider: 'klarna', payouts: [], lines: [], rejected: [] };
  const payouts = new Map<string, SettlementPayout>();
  const builder = new KlarnaLineBuilder();
  readCsv(
    text,
    { delimiter: ';', required: KLARNA_REPORT_COLUMNS, report: 'Klarna settlement report' },
    (row) => {
      try {
        const merchantAccount = requiredCell(row, 'merchant_id');
        const payoutId = requiredCell(row, 'payment_reference');
        const currency = currencyCell(row, 'currency_code');
        const amount = decimalCell(row, 'amount', false);
        const vat = decimalCell(row, 'vat_amount');
        const t: KlarnaTransaction = {
          amount: amount.toString(),
          type: requiredCell(row, 'type'),
          detailed_type: row.opt('detailed_type'),
          currency_code: currency,
          order_id: row.opt('order_id'),
          capture_id: row.opt('capture_id'),
          refund_id: row.opt('refund_id'),
          merchant_reference1: row.opt('merchant_reference1'),
          merchant_reference2: row.opt('merchant_reference2'),
          merchant_refund_reference: row.opt('merchant_refund_reference'),
          capture_date: row.opt('capture_date'),
          sale_date: row.opt('sale_date'),
          klarna_comment: row.opt('klarna_comment'),
          reversal_reference: row.opt('reversal_reference'),
        };
        const line = builder.build(merchantAccount, payoutId, t, amount, vat);
        const key = `${merchantAccount}\u0000${payoutId}`;
        if (!payouts.has(key)) payouts.set(key, { provider: 'klarna', merchantAccount, payoutId, currency, amount: null, arrivalDate: dateCell(row, 'payout_date') });
        out.lines.push(line);
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        out.rejected.push({ row: row.line, column: err.column, message: err.message, raw: row.raw, merchantAccount: row.opt('merchant_id'), payoutId: row.opt('payment_reference') });
      }
    },
    (line, column, message, raw) => out.rejected.push({ row: line, column, message, raw, merchantAccount: null, payoutId: null }),
  );
  out.payouts = [...payouts.values()];
  return out;
}

/** Maps one payout of Klarna's Settlements API and its transactions (amounts in minor units). */
export function mapKlarnaPayout(payout: KlarnaPayout, transactions: KlarnaTransaction[]): ParsedSettlement {
  const currency = payout.currency_code.toUpperCase();
  const digits = minorUnitsOf(currency);
  const minor = (v: number | string | null | undefined): Decimal => Decimal.fromUnscaled(BigInt(Number(v ?? 0)), digits);
  const builder = new KlarnaLineBuilder();
  const out: ParsedSettlement = {
    provider: 'klarna',
    payouts: [
      {
        provider: 'klarna',
        merchantAccount: payout.merchant_id,
        payoutId: payout.payment_reference,
        currency,
        amount: fixed(minor(payout.totals.settlement_amount)),
        arrivalDate: payout.payout_date.slice(0, 10),
      },
    ],
    lines: [],
    rejected: [],
  };
  transactions.forEach((t, i) => {
    try {
      out.lines.push(builder.build(payout.merchant_id, payout.payment_reference, t, minor(t.amount), minor(t.vat_amount)));
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      out.rejected.push({ row: i + 1, column: err.column, message: err.message, raw: JSON.stringify(t), merchantAccount: payout.merchant_id, payoutId: payout.payment_reference });
    }
  });
  return out;
}
