import { createHmac } from 'node:crypto';
import { rawUrlEncode, type PhpValue } from '../wp/php-query.parser';

/**
 * Returns the OAuth 1.0a signature WooCommerce expects (`WC_REST_Authentication::check_oauth_signature`):
 *
 *   base = METHOD & rawurlencode(home_url(path)) & join('%26', rawurlencode(k=v) for params sorted by key)
 *   key  = consumer_secret & ''
 *
 * where params are every query, form-body and `Authorization: OAuth` parameter except
 * `oauth_signature`, top-level keys sorted with `strcmp`, keys and values rawurlencoded, nested
 * arrays flattened as `key%5Bsub%5D`. The JSON body is not signed.
 */
export function expectedOAuthSignature(input: {
  method: string;
  /** `home_url()` with the request path, e.g. `http://127.0.0.1:8081/wp-json/wc/v3/orders`. */
  baseUrl: string;
  params: Record<string, PhpValue>;
  consumerSecret: string;
  algorithm: 'sha1' | 'sha256';
}): string {
  const params = { ...input.params };
  delete params['oauth_signature'];
  const keys = Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pairs: string[] = [];
  for (const key of keys) joinWithEquals(rawUrlEncode(key), params[key], pairs);
  const base = `${input.method.toUpperCase()}&${rawUrlEncode(input.baseUrl)}&${pairs.join('%26')}`;
  return createHmac(input.algorithm, `${input.consumerSecret}&`).update(base).digest('base64');
}

/** `join_with_equals_sign`: nested keys become `key%5Bsub%5D`; each `k=v` is rawurlencoded again. */
function joinWithEquals(key: string, value: PhpValue, out: string[]): void {
  if (typeof value === 'string') {
    out.push(rawUrlEncode(`${key}=${rawUrlEncode(value)}`));
    return;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [sub, v] of entries) joinWithEquals(`${key}%5B${sub}%5D`, v, out);
}
