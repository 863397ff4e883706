import type { Decimal } from '@ledgerline/money';

export type Provider = 'stripe' | 'klarna' | 'adyen';
export const PROVIDERS: readonly Provider[] = ['stripe', 'klarna', 'adyen'];

/** An order paid through the sandbox, as the shop's payment plugin sent it. */
export interface CaptureOrder {
  /** WooCommerce order ID (`id`). */
  orderId: string;
  /** WooCommerce order number (`number`); equals the ID unless a numbering plugin is active. */
  orderNumber: string;
  /** Order total, a decimal string in `currency`. */
  total: string;
  /** Presentment currency (the order's currency). */
  currency: string;
  /** ISO 8601 instant the customer paid (WooCommerce `date_paid_gmt`). */
  paidAt: string;
}

export interface CaptureResult {
  orderId: string;
  /** Stripe charge id `ch_…`, Klarna order id (UUID) or Adyen PSP reference (16 digits): what the plugin stores as the order's `transaction_id`. */
  transactionId: string;
}

/** A captured payment held by the sandbox. */
export interface CapturedPayment {
  provider: Provider;
  merchantAccount: string;
  orderId: string;
  orderNumber: string;
  total: Decimal;
  currency: string;
  paidAt: Date;
  transactionId: string;
  /** Stripe PaymentIntent `pi_…`; Klarna `short_order_id`; Adyen payment method variant. */
  secondaryId: string;
  /** Adyen `visa` / `mc` / `amex`; Stripe `card`; Klarna `invoice` / `pix` / `slice_it` / `direct_debit`. */
  paymentMethod: string;
}

export interface SettleMonthOptions {
  /** `YYYY-MM`: payments whose `paidAt` falls in this UTC month are settled. */
  month: string;
  seed: number;
  /** Orders that get a refund (some full, some partial), settled in a later payout. */
  refunds: number;
  /** Orders that are charged back; the first chargeback is reversed (won) later. */
  chargebacks: number;
  /** Orders captured in part: Stripe captures less than authorised; Klarna and Adyen capture in two shipments. Default 0. */
  partialCaptures?: number;
  /** Payout currency; orders in other currencies are converted at a daily rate the records show. Default: each order's own currency. */
  settlementCurrency?: string;
  /** Rolling reserve: percent of each payout's payments held back, a decimal string like "10". Default none. */
  reservePercent?: string;
  /** Days after which a reserve hold is released into a later payout. Default 7. */
  reserveReleaseDays?: number;
}

export type GroundTruthLineType = 'payment' | 'refund' | 'chargeback' | 'chargeback-reversal' | 'fee' | 'reserve' | 'reserve-release' | 'adjustment';

/**
 * One record of a payout as the provider lists it (a Stripe balance transaction, a Klarna transaction,
 * an Adyen SDR row), in the payout currency: `net = gross − fee`, and the nets sum to the payout amount.
 */
export interface GroundTruthLine {
  /** The provider's id of the record: Stripe `txn_…`; Klarna `<capture_id|refund_id|payment_reference>:<detailed_type>`; Adyen Modification Reference (or `batch_<n>:<type>` for batch rows). */
  lineId: string;
  type: GroundTruthLineType;
  orderNumber: string | null;
  /** WooCommerce order ID of the order, when the record belongs to one. */
  orderId: string | null;
  /** The order's `transaction_id` at the provider (see {@link CaptureResult}). */
  transactionId: string | null;
  gross: string;
  fee: string;
  net: string;
  /** The provider's own name for the record: Stripe `reporting_category`, Klarna `type/detailed_type`, Adyen `Type`. */
  providerType: string;
  /** Amount in the order's currency when it was converted; else null. */
  presentmentAmount: string | null;
  presentmentCurrency: string | null;
  exchangeRate: string | null;
}

export interface GroundTruthPayout {
  provider: Provider;
  /** Stripe `po_…`; Klarna `payment_reference`; Adyen batch number (e.g. `"3"`). */
  payoutId: string;
  merchantAccount: string;
  currency: string;
  /** Net paid to the bank, decimal string in `currency`. */
  amount: string;
  /** `YYYY-MM-DD`. */
  arrivalDate: string;
  /** What the bank statement shows: Stripe payout id; Klarna payment reference; Adyen MerchantPayout Modification Reference. */
  bankReference: string;
  lines: GroundTruthLine[];
}

export interface GroundTruth {
  payouts: GroundTruthPayout[];
}

export interface PspFaults {
  /** Every report is delivered twice: Adyen posts REPORT_AVAILABLE twice per batch; Klarna and Stripe CSVs hold each row twice. */
  duplicateReport?: boolean;
  /** Report CSVs get one extra row whose amount is not a number and which lacks its last column. */
  malformedRow?: boolean;
  /** Report CSVs get one extra row for a merchant account the credentials do not cover (Klarna, Adyen only). */
  unknownMerchantAccountRow?: boolean;
}
