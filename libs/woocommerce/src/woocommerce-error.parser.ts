import { WooApiError, type WooErrorCode, type WooErrorKind } from './woocommerce.error';
import type { WooError } from './woocommerce.types';

/** What was being attempted when a call failed; the operator message is built from it. */
export interface WooCall {
  /** The store's site URL as configured, e.g. `https://shop.example`. */
  siteUrl: string;
  method: string;
  /** Route template, e.g. `/orders/{id}`. */
  endpoint: string;
  /** What Ledgerline was doing, as a phrase that follows "while": `reading order 1234`. */
  activity: string;
}

/** An HTTP answer that was not a success. */
export interface WooErrorResponse {
  status: number;
  headers: Headers;
  body: string;
}

const KEY_ADVICE = 'create a Read/Write key under WooCommerce › Settings › Advanced › REST API and update the store in Ledgerline';

/**
 * Returns the classified error for a non-2xx answer (or a 2xx that is not WooCommerce's JSON): code,
 * kind and an operator message naming the store, what Ledgerline was doing, WooCommerce's own
 * code and message, and what to change. Status and vendor code are looked at here and nowhere else.
 *
 * Error bodies and codes: NOTES-rest-api.md and webhook-delivery.md in ../shared/contracts/woocommerce
 * (read 2026-11-26), and the sandbox's WordPress error bodies.
 */
