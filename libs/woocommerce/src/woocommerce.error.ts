import type { WooBatchResult } from './woocommerce-batch';

/**
 * Stable codes of {@link WooCommerceError}; never renamed, because parked rows and alerts key on them.
 *
 * - `WOO_AUTH_REJECTED`: the store refused the API key (unknown key, wrong secret, bad signature,
 *   clock outside the 15-minute OAuth window, a Read-only key asked to write, or credentials ignored
 *   so the request ran as a guest).
 * - `WOO_PERMISSION_DENIED`: the key is valid but its WordPress user may not do this (403).
 * - `WOO_NOT_FOUND`: the order, product, refund, customer or webhook does not exist (any more).
 * - `WOO_API_NOT_FOUND`: no WooCommerce REST v3 route at the site URL (WooCommerce inactive, plain
 *   permalinks, wrong site URL).
 * - `WOO_SITE_REDIRECTED`: the site answered with a redirect (http → https, www ↔ bare domain).
 * - `WOO_RATE_LIMITED`: 429 from the store or its host.
 * - `WOO_UNAVAILABLE`: 5xx, maintenance page, proxy errors.
 * - `WOO_TIMEOUT`: no complete answer within `timeoutMs`.
 * - `WOO_UNREACHABLE`: DNS, connection refused or reset.
 * - `WOO_TLS_FAILED`: the certificate could not be verified.
 * - `WOO_BLOCKED`: a firewall or security plugin answered instead of WordPress (HTML 403/406).
 * - `WOO_REQUEST_INVALID`: WooCommerce refused the data or parameters (400, `rest_invalid_param`, ...).
 * - `WOO_CONFLICT`: the data clashes with something that exists (duplicate SKU, e-mail already registered).
 * - `WOO_BATCH_TOO_LARGE`: a batch over the store's item limit (413).
 * - `WOO_BATCH_ITEM_MISSING`: a batch answer did not account for an item that was sent.
 * - `WOO_RESPONSE_INVALID`: a 2xx answer that is not the JSON WooCommerce sends (PHP notices, HTML).
 * - `WOO_WEBHOOK_HEADERS_INVALID`: a webhook request without the X-WC-Webhook-* headers WooCommerce sets.
 * - `WOO_WEBHOOK_SECRET_MISSING`: signature verification was asked for with an empty secret.
 * - `WOO_CLIENT_CONFIG_INVALID`: the client was constructed or called with invalid arguments.
 */
export type WooErrorCode =
  | 'WOO_AUTH_REJECTED'
  | 'WOO_PERMISSION_DENIED'
  | 'WOO_NOT_FOUND'
  | 'WOO_API_NOT_FOUND'
  | 'WOO_SITE_REDIRECTED'
  | 'WOO_RATE_LIMITED'
  | 'WOO_UNAVAILABLE'
  | 'WOO_TIMEOUT'
  | 'WOO_UNREACHABLE'
  | 'WOO_TLS_FAILED'
  | 'WOO_BLOCKED'
  | 'WOO_REQUEST_INVALID'
  | 'WOO_CONFLICT'
  | 'WOO_BATCH_TOO_LARGE'
  | 'WOO_BATCH_ITEM_MISSING'
  | 'WOO_RESPONSE_INVALID'
  | 'WOO_WEBHOOK_HEADERS_INVALID'
  | 'WOO_WEBHOOK_SECRET_MISSING'
  | 'WOO_CLIENT_CONFIG_INVALID';

/** How a failure is handled: retried (transient), parked for a person (permanent), or parked and alerted as a bug (defect). */
export type WooErrorKind = 'transient' | 'permanent' | 'defect';

/** Structured facts about the failure, for logs and the console; never secrets. */
export interface WooErrorContext {
  /** The store's site URL as configured. */
  siteUrl?: string;
  method?: string;
  /** Route template, e.g. `/orders/{id}`. */
  endpoint?: string;
  /** HTTP status, when there was an answer. */
  status?: number;
  [key: string]: unknown;
}

/**
 * Base of every error this library throws: a stable {@link WooErrorCode}, a `kind` that tells the
 * consumer pipeline whether to retry or park, and an `operatorMessage` that names the store, the
 * object and what to change. libs/messaging classifies it by these three fields.
 */
export class WooCommerceError extends Error {
  override name = 'WooCommerceError';

  constructor(
    readonly code: WooErrorCode,
    readonly kind: WooErrorKind,
    readonly operatorMessage: string,
    readonly context: WooErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(operatorMessage, options);
  }
}

/** What {@link WooApiError} adds to the base: the HTTP exchange and WooCommerce's own words. */
export interface WooApiErrorDetails {
  /** HTTP status, or undefined when no answer arrived (timeout, connection error). */
  status?: number;
  /** WooCommerce's `code` from the body, e.g. `woocommerce_rest_authentication_error`. */
  wooCode?: string;
  /** WooCommerce's `message` from the body, HTML stripped. */
  wooMessage?: string;
  /** `data` from the body (`params`, `details`, `resource_id`, ...). */
  wooData?: Record<string, unknown>;
  /** From `Retry-After`, when the store sent one. */
  retryAfterMs?: number;
  /**
   * True when the request may have been applied although no success was seen (a timeout or 5xx on
   * a write). The caller must look before it creates again.
   */
  outcomeUnknown?: boolean;
  /** HTTP attempts made, retries included. */
  attempts?: number;
}

/**
 * An error from talking to a store's REST API, classified once at the client edge by
 * `woocommerce-error.parser.ts`. Code past the client reads `code` and `kind`, never `status` or `wooCode`.
 */
export class WooApiError extends WooCommerceError {
  override name = 'WooApiError';
  readonly status?: number;
  readonly wooCode?: string;
  readonly wooMessage?: string;
  readonly wooData?: Record<string, unknown>;
  readonly retryAfterMs?: number;
  outcomeUnknown: boolean;
  attempts: number;
  /**
   * Set when a batch split into several requests stopped at a request that failed as a whole:
   * what the requests before it confirmed, and how many items have no confirmed outcome (the failed
   * request's, which may have been applied when `outcomeUnknown`, and those never sent). Replaying
   * the whole batch is safe for absolute stock and price updates; creates in `applied` must not be
   * sent again.
   */
  batchProgress?: { applied: WooBatchResult<unknown>; itemsUnconfirmed: number };

  constructor(code: WooErrorCode, kind: WooErrorKind, operatorMessage: string, details: WooApiErrorDetails, context: WooErrorContext = {}, options?: { cause?: unknown }) {
    super(code, kind, operatorMessage, { ...context, status: details.status, wooCode: details.wooCode }, options);
    this.status = details.status;
    this.wooCode = details.wooCode;
    this.wooMessage = details.wooMessage;
    this.wooData = details.wooData;
    this.retryAfterMs = details.retryAfterMs;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.attempts = details.attempts ?? 1;
  }
}

/** A webhook request that is not what WooCommerce sends, or verification set up wrongly. */
export class WooWebhookError extends WooCommerceError {
  override name = 'WooWebhookError';
}
