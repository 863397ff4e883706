import { setTimeout as sleep } from 'node:timers/promises';
import { TransientError } from '@ledgerline/messaging';

/** A provider refused a request for a reason a person must fix (credentials, permissions, a bad request). */
export class ProviderRequestError extends Error {
  readonly code: string;
  constructor(
    readonly provider: string,
    readonly status: number,
    readonly operatorMessage: string,
  ) {
    super(operatorMessage);
    this.code = status === 401 || status === 403 ? 'PROVIDER_AUTH_REFUSED' : 'PROVIDER_REQUEST_REFUSED';
  }
}

/**
 * GETs `url` and returns the body: JSON by default, text with `as: 'text'`. Retries 429 (after Retry-After, at most
 * 30 s) and 5xx/network failures a few times with backoff; then throws TransientError. Other statuses throw
 * ProviderRequestError with the vendor's own message (Stripe `error.message`, Klarna `error_messages`).
 */
export async function providerGet<T>(provider: string, url: string, auth: string, opts: { timeoutMs: number; as?: 'json' | 'text'; maxBytes?: number }): Promise<T> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= 5; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: auth, accept: opts.as === 'text' ? 'text/csv, */*' : 'application/json' }, signal: AbortSignal.timeout(opts.timeoutMs) });
    } catch (err) {
      lastProblem = `${(err as Error).message}`;
      await sleep(200 * 2 ** attempt);
      continue;
    }
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = Number(res.headers.get('retry-after'));
      lastProblem = `HTTP ${res.status}`;
      await res.body?.cancel();
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : 250 * 2 ** attempt);
      continue;
    }
    const text = await res.text();
    if (opts.maxBytes && Buffer.byteLength(text) > opts.maxBytes) throw new ProviderRequestError(provider, 413, `The ${provider} report at ${redact(url)} is larger than ${opts.maxBytes} bytes (PAYOUT_RECONCILIATION_MAX_REPORT_BYTES).`);
    if (res.status >= 400) throw new ProviderRequestError(provider, res.status, `${provider} refused GET ${redact(url)} with ${res.status}: ${vendorMessage(text)}${res.status === 401 || res.status === 403 ? ' Check the credentials of the mapping (PUT /mappings/…, "credentials").' : ''}`);
    if (opts.as === 'text') return text as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderRequestError(provider, res.status, `${provider} answered GET ${redact(url)} with a body that is not JSON.`);
    }
  }
  throw new TransientError('PROVIDER_UNAVAILABLE', `${provider} did not answer GET ${redact(url)} after 5 attempts (${lastProblem}); the next poll tries again.`);
}

function vendorMessage(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: { message?: string; type?: string }; error_messages?: string[]; error_code?: string; message?: string };
    if (json.error?.message) return json.error.message;
    if (json.error_messages?.length) return `${json.error_code ?? ''} ${json.error_messages.join('; ')}`.trim();
    if (json.message) return json.message;
  } catch {
    // not JSON: show the start of the body
  }
  return body.slice(0, 200);
}

const redact = (url: string) => url.replace(/\/\/[^@/]+@/, '//');

/** The Authorization header value of HTTP basic auth. */
export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
