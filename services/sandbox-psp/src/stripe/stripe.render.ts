import { Decimal } from '@ledgerline/money';
import { csvDocument } from '../common/csv';
import { unix, utcDateTime } from '../common/dates';
import { stripeId } from '../common/ids';
import { major, minorUnits } from '../common/money';
import type { Payout, SettlementRecord } from '../ledger/settlement-engine';
import type { StripePayoutData, StripeTxn } from './stripe.book';

export type StripePayout = Payout<StripeTxn, StripePayoutData>;

/** `payout` object (openapi-trimmed-2023-08-16.json, fields as in the constructed example). */
export function payoutJson(p: StripePayout): Record<string, unknown> {
  return {
    id: p.payoutId,
    object: 'payout',
    amount: minorUnits(p.amount, p.currency),
    arrival_date: unix(new Date(`${p.arrivalDate}T00:00:00Z`)),
    automatic: true,
    balance_transaction: p.data.txn.id,
    created: unix(p.createdAt),
    currency: p.currency.toLowerCase(),
    description: 'STRIPE PAYOUT',
    destination: stripeId('ba_1', p.merchantAccount, p.currency),
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    method: 'standard',
    original_payout: null,
    reconciliation_status: 'completed',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: null,
    status: 'paid',
    type: 'bank_account',
  };
}

/** A transaction with the payout it belongs to and its creation time. */
export interface StripeTxnEntry {
  payout: StripePayout;
  at: Date;
  txn: StripeTxn;
}

/** `balance_transaction` object; `source` expanded when `expandSource` gives the object. */
export function balanceTransactionJson(e: StripeTxnEntry, source: unknown): Record<string, unknown> {
  const t = e.txn;
  const m = (d: Decimal) => minorUnits(d, t.currency);
  return {
    id: t.id,
    object: 'balance_transaction',
    amount: m(t.amount),
    available_on: unix(new Date(`${e.payout.arrivalDate}T00:00:00Z`)),
    created: unix(e.at),
    currency: t.currency.toLowerCase(),
    description: t.description,
    // Stripe's own field is a JSON number; the sandbox keeps the rate as an exact decimal and writes it here.
    exchange_rate: t.exchangeRate ? Number(t.exchangeRate.toString()) : null,
    fee: m(t.fee),
    fee_details: t.fee.isZero() ? [] : [{ amount: m(t.fee), application: null, currency: t.currency.toLowerCase(), description: t.feeDescription, type: 'stripe_fee' }],
    net: m(t.amount.sub(t.fee)),
    reporting_category: t.reportingCategory,
    source: source ?? t.sourceId,
    status: 'available',
    type: t.type,
    balance_type: 'payments',
  };
}

/** Columns of `payout_reconciliation.itemized.5` exactly as the contract's example file has them. */
export const STRIPE_REPORT_COLUMNS = [
  'automatic_payout_id',
  'automatic_payout_effective_at',
  'balance_transaction_id',
  'created_utc',
  'available_on_utc',
  'currency',
  'gross',
  'fee',
  'net',
  'reporting_category',
  'source_id',
  'description',
  'customer_facing_amount',
  'customer_facing_currency',
  'charge_id',
  'payment_intent_id',
  'payment_metadata[order_id]',
] as const;

/** One report row per balance transaction the payout paid (its own `payout` transaction excluded, as in the example). */
export function reportRows(p: StripePayout): string[][] {
  const effective = `${p.arrivalDate} 00:00:00`;
  return [...p.records]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((r: SettlementRecord<StripeTxn>) => {
      const t = r.data;
      const pay = t.payment;
      return [
        p.payoutId,
        effective,
        t.id,
        utcDateTime(r.at),
        effective,
        t.currency.toLowerCase(),
        major(t.amount, t.currency),
        major(t.fee, t.currency),
        major(t.amount.sub(t.fee), t.currency),
        t.reportingCategory,
        t.sourceId ?? '',
        t.description,
        t.customerFacing && pay ? major(t.customerFacing, pay.currency) : '',
        t.customerFacing && pay ? pay.currency.toLowerCase() : '',
        pay?.transactionId ?? '',
        pay?.secondaryId ?? '',
        pay?.orderId ?? '',
      ];
    });
}

export function reportCsv(p: StripePayout, rows: string[][] = reportRows(p)): string {
  return csvDocument(STRIPE_REPORT_COLUMNS, rows, ',');
}
