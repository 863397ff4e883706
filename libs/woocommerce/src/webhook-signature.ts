import { createHmac, timingSafeEqual } from 'node:crypto';
import { WooWebhookError } from './woocommerce.error';

/** Headers as Node (`IncomingHttpHeaders`, lower-case keys) or fetch (`Headers`) give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** What WooCommerce's X-WC-Webhook-* headers say about a delivery. */
export interface WooWebhookDelivery {
  /** `X-WC-Webhook-Topic`, e.g. `order.updated` (or `action.<hook>`). */
  topic: string;
  /** `X-WC-Webhook-Resource`: `order`, `product`, `customer`, `coupon` (or `action`). */
  resource: string;
  /** `X-WC-Webhook-Event`: `created`, `updated`, `deleted`, `restored` (the hook name for `action.*`). */
  event: string;
  /** `X-WC-Webhook-ID`: the webhook's numeric id in the store. */
  webhookId: number;
  /**
   * `X-WC-Webhook-Delivery-ID`: a hash of webhook id and the current second; equal for duplicates
   * within one second, so never a dedupe key (webhook-delivery.md §1).
   */
  deliveryId: string;
  /** `X-WC-Webhook-Source`: the store's `home_url('/')`, with a trailing slash. */
  source: string;
  /** `X-WC-Webhook-Signature`, base64. */
  signature: string;
}

/**
 * Returns true when `signatureHeader` is base64(HMAC-SHA256(rawBody, secret)), as WooCommerce signs
 * deliveries (webhook-delivery.md §3, read 2026-11-26), compared in constant time. Returns false for
 * a missing, empty, malformed or wrong signature.
 *
 * `rawBody` must be the request bytes exactly as received: WooCommerce escapes `/` as `\/` and
 * non-ASCII as `\uXXXX`, so a re-serialized body never verifies. The secret is HTML-entity-decoded
 * first (`&amp;` → `&`), as WooCommerce does with the stored secret before keying the HMAC.
 *
 * Throws `WOO_WEBHOOK_SECRET_MISSING` for an empty secret (a setup fault, not a bad request) and a
 * TypeError when `rawBody` is not a Buffer (a parsed body would never verify).
 */
export function verifyWebhookSignature(rawBody: Buffer, signatureHeader: string | undefined, secret: string): boolean {
  if (!Buffer.isBuffer(rawBody)) throw new TypeError('verifyWebhookSignature needs the raw request body as a Buffer, not a parsed or re-serialized body');
  if (typeof secret !== 'string' || secret === '') {
    throw new WooWebhookError(
      'WOO_WEBHOOK_SECRET_MISSING',
      'permanent',
      'A WooCommerce webhook delivery cannot be verified because the store has no webhook secret in Ledgerline: re-register the store\'s webhooks from the console so that Ledgerline sets and keeps the secret.',
    );
  }
  if (typeof signatureHeader !== 'string' || signatureHeader === '') return false;
  const expected = Buffer.from(createHmac('sha256', wpSpecialcharsDecode(secret)).update(rawBody).digest('base64'), 'utf8');
  const given = Buffer.from(signatureHeader.trim(), 'utf8');
  // timingSafeEqual throws on different lengths; the length of a base64 SHA-256 digest is public anyway.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Returns the delivery's X-WC-Webhook-* headers, checked. Throws one `WOO_WEBHOOK_HEADERS_INVALID`
 * error naming every header that is missing or malformed. Call {@link isPing} first: pings carry none.
 */
export function parseWebhookHeaders(headers: WebhookHeaders): WooWebhookDelivery {
  const problems: string[] = [];
  const required = (name: string): string => {
    const v = header(headers, name);
    if (v === undefined || v.trim() === '') {
      problems.push(`${name} is missing`);
      return '';
    }
    return v.trim();
  };
  const topic = required('X-WC-Webhook-Topic');
  const resource = required('X-WC-Webhook-Resource');
  const event = required('X-WC-Webhook-Event');
  const id = required('X-WC-Webhook-ID');
  const deliveryId = required('X-WC-Webhook-Delivery-ID');
  const source = required('X-WC-Webhook-Source');
  const signature = required('X-WC-Webhook-Signature');
  if (topic && !/^[a-z_]+\.[a-z0-9_]+$/.test(topic)) problems.push(`X-WC-Webhook-Topic "${topic}" is not <resource>.<event>`);
  else if (topic && resource && event && topic !== `${resource}.${event}`) problems.push(`X-WC-Webhook-Topic "${topic}" does not match resource "${resource}" and event "${event}"`);
  if (id && !/^[1-9]\d*$/.test(id)) problems.push(`X-WC-Webhook-ID "${id}" is not a positive integer`);
  if (problems.length > 0) {
    throw new WooWebhookError(
      'WOO_WEBHOOK_HEADERS_INVALID',
      'permanent',
      `A request to the WooCommerce webhook endpoint is not a WooCommerce delivery (${problems.join('; ')}): check that only WooCommerce posts to this URL and that no proxy strips X-WC-* headers.`,
      { problems },
    );
  }
  return { topic, resource, event, webhookId: Number(id), deliveryId, source, signature };
}

/**
 * Returns true for WooCommerce's ping: sent when a webhook is created or activated, a form POST
 * whose body is exactly `webhook_id=<n>`, with no X-WC-Webhook-* headers and no signature
 * (webhook-delivery.md §2). Answer it with exactly 200 and do nothing else; any other status keeps
 * the webhook's `pending_delivery` set.
 */
export function isPing(rawBody: Buffer, headers: WebhookHeaders): boolean {
  if (header(headers, 'X-WC-Webhook-Signature') !== undefined) return false;
  return rawBody.length <= 64 && /^webhook_id=\d+$/.test(rawBody.toString('latin1'));
}

/**
 * WordPress's `wp_specialchars_decode($text, ENT_QUOTES)`: `&amp;`, `&lt;`, `&gt;`, `&quot;`,
 * `&#039;` and their numeric forms decoded in one pass (`&amp;lt;` becomes `&lt;`).
 */
export function wpSpecialcharsDecode(text: string): string {
  if (!text.includes('&')) return text;
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  const numeric: Record<number, string> = { 38: '&', 60: '<', 62: '>', 34: '"', 39: "'" };
  return text.replace(/&(?:(amp|lt|gt|quot)|#0*(38|60|62|34|39)|#[xX]0*(26|22|27));/g, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return named[name] as string;
    if (dec) return numeric[Number(dec)] as string;
    if (hex) return numeric[parseInt(hex, 16)] as string;
    return whole;
  });
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}
