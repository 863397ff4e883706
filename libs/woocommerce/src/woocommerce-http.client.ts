import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { tracer } from '@ledgerline/observability';
import type { Logger } from 'pino';
import { buildQueryString, signOAuth1Query } from './oauth1-signature';
import { classifyWooTransportError, parseWooErrorResponse, type WooCall } from './woocommerce-error.parser';
import { WooApiError } from './woocommerce.error';
import { wooRequestDuration, wooRequests } from './woocommerce.metrics';

/** Retry settings: exponential backoff with full jitter, capped. */
export interface WooRetryOptions {
  /** Attempts in total, the first included (default 4; 1 disables retries). */
  maxAttempts: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs × 2^(n−1))) (default 500). */
  baseDelayMs: number;
  /**
   * Longest wait between attempts (default 10000). A 429 whose Retry-After asks for longer is not
   * waited out here: the error goes to the caller with `retryAfterMs`, so its retry policy holds
   * the event instead of a request holding a worker.
   */
  maxDelayMs: number;
}

/** How the client proves who it is. */
export type WooAuthMode = 'auto' | 'basic' | 'query-string' | 'oauth1';

/** Settled transport settings (see WooCommerceClientOptions for each one's meaning). */
export interface WooHttpSettings {
  siteUrl: string;
  apiBase: string;
  consumerKey: string;
  consumerSecret: string;
  auth: Exclude<WooAuthMode, 'auto'>;
  fetch: typeof fetch;
  timeoutMs: number;
  retry: WooRetryOptions;
  userAgent: string;
  logger: Pick<Logger, 'info' | 'warn'>;
  random: () => number;
}

/** One logical call; the transport may send it several times. */
export interface WooHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below `/wp-json/wc/v3`, ids filled in: `/orders/727`. */
  path: string;
  /** The same path as a route template: `/orders/{id}`. Used for metrics, spans and messages. */
  endpoint: string;
  query?: Record<string, string>;
  body?: unknown;
  /** What Ledgerline is doing, following "while": `reading order 727`. */
  activity: string;
  /**
   * True when sending the request twice has the effect of sending it once (reads, PUTs of absolute
   * values, deletes). Only such requests are repeated after a timeout, a 5xx or a broken
   * connection; any request is repeated after a 429 or a connection that was never made, because
   * the store did not act on it.
   */
  idempotent: boolean;
}

/** A successful answer. */
export interface WooHttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Returns the wait before attempt `attempt + 1`: full jitter over an exponential ceiling. */
export function backoffDelayMs(attempt: number, retry: Pick<WooRetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Sends requests to one store: authentication, timeout, retries, error classification, metrics
 * and a client span per call. Never follows redirects (they would break OAuth signatures and drop
 * the Authorization header); a redirect is reported as `WOO_SITE_REDIRECTED`.
 */
export class WooHttpClient {
  constructor(readonly settings: WooHttpSettings) {}

  /** Sends `req`, retrying as its idempotency allows; resolves with the parsed JSON or throws a {@link WooApiError}. */
  request<T>(req: WooHttpRequest): Promise<WooHttpResponse<T>> {
    const s = this.settings;
    return tracer('@ledgerline/woocommerce').startActiveSpan(
      `woocommerce ${req.method} ${req.endpoint}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': req.method, 'url.template': req.endpoint, 'server.address': new URL(s.siteUrl).host } },
      async (span) => {
        try {
          const res = await this.withRetries<T>(req);
          span.setAttribute('http.response.status_code', res.status);
          return res;
        } catch (err) {
          if (err instanceof WooApiError) {
            if (err.status !== undefined) span.setAttribute('http.response.status_code', err.status);
            span.setAttribute('error.type', err.code);
          }
          span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
          throw err;
        } finally {
          span.end();
        }
      },
    );
  }

  private async withRetries<T>(req: WooHttpRequest): Promise<WooHttpResponse<T>> {
    const s = this.settings;
    const call: WooCall = { siteUrl: s.siteUrl, method: req.method, endpoint: req.endpoint, activity: req.activity };
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt<T>(req, call);
      if (outcome.ok) return outcome.response;
      const { error, sent } = outcome;
      error.attempts = attempt;
      // The store may have acted on a write it did not confirm; the caller must look before it creates again.
      if (sent && !req.idempotent && error.code !== 'WOO_RATE_LIMITED' && error.kind === 'transient') error.outcomeUnknown = true;
      const retryable = error.kind === 'transient' && (req.idempotent || !sent || error.code === 'WOO_RATE_LIMITED');
      if (!retryable || attempt >= s.retry.maxAttempts) throw error;

      let delay = backoffDelayMs(attempt, s.retry, s.random);
      if (error.retryAfterMs !== undefined) {
        if (error.code === 'WOO_RATE_LIMITED' && error.retryAfterMs > s.retry.maxDelayMs) throw error;
        // WordPress's maintenance page (wp_maintenance()) always says Retry-After: 600 however short the
        // update is (the sandbox's 503 fault copies it, read 2026-11-26), so for 5xx it is honoured only up to maxDelayMs.
        delay = Math.max(delay, Math.min(error.retryAfterMs, s.retry.maxDelayMs));
      }
      s.logger.info({ method: req.method, endpoint: req.endpoint, attempt, delayMs: delay, code: error.code }, 'retrying WooCommerce request');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async attempt<T>(req: WooHttpRequest, call: WooCall): Promise<{ ok: true; response: WooHttpResponse<T> } | { ok: false; error: WooApiError; sent: boolean }> {
    const s = this.settings;
    const url = `${s.apiBase}${req.path}`;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': s.userAgent };
    let query = req.query ?? {};
    if (s.auth === 'oauth1') query = signOAuth1Query({ method: req.method, url, query, consumerKey: s.consumerKey, consumerSecret: s.consumerSecret });
    else if (s.auth === 'query-string') query = { ...query, consumer_key: s.consumerKey, consumer_secret: s.consumerSecret };
    else headers['authorization'] = `Basic ${Buffer.from(`${s.consumerKey}:${s.consumerSecret}`).toString('base64')}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    const qs = buildQueryString(query);

    const started = performance.now();
    const signal = AbortSignal.timeout(s.timeoutMs);
    const record = (outcome: string): void => {
      wooRequests.inc({ method: req.method, endpoint: req.endpoint, outcome });
      wooRequestDuration.observe({ method: req.method, endpoint: req.endpoint }, (performance.now() - started) / 1000);
    };

    let status: number;
    let resHeaders: Headers;
    let text: string;
    try {
      const res = await s.fetch(qs === '' ? url : `${url}?${qs}`, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        redirect: 'manual',
        signal,
      });
      status = res.status;
      resHeaders = res.headers;
      text = await res.text();
    } catch (err) {
      const { error, sent } = classifyWooTransportError(call, err, signal.aborted || isTimeout(err));
      record(error.code);
      return { ok: false, error, sent };
    }

    if (status >= 200 && status < 300) {
      try {
        const body = (text.trim() === '' ? null : JSON.parse(text.replace(/^\uFEFF/, ''))) as T;
        record('success');
        return { ok: true, response: { status, headers: resHeaders, body } };
      } catch {
        // falls through: a 2xx that is not JSON is classified like an error answer
      }
    }
    const error = parseWooErrorResponse(call, { status, headers: resHeaders, body: text });
    // A success status with an unreadable body: the store probably did what was asked.
    if (status >= 200 && status < 300) error.outcomeUnknown = true;
    record(error.code);
    return { ok: false, error, sent: true };
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}
