import { createHmac } from 'node:crypto';

/**
 * Returns `X-WC-Webhook-Signature` for a body: base64 of the raw HMAC-SHA256 digest of the exact
 * body bytes, keyed with the secret after HTML-entity decoding (`wp_specialchars_decode(...,
 * ENT_QUOTES)`; webhook-delivery.md §3).
 */
export function signWebhookBody(body: string | Buffer, secret: string): string {
  return createHmac('sha256', wpSpecialcharsDecode(secret)).update(body).digest('base64');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/** `wp_specialchars_decode($s, ENT_QUOTES)`: one pass, so `&amp;lt;` becomes `&lt;`, not `<`. */
export function wpSpecialcharsDecode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#0*39|#x0*27);/gi, (_m, name: string) => ENTITIES[name.toLowerCase()] ?? "'");
}
