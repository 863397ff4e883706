import type { OrderStatus } from '../store/woo-records';

/** Order statuses the REST API accepts (without WooCommerce's internal `wc-` prefix). */
export const ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'];

/** Statuses `status=any` leaves out (post statuses excluded from search; contract guess). */
export const HIDDEN_FROM_ANY: readonly OrderStatus[] = ['trash', 'checkout-draft'];

/** Statuses from which `payment_complete()` moves an order to processing. */
export const PAYABLE_STATUSES: readonly OrderStatus[] = ['pending', 'on-hold', 'failed', 'cancelled', 'checkout-draft'];

/** Statuses on which WooCommerce reduces stock once (`wc_maybe_reduce_stock_levels`). */
export const STOCK_REDUCING_STATUSES: readonly OrderStatus[] = ['processing', 'completed', 'on-hold'];

/** Gateways that can refund through their API in the sandbox (a refund with `api_refund` true needs one). */
export const REFUNDABLE_GATEWAYS = ['stripe', 'klarna_payments', 'kco', 'adyen_cc', 'woocommerce_payments'];

/** Titles the generator and REST-created orders use for well-known gateways. */
export const GATEWAY_TITLES: Record<string, string> = {
  bacs: 'Direct bank transfer',
  cod: 'Cash on delivery',
  cheque: 'Check payments',
  stripe: 'Credit / Debit Card',
  klarna_payments: 'Klarna',
  kco: 'Klarna Checkout',
  adyen_cc: 'Credit Card (Adyen)',
  swish: 'Swish',
};