export function parseWooErrorResponse(call: WooCall, res: WooErrorResponse): WooApiError {
  const body = parseErrorBody(res.body);
  const status = res.status;
  const wooCode = body?.code;
  const wooMessage = body ? cleanMessage(body.message) : undefined;
  const wooData = body?.data && typeof body.data === 'object' ? (body.data as Record<string, unknown>) : undefined;
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  const title = wooCode ? undefined : htmlTitle(res.body);
  const saidWith = (extra = ''): string => (wooCode ? ` (${wooCode}: ${wooMessage ?? ''}${extra})` : ` (HTTP ${status}${title ? `, "${title}"` : ''}${extra})`);
  const said = saidWith();
  const at = `WooCommerce at ${call.siteUrl}`;
  const make = (code: WooErrorCode, kind: WooErrorKind, message: string, extra: Record<string, unknown> = {}): WooApiError =>
    new WooApiError(code, kind, message, { status, wooCode, wooMessage, wooData, retryAfterMs }, { siteUrl: call.siteUrl, method: call.method, endpoint: call.endpoint, ...extra });

  if (status >= 300 && status < 400) {
    const location = res.headers.get('location') ?? '(no Location header)';
    return make(
      'WOO_SITE_REDIRECTED',
      'permanent',
      `${at} redirected the API request to ${stripSecrets(location)} while ${call.activity}: set the store's site URL in Ledgerline to exactly the Site Address WordPress shows under Settings › General (scheme and www included); requests are never followed across redirects because that would break OAuth signatures and drop credentials.`,
      { location: stripSecrets(location) },
    );
  }
  if (status === 429) {
    const wait = retryAfterMs !== undefined ? `; asked to wait ${Math.ceil(retryAfterMs / 1000)} s` : '';
    return make(
      'WOO_RATE_LIMITED',
      'transient',
      `${at} is rate limiting Ledgerline${saidWith(wait)} while ${call.activity}: it is retried automatically; if it keeps happening, lower the sync concurrency for this store or ask the host to raise its API rate limit.`,
    );
  }
  if (wooCode === 'woocommerce_rest_authentication_error' || wooCode === 'woocommerce_rest_authentication_missing_parameter') {
    return authError(call, make, said, wooMessage ?? '');
  }
  if (status === 401) {
    // A route's permission check answered: the request ran as a guest because the credentials were
    // ignored (WooCommerce ignores Basic auth and query keys over plain HTTP; some hosts strip the
    // Authorization header). NOTES-rest-api.md, "Authentication".
    return make(
      'WOO_AUTH_REJECTED',
      'permanent',
      `${at} treated the request as a guest${said} while ${call.activity}: the API key was not accepted. If the store runs on https, use https in the store's site URL in Ledgerline; if the host strips the Authorization header, switch the store's authentication to query-string keys; otherwise ${KEY_ADVICE}.`,
    );
  }
  if (status === 403) {
    if (wooCode) {
      return make(
        'WOO_PERMISSION_DENIED',
        'permanent',
        `${at} refused permission${said} while ${call.activity}: the API key's WordPress user lacks the capability; create the key for an Administrator or Shop Manager user under WooCommerce › Settings › Advanced › REST API and update the store in Ledgerline.`,
      );
    }
    return make(
      'WOO_BLOCKED',
      'permanent',
      `${at} did not reach WordPress: a firewall or security plugin answered${said} while ${call.activity}. Allow Ledgerline's outgoing IP addresses for /wp-json/wc/ in the host's firewall (Cloudflare, Wordfence, ModSecurity), then replay.`,
    );
  }
  if (wooCode === 'rest_no_route' || (status === 404 && !wooCode)) {
    return make(
      'WOO_API_NOT_FOUND',
      'permanent',
      `${at} has no WooCommerce REST API v3 route for ${call.method} ${call.endpoint}${said} while ${call.activity}: check that WooCommerce is active, that permalinks are not set to "Plain" (Settings › Permalinks), and that the site URL in Ledgerline is the WordPress Site Address.`,
    );
  }
  if (status === 404 || status === 410 || (wooCode !== undefined && /_invalid_id$/.test(wooCode))) {
    return make(
      'WOO_NOT_FOUND',
      'permanent',
      `${at} does not have what Ledgerline asked for${said} while ${call.activity}: it was deleted (or moved to the trash) in WooCommerce, or belongs to another store. Check it in the WooCommerce admin, then replay or discard the event.`,
    );
  }
  if (status === 413) {
    const limit = /more than (\d+) items/i.exec(wooMessage ?? '')?.[1];
    return make(
      'WOO_BATCH_TOO_LARGE',
      'permanent',
      `${at} refused a batch as too large${said} while ${call.activity}: the store limits batches to ${limit ?? 'fewer'} items (filter woocommerce_rest_batch_items_limit); lower the store's batch size in Ledgerline to ${limit ?? 'that limit'}.`,
      limit ? { limit: Number(limit) } : {},
    );
  }
  if (wooCode !== undefined && (wooCode === 'product_invalid_sku' || /^registration-error-(email|username)-exists$/.test(wooCode) || /_exists$/.test(wooCode))) {
    const owner = wooData?.['resource_id'];
    return make(
      'WOO_CONFLICT',
      'permanent',
      `${at} refused a duplicate${said}${owner !== undefined ? ` (already used by id ${String(owner)})` : ''} while ${call.activity}: SKUs and customer e-mails must be unique in the store; change the value in the ERP (or remove the duplicate in WooCommerce), then replay.`,
    );
  }
  // A refund over the remaining amount is a 500 with its own code ("Invalid refund amount."): bad data, not an outage.
  if (wooCode === 'woocommerce_rest_cannot_create_order_refund' || status === 501) {
    return make('WOO_REQUEST_INVALID', 'permanent', `${at} refused the request${said} while ${call.activity}: ${invalidAdvice(wooData)}`);
  }
  if (status >= 500) {
    const wait = retryAfterMs !== undefined ? `; Retry-After ${Math.ceil(retryAfterMs / 1000)} s` : '';
    return make(
      'WOO_UNAVAILABLE',
      'transient',
      `${at} is unavailable${saidWith(wait)} while ${call.activity}: it is retried automatically; if it persists, check that the site is up and look at its PHP error log (WooCommerce › Status › Logs).`,
    );
  }
  if (status >= 400) {
    return make('WOO_REQUEST_INVALID', 'permanent', `${at} refused the request${said} while ${call.activity}: ${invalidAdvice(wooData)}`, paramsOf(wooData));
  }
  return make(
    'WOO_RESPONSE_INVALID',
    'permanent',
    `${at} answered ${call.method} ${call.endpoint} with something that is not WooCommerce's JSON (HTTP ${status}${title ? `, "${title}"` : ''}) while ${call.activity}: PHP notices printed into API responses (turn off WP_DEBUG_DISPLAY) or a plugin rewriting /wp-json are the usual causes.`,
  );
}

/**
 * Returns the classified error for a failure without an HTTP answer: timeout, DNS, refused or reset
 * connection, TLS. `sent` says whether the request may have reached the store (false only when the
 * connection was never established), which decides if a non-idempotent call may be retried.
 */
export function classifyWooTransportError(call: WooCall, err: unknown, timedOut: boolean): { error: WooApiError; sent: boolean } {
  const at = `WooCommerce at ${call.siteUrl}`;
  const details = { outcomeUnknown: false };
  const ctx = { siteUrl: call.siteUrl, method: call.method, endpoint: call.endpoint };
  if (timedOut) {
    return {
      error: new WooApiError('WOO_TIMEOUT', 'transient', `${at} did not answer in time while ${call.activity}: it is retried automatically; if it persists, the store is overloaded or a slow plugin hooks into the REST API.`, details, ctx, { cause: err }),
      sent: true,
    };
  }
  const code = errorCode(err);
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return {
      error: new WooApiError('WOO_TLS_FAILED', 'permanent', `${at} presented a TLS certificate Ledgerline cannot verify (${code}) while ${call.activity}: renew or fix the certificate chain on the store's host, then replay.`, details, ctx, { cause: err }),
      sent: false,
    };
  }
  const notSent = code !== undefined && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code);
  return {
    error: new WooApiError(
      'WOO_UNREACHABLE',
      'transient',
      `${at} could not be reached (${code ?? (err instanceof Error ? err.message : String(err))}) while ${call.activity}: it is retried automatically; if it persists, check the site URL in Ledgerline, DNS, and that the host accepts connections from Ledgerline.`,
      details,
      ctx,
      { cause: err },
    ),
    sent: !notSent,
  };
}

