import { Decimal, minorUnitsOf } from '@ledgerline/money';
import { currencyCell, dateCell, decimalCell, fixed, readCsv, requiredCell, RowError, type CsvRow } from './csv-table';
import type { LineKind, ParsedSettlement, SettlementLine, SettlementPayout } from './settlement';

// Stripe's reporting_category is "improved for accounting" over `type` (contracts/psp/stripe/RECONCILIATION.md);
// treat it as an open enum: anything not listed here is an adjustment a person can see in the ERP.
function kindOf(category: string, gross: Decimal): LineKind | 'payout' {
  switch (category) {
    case 'charge':
      return 'payment';
    case 'refund':
      return 'refund';
    case 'partial_capture_reversal':
      return 'capture-reversal';
    case 'dispute':
      return 'chargeback';
    case 'dispute_reversal':
      return 'chargeback-reversal';
    case 'fee':
    case 'network_cost':
    case 'tax':
      return 'fee';
    case 'risk_reserved_funds':
      return gross.isNegative() ? 'reserve' : 'reserve-release';
    case 'payout':
    case 'payout_reversal':
      return 'payout';
    default:
      return 'adjustment';
  }
}

/** The columns of `payout_reconciliation.itemized.5` the reconciliation needs (RECONCILIATION.md, column table). */
export const STRIPE_REPORT_COLUMNS = ['automatic_payout_id', 'automatic_payout_effective_at', 'balance_transaction_id', 'currency', 'gross', 'fee', 'net', 'reporting_category'] as const;

/**
 * Reads Stripe's itemized payout reconciliation report (CSV, comma-delimited, major units). The report has no
 * merchant account column, so the uploader names the Stripe account. It has no payout row either: a payout's amount
 * is the sum of its rows' `net` (RECONCILIATION.md: payout amount = sum of balance transaction nets).
 */
export function parseStripeReport(text: string, merchantAccount: string): ParsedSettlement {
  const out: ParsedSettlement = { provider: 'stripe', payouts: [], lines: [], rejected: [] };
  const payouts = new Map<string, SettlementPayout>();
  readCsv(
    text,
    { delimiter: ',', required: STRIPE_REPORT_COLUMNS, report: 'Stripe itemized payout reconciliation report' },
    (row) => {
      try {
        const line = stripeRow(row, merchantAccount);
        if (!payouts.has(line.payoutId)) {
          payouts.set(line.payoutId, { provider: 'stripe', merchantAccount, payoutId: line.payoutId, currency: line.currency, amount: null, arrivalDate: dateCell(row, 'automatic_payout_effective_at') });
        }
        if (line.kind !== ('payout' as LineKind)) out.lines.push(line);
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        out.rejected.push({ row: row.line, column: err.column, message: err.message, raw: row.raw, merchantAccount, payoutId: row.opt('automatic_payout_id') });
      }
    },
    (line, column, message, raw) => out.rejected.push({ row: line, column, message, raw, merchantAccount, payoutId: null }),
  );
  out.payouts = [...payouts.values()];
  return out;
}

function stripeRow(row: CsvRow, merchantAccount: string): SettlementLine {
  const payoutId = requiredCell(row, 'automatic_payout_id');
  if (!/^po_/.test(payoutId)) throw new RowError('automatic_payout_id', `"automatic_payout_id" is ${JSON.stringify(payoutId)}, not a Stripe payout id (po_…)`);
  const txn = requiredCell(row, 'balance_transaction_id');
  const currency = currencyCell(row, 'currency');
  const gross = decimalCell(row, 'gross', false);
  const fee = decimalCell(row, 'fee');
  const net = decimalCell(row, 'net', false);
  if (!gross.sub(fee).eq(net)) throw new RowError('net', `"net" is ${net} but gross ${gross} minus fee ${fee} is ${gross.sub(fee)}`);
  const category = requiredCell(row, 'reporting_category');
  const kind = kindOf(category, gross);
  const facing = row.opt('customer_facing_amount');
  const facingCurrency = row.opt('customer_facing_currency');
  const presentment = facing && facingCurrency ? decimalCell(row, 'customer_facing_amount').abs() : null;
  return {
    provider: 'stripe',
    merchantAccount,
    payoutId,
    lineId: txn,
    kind: kind as LineKind,
    currency,
    gross: fixed(gross),
    fee: fixed(fee),
    net: fixed(net),
    presentmentAmount: presentment ? fixed(presentment) : null,
    presentmentCurrency: presentment && facingCurrency ? facingCurrency.toUpperCase() : null,
    exchangeRate: null,
    orderNumber: row.opt('payment_metadata[order_number]'),
    orderId: row.opt('payment_metadata[order_id]'),
    transactionId: row.opt('charge_id') ?? (row.opt('source_id')?.startsWith('ch_') || row.opt('source_id')?.startsWith('py_') ? row.opt('source_id') : null),
    altTransactionId: row.opt('payment_intent_id'),
    refundReference: row.opt('source_id')?.startsWith('re_') ? row.opt('source_id') : null,
    providerReference: txn,
    description: row.get('description'),
    occurredAt: row.opt('created_utc'),
  };
}

