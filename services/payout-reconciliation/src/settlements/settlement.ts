import type { PaymentProvider } from '@ledgerline/contracts';

/**
 * What one settlement line does to the provider balance, in the provider-neutral words bookings use.
 * `capture-reversal` is the uncaptured part of a partially captured payment (Stripe `partial_capture_reversal`):
 * it is netted against the order's payment, never booked as a customer refund (contracts/psp/stripe/RECONCILIATION.md,
 * edge case 1).
 */
export const LineKinds = ['payment', 'refund', 'chargeback', 'chargeback-reversal', 'capture-reversal', 'fee', 'reserve', 'reserve-release', 'adjustment'] as const;
export type LineKind = (typeof LineKinds)[number];

/** Kinds that settle an order's document and therefore need a match before their payout can be booked. */
export const ORDER_KINDS: ReadonlySet<LineKind> = new Set(['payment', 'refund', 'chargeback', 'chargeback-reversal', 'capture-reversal']);

/**
 * One settlement line, normalised from any provider's API or report. Amounts are decimal strings in the payout's
 * (settlement) currency, signed as their effect on the provider balance: `net = gross - fee`, `fee` positive when it
 * costs the merchant.
 */
export interface SettlementLine {
  provider: PaymentProvider;
  merchantAccount: string;
  payoutId: string;
  /** Unique per provider: Stripe balance transaction id, a derived key for Klarna and Adyen (see their parsers). */
  lineId: string;
  kind: LineKind;
  currency: string;
  gross: string;
  fee: string;
  net: string;
  /** What the customer was charged or refunded, in the order's currency, as a positive amount; null when not reported. */
  presentmentAmount: string | null;
  presentmentCurrency: string | null;
  exchangeRate: string | null;
  /** The order number the provider carries (Klarna merchant_reference1, Adyen Merchant Reference). */
  orderNumber: string | null;
  /** The store's order id (Stripe metadata order_id, Klarna merchant_reference2). */
  orderId: string | null;
  /** The provider's payment id the store keeps as transaction_id (Stripe charge, Klarna order id, Adyen PSP reference). */
  transactionId: string | null;
  /** A second payment id some stores keep instead (Stripe payment intent). */
  altTransactionId: string | null;
  /** The store's refund reference when the provider carries one (Klarna merchant_refund_reference). */
  refundReference: string | null;
  /** The provider's own reference for this line (balance transaction, capture id, modification reference). */
  providerReference: string;
  description: string;
  occurredAt: string | null;
}

/** One payout (Stripe payout, Klarna payment_reference, Adyen batch). */
export interface SettlementPayout {
  provider: PaymentProvider;
  merchantAccount: string;
  payoutId: string;
  currency: string;
  /** The amount sent to the bank; null when the source does not state it (then it is the sum of the lines). */
  amount: string | null;
  /** YYYY-MM-DD. */
  arrivalDate: string;
}

/** A report row that could not be read; the rest of the file is kept. */
export interface RejectedRow {
  /** 1-based line of the file (the header is line 1). */
  row: number;
  column: string | null;
  message: string;
  raw: string;
  merchantAccount: string | null;
  payoutId: string | null;
}

/** What a parser read from one source. */
export interface ParsedSettlement {
  provider: PaymentProvider;
  payouts: SettlementPayout[];
  lines: SettlementLine[];
  rejected: RejectedRow[];
}
