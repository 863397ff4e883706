/**
 * @ledgerline/woocommerce: the WooCommerce REST API v3 client, webhook verification and the
 * WooCommerce payload types. See README.md.
 */
export {
  WooCommerceClient,
  type WooCommerceClientOptions,
  type WooListParams,
  type WooOrderListParams,
  type WooProductListParams,
  type WooCustomerListParams,
  type WooWebhookListParams,
  type WooOrderSweepOptions,
  type WooProductSweepOptions,
  type WooBatchOptions,
} from './woocommerce.client';
export { type WooRetryOptions, type WooAuthMode, backoffDelayMs } from './woocommerce-http.client';
export { WooSweep, formatGmt, parseGmt, type WooPage, type WooSweepOptions, type WooSweepMode, type Sweepable } from './modified-sweep';
export { WOO_BATCH_LIMIT, type WooBatchAction, type WooBatchResult, type WooBatchItemResult, type WooBatchItemSuccess, type WooBatchItemFailure } from './woocommerce-batch';
export { WooCommerceError, WooApiError, WooWebhookError, type WooErrorCode, type WooErrorKind, type WooErrorContext, type WooApiErrorDetails } from './woocommerce.error';
export { parseWooErrorResponse, parseWooItemError, classifyWooTransportError, parseRetryAfter, type WooCall, type WooErrorResponse } from './woocommerce-error.parser';
export { oauth1BaseString, oauth1Signature, signOAuth1Query, rawUrlEncode, type OAuth1SignatureInput } from './oauth1-signature';
export { verifyWebhookSignature, parseWebhookHeaders, isPing, wpSpecialcharsDecode, type WooWebhookDelivery, type WebhookHeaders } from './webhook-signature';
export type * from './woocommerce.types';