/** A Stripe list object (`GET /v1/payouts`, `GET /v1/balance_transactions`). */
export interface StripeList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** The payout fields reconciliation reads (openapi-trimmed-2023-08-16.json `payout`). */
export interface StripePayout {
  id: string;
  amount: number;
  currency: string;
  arrival_date: number;
  created?: number;
  automatic: boolean;
  status: string;
  reconciliation_status?: string;
}

/** An expanded balance transaction source: charge, refund or dispute (only the fields matching needs). */
export interface StripeSource {
  id: string;
  object?: string;
  amount?: number;
  currency?: string;
  charge?: string | { id: string } | null;
  payment_intent?: string | { id: string } | null;
  metadata?: Record<string, string>;
}

/** The balance transaction fields reconciliation reads. */
export interface StripeBalanceTransaction {
  id: string;
  amount: number;
  fee: number;
  net: number;
  currency: string;
  exchange_rate: number | null;
  reporting_category: string;
  type: string;
  description: string | null;
  created: number;
  source: string | StripeSource | null;
}

const idOf = (v: string | { id: string } | null | undefined): string | null => (v == null ? null : typeof v === 'string' ? v : v.id);

/** Amounts in Stripe's API are integers in the currency's minor unit (RECONCILIATION.md edge case 10). */
export function fromMinor(amount: number, currency: string): Decimal {
  if (!Number.isSafeInteger(amount)) throw new Error(`Stripe amount ${amount} ${currency} is not an integer of minor units`);
  return Decimal.fromUnscaled(BigInt(amount), minorUnitsOf(currency.toUpperCase()));
}

/**
 * Maps one Stripe payout and its balance transactions (`?payout=…&expand[]=data.source`) to settlement lines. The
 * payout's own `type=payout` transaction is dropped (RECONCILIATION.md: filter it out when summing).
 */
export function mapStripePayout(merchantAccount: string, payout: StripePayout, transactions: StripeBalanceTransaction[]): ParsedSettlement {
  const currency = payout.currency.toUpperCase();
  const lines: SettlementLine[] = [];
  for (const bt of transactions) {
    const gross = fromMinor(bt.amount, bt.currency);
    const kind = kindOf(bt.reporting_category, gross);
    if (kind === 'payout') continue;
    const source = typeof bt.source === 'object' && bt.source !== null ? bt.source : null;
    const sourceId = typeof bt.source === 'string' ? bt.source : (source?.id ?? null);
    const isCharge = sourceId !== null && /^(ch|py)_/.test(sourceId);
    const chargeId = isCharge ? sourceId : idOf(source?.charge);
    const presentment = source && typeof source.amount === 'number' && source.currency ? fromMinor(Math.abs(source.amount), source.currency) : null;
    lines.push({
      provider: 'stripe',
      merchantAccount,
      payoutId: payout.id,
      lineId: bt.id,
      kind,
      currency: bt.currency.toUpperCase(),
      gross: fixed(gross),
      fee: fixed(fromMinor(bt.fee, bt.currency)),
      net: fixed(fromMinor(bt.net, bt.currency)),
      presentmentAmount: presentment ? fixed(presentment) : null,
      presentmentCurrency: presentment && source?.currency ? source.currency.toUpperCase() : null,
      exchangeRate: bt.exchange_rate === null || bt.exchange_rate === undefined ? null : String(bt.exchange_rate),
      orderNumber: source?.metadata?.['order_number'] ?? null,
      orderId: source?.metadata?.['order_id'] ?? null,
      transactionId: chargeId,
      altTransactionId: idOf(source?.payment_intent),
      refundReference: sourceId && /^(re|pyr)_/.test(sourceId) ? sourceId : null,
      providerReference: bt.id,
      description: bt.description ?? '',
      occurredAt: new Date(bt.created * 1000).toISOString(),
    });
  }
  return {
    provider: 'stripe',
    payouts: [{ provider: 'stripe', merchantAccount, payoutId: payout.id, currency, amount: fixed(fromMinor(payout.amount, payout.currency)), arrivalDate: new Date(payout.arrival_date * 1000).toISOString().slice(0, 10) }],
    lines,
    rejected: [],
  };
}