/** Returns the classified error for one failed item of a 200 batch answer (`{id, error: {code, message, data}}`). */
export function parseWooItemError(call: WooCall, itemError: WooError): WooApiError {
  const status = typeof itemError.data?.status === 'number' ? itemError.data.status : 400;
  return parseWooErrorResponse(call, { status, headers: new Headers(), body: JSON.stringify(itemError) });
}

/** Milliseconds from a `Retry-After` value (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function authError(call: WooCall, make: (code: WooErrorCode, kind: WooErrorKind, message: string) => WooApiError, said: string, message: string): WooApiError {
  const at = `WooCommerce at ${call.siteUrl}`;
  if (/timestamp/i.test(message)) {
    return make('WOO_AUTH_REJECTED', 'permanent', `${at} rejected the request's OAuth timestamp${said} while ${call.activity}: the clocks of the store and Ledgerline differ by more than 15 minutes; fix the time (NTP) on the store's server or on Ledgerline's nodes.`);
  }
  if (/nonce/i.test(message)) {
    // Ledgerline signs every attempt with a fresh random nonce, so a reused one means a replaying proxy or a client bug.
    return make('WOO_AUTH_REJECTED', 'defect', `${at} rejected a reused OAuth nonce${said} while ${call.activity}: Ledgerline signs each attempt anew, so a proxy replayed the request or this is a Ledgerline defect; report it with the trace id.`);
  }
  if (/signature/i.test(message)) {
    return make(
      'WOO_AUTH_REJECTED',
      'permanent',
      `${at} rejected the OAuth signature${said} while ${call.activity}: the site URL in Ledgerline must be exactly the WordPress Site Address (http or https, with or without www), and the consumer secret must belong to the key; correct the store in Ledgerline.`,
    );
  }
  const permission = /does not have (read|write) permissions/i.exec(message)?.[1];
  if (permission) {
    return make('WOO_AUTH_REJECTED', 'permanent', `${at} rejected the API key${said} while ${call.activity}: the key lacks ${permission} permission; ${KEY_ADVICE}.`);
  }
  return make('WOO_AUTH_REJECTED', 'permanent', `${at} rejected the API key${said} while ${call.activity}: ${KEY_ADVICE}.`);
}

function invalidAdvice(data: Record<string, unknown> | undefined): string {
  const params = data?.['params'];
  const list =
    params && typeof params === 'object' && !Array.isArray(params)
      ? Object.entries(params as Record<string, unknown>).map(([k, v]) => `${k}: ${cleanMessage(String(v))}`)
      : Array.isArray(params)
        ? params.map((p) => `${String(p)}: missing`)
        : [];
  const detail = list.length > 0 ? `${list.join('; ')}. ` : '';
  return `${detail}Correct the data in the ERP or the mapping and replay; if Ledgerline itself built the invalid value, or the store runs a WooCommerce version older than the parameter (modified_after needs 5.x), report it.`;
}

function paramsOf(data: Record<string, unknown> | undefined): Record<string, unknown> {
  const params = data?.['params'];
  return params === undefined ? {} : { params };
}

function parseErrorBody(text: string): WooError | undefined {
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && typeof (parsed as WooError).code === 'string') {
      const e = parsed as WooError;
      return { code: e.code, message: typeof e.message === 'string' ? e.message : '', data: e.data ?? null };
    }
  } catch {
    // not JSON: an HTML page from WordPress, PHP or a proxy
  }
  return undefined;
}

/** WooCommerce messages may carry HTML (`<a href="#" class="showlogin">`); the console shows plain text. */
function cleanMessage(message: string): string {
  const text = message
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function htmlTitle(body: string): string | undefined {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(body)?.[1];
  return title ? cleanMessage(title) : undefined;
}

/** Query-string credentials and OAuth parameters must not reach messages or logs. */
function stripSecrets(url: string): string {
  return url.replace(/([?&](?:consumer_key|consumer_secret|oauth_[a-z_]+)=)[^&]*/gi, '$1…');
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
  }
  return undefined;
}
