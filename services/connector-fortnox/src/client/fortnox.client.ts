import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionRateLimiter, ErrorContext, LedgerlineError, TokenRefresher, TokenStore } from '@ledgerline/erp-kit';
import { authRevoked, parseFortnoxError, unanswered } from './fortnox-error.parser';

/** Settings of {@link FortnoxClient}. */
export interface FortnoxClientOptions {
  /** `https://api.fortnox.se` (or the sandbox's URL). */
  baseUrl: string;
  tokens: TokenStore;
  refresher: TokenRefresher;
  limiter: ConnectionRateLimiter;
  /** Per request; keep it well inside the intent lease (erp-kit README). */
  requestTimeoutMs: number;
  /** Fortnox sends no Retry-After on 429 (sandbox README): hold the connection back this long, for every replica. */
  rateLimitPenaltyMs: number;
  /** Retries of a request Fortnox certainly did not apply (429, or a read that failed); default 2. */
  maxRetries?: number;
  /** First retry delay, doubled each time; default 250 ms. */
  retryBaseMs?: number;
}

/** Per call: the connection, the lease signal and who the call is for (for error messages). */
export interface FortnoxCall {
  connectionId: string;
  signal?: AbortSignal;
  context: ErrorContext;
}

type Method = 'GET' | 'POST' | 'PUT';

/**
 * A thin Fortnox API v3 client: a bearer token from the TokenStore (after a refused token, one refresh and one retry),
 * a rate-limit slot per request across replicas, retries of what Fortnox certainly did not apply (429; 5xx and
 * timeouts of reads), and every failure classified once by {@link parseFortnoxError}. Writes that got no answer or a
 * 5xx are never retried blindly: they throw with an unknown outcome, so the caller searches before creating again.
 */
export class FortnoxClient {
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;

  constructor(private readonly opts: FortnoxClientOptions) {
    this.maxRetries = opts.maxRetries ?? 2;
    this.retryBaseMs = opts.retryBaseMs ?? 250;
  }

  get<T>(path: string, at: FortnoxCall): Promise<T> {
    return this.call<T>('GET', path, undefined, at);
  }

  post<T>(path: string, body: unknown, at: FortnoxCall): Promise<T> {
    return this.call<T>('POST', path, body, at);
  }

  put<T>(path: string, body: unknown, at: FortnoxCall): Promise<T> {
    return this.call<T>('PUT', path, body, at);
  }

  /** Like {@link get}, but a 404 gives null (an article or customer that does not exist). */
  async find<T>(path: string, at: FortnoxCall): Promise<T | null> {
    try {
      return await this.get<T>(path, at);
    } catch (err) {
      if ((err as { httpStatus?: number }).httpStatus === 404) return null;
      throw err;
    }
  }

  private async call<T>(method: Method, path: string, body: unknown, at: FortnoxCall): Promise<T> {
    const context: ErrorContext = { ...at.context, connectionId: at.connectionId, erp: 'Fortnox' };
    let refreshed = false;
    for (let retry = 0; ; ) {
      const token = await this.opts.tokens.getAccessToken(at.connectionId, this.opts.refresher, { context });
      await this.opts.limiter.acquire(at.connectionId, { context, ...(at.signal ? { signal: at.signal } : {}) });
      const signals = [AbortSignal.timeout(this.opts.requestTimeoutMs), ...(at.signal ? [at.signal] : [])];
      let status: number;
      let text: string;
      try {
        const res = await fetch(`${this.opts.baseUrl}${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.any(signals),
        });
        status = res.status;
        text = await res.text();
      } catch (cause) {
        const error = unanswered(method, path, context, cause);
        if (method === 'GET' && !at.signal?.aborted && retry < this.maxRetries) {
          await this.backoff(retry++, at.signal);
          continue;
        }
        throw error;
      }
      if (status >= 200 && status < 300) return (text === '' ? {} : JSON.parse(text)) as T;

      const penalty = status === 429 ? this.opts.rateLimitPenaltyMs : undefined;
      if (penalty !== undefined) await this.opts.limiter.penalize(at.connectionId, penalty);
      const failure = parseFortnoxError({ method, path, status, body: text, context, ...(penalty === undefined ? {} : { retryAfterMs: penalty }) });
      if (failure.tokenInvalid) {
        // The stored token was refused before its expiry: force one refresh (only if it is still the stored one).
        if (refreshed) throw authRevoked(context, failure.detail);
        refreshed = true;
        await this.opts.tokens.invalidate(at.connectionId, token);
        continue;
      }
      const error: LedgerlineError & { httpStatus?: number } = failure.error;
      error.httpStatus = status;
      const retryable = status === 429 || (status >= 500 && method === 'GET');
      if (retryable && retry < this.maxRetries && !at.signal?.aborted) {
        // A 429 took no slot at Fortnox and the limiter now holds the connection back for the penalty.
        await this.backoff(retry++, at.signal);
        continue;
      }
      throw error;
    }
  }

  private async backoff(retry: number, signal: AbortSignal | undefined): Promise<void> {
    const ms = this.retryBaseMs * 2 ** retry;
    await sleep(ms / 2 + Math.random() * (ms / 2), undefined, signal ? { signal } : {}).catch(() => undefined);
  }
}
