import { createHmac, randomBytes } from 'node:crypto';

/** PHP `rawurlencode` (RFC 3986): everything but `A-Za-z0-9-_.~` percent-encoded, spaces as `%20`. */
export function rawUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Inputs of one OAuth 1.0a one-legged signature. */
export interface OAuth1SignatureInput {
  /** HTTP method, any case. */
  method: string;
  /** The request URL without query string, exactly as the store reports its own URL, e.g. `http://shop.example/wp-json/wc/v3/orders`. */
  url: string;
  /** Every query parameter that will be sent (flat string values), `oauth_*` included, `oauth_signature` excluded. */
  params: Record<string, string>;
  consumerSecret: string;
}

/**
 * Returns the OAuth 1.0a signature base string as WooCommerce builds it
 * (NOTES-rest-api.md, "Authentication", read 2026-11-26; `WC_REST_Authentication::check_oauth_signature`):
 *
 *   METHOD & rawurlencode(url) & rawurlencode(k1=v1&k2=v2...)
 *
 * with the parameters sorted by key (byte order, PHP `strcmp`) and each key and value rawurlencoded
 * before joining, so an encoded character is encoded twice in the base string (`:` → `%253A`).
 */
export function oauth1BaseString(input: Omit<OAuth1SignatureInput, 'consumerSecret'>): string {
  const keys = Object.keys(input.params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const normalized = keys.map((k) => `${rawUrlEncode(k)}=${rawUrlEncode(input.params[k] as string)}`).join('&');
  return `${input.method.toUpperCase()}&${rawUrlEncode(input.url)}&${rawUrlEncode(normalized)}`;
}

/** Returns base64(HMAC-SHA256(base string, consumer secret + `&`)): the value of `oauth_signature`. */
export function oauth1Signature(input: OAuth1SignatureInput): string {
  // One-legged: there is no token secret, so the key is the consumer secret followed by a bare `&`.
  return createHmac('sha256', `${input.consumerSecret}&`).update(oauth1BaseString(input)).digest('base64');
}

/**
 * Returns the query parameters that authenticate one request over plain HTTP: the caller's own
 * parameters plus `oauth_consumer_key`, `oauth_nonce` (32 random hex characters), `oauth_signature_method`
 * (`HMAC-SHA256`), `oauth_timestamp` (seconds) and `oauth_signature`. `oauth_version` is omitted as
 * WooCommerce's docs ask. Sign every attempt anew: WooCommerce refuses a nonce it has seen.
 */
export function signOAuth1Query(input: {
  method: string;
  url: string;
  query: Record<string, string>;
  consumerKey: string;
  consumerSecret: string;
  nowSeconds?: number;
  nonce?: string;
}): Record<string, string> {
  const params: Record<string, string> = {
    ...input.query,
    oauth_consumer_key: input.consumerKey,
    oauth_nonce: input.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(input.nowSeconds ?? Math.floor(Date.now() / 1000)),
  };
  return { ...params, oauth_signature: oauth1Signature({ method: input.method, url: input.url, params, consumerSecret: input.consumerSecret }) };
}

/** Builds a query string with {@link rawUrlEncode}: PHP reads `+` as a space, so it is never used for one. */
export function buildQueryString(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${rawUrlEncode(k)}=${rawUrlEncode(v)}`)
    .join('&');
}
