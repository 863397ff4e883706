/**
 * Returns `value` encoded the way WordPress's `wp_json_encode` (PHP `json_encode` defaults) does:
 * compact, `/` escaped as `\/`, every non-ASCII character as a lower-case `\uXXXX` escape.
 *
 * Webhook bodies are signed over these exact bytes (webhook-delivery.md §3), so a receiver that
 * re-serializes with `JSON.stringify` computes a different HMAC; the sandbox keeps that trap real.
 * Not reproduced: PHP floats such as `3.0` (JavaScript has one number type).
 */
export function wpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
