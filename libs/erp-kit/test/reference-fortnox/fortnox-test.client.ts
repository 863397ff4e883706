// REFERENCE PORT FOR TESTS ONLY: proves erp-kit and its contract suite against sandbox-fortnox over real HTTP.
// services/connector-fortnox replaces it (its src/client/fortnox.client.ts and fortnox-error.parser.ts); nothing
// outside libs/erp-kit/test may import it.
import {
  ErpAuthRevokedError,
  ErpRateLimitedError,
  ErpRejectedError,
  ErpUnavailableError,
  type ConnectionRateLimiter,
  type ErrorContext,
  type TokenRefresher,
  type TokenStore,
} from '../../src';

export interface FortnoxTestClientOptions {
  /** The API base (Fortnox: https://api.fortnox.se; here the sandbox URL). */
  baseUrl: string;
  connectionId: string;
  tokens: TokenStore;
  refresher: TokenRefresher;
  limiter: ConnectionRateLimiter;
  /** Per request. */
  requestTimeoutMs: number;
  /** Fortnox answers 429 without Retry-After (sandbox README, "rate limit"): hold the connection back this long. */
  rateLimitPenaltyMs: number;
}

interface ErrorInformation {
  message?: string;
  code?: number;
  Message?: string;
  Code?: number;
}

/**
 * A thin Fortnox API client: bearer token from the TokenStore (one retry with a refreshed token after a 401), a
 * rate-limit slot before every request, and every failure classified here, once, into a LedgerlineError.
 */
export class FortnoxTestClient {
  constructor(private readonly opts: FortnoxTestClientOptions) {}

  async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, at: { signal?: AbortSignal; context: ErrorContext }): Promise<T> {
    const context = { ...at.context, connectionId: this.opts.connectionId, erp: 'Fortnox' };
    for (let attempt = 1; ; attempt++) {
      const token = await this.opts.tokens.getAccessToken(this.opts.connectionId, this.opts.refresher, { context });
      await this.opts.limiter.acquire(this.opts.connectionId, { context, ...(at.signal ? { signal: at.signal } : {}) });
      const signals = [AbortSignal.timeout(this.opts.requestTimeoutMs), ...(at.signal ? [at.signal] : [])];
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${this.opts.baseUrl}${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.any(signals),
        });
        text = await res.text();
      } catch (cause) {
        // A write that got no answer may have landed; a read never changes anything.
        throw new ErpUnavailableError({ erp: 'Fortnox', context, outcome: method === 'GET' ? 'not-applied' : 'unknown', detail: `${method} ${path}: ${(cause as Error).message}`, cause });
      }
      const parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      if (res.ok) return parsed as T;

      const info = (parsed.ErrorInformation ?? {}) as ErrorInformation;
      const vendorCode = info.code ?? info.Code;
      const vendorMessage = info.message ?? info.Message ?? text.slice(0, 200);
      const detail = `${method} ${path}: HTTP ${res.status}, Fortnox ${vendorCode ?? '?'} ${vendorMessage}`;
      // Fortnox documents 403 for failed authentication; the sandbox answers 401 (sandbox README). Both mean the token.
      if ((res.status === 401 || res.status === 403) && (vendorCode === 2000310 || vendorCode === 2000311)) {
        if (attempt === 1) {
          await this.opts.tokens.invalidate(this.opts.connectionId, token);
          continue;
        }
        throw new ErpAuthRevokedError({ erp: 'Fortnox', context, detail });
      }
      if (res.status === 429) {
        await this.opts.limiter.penalize(this.opts.connectionId, this.opts.rateLimitPenaltyMs);
        throw new ErpRateLimitedError({ erp: 'Fortnox', context, retryAfterMs: this.opts.rateLimitPenaltyMs, detail });
      }
      if (res.status >= 500) throw new ErpUnavailableError({ erp: 'Fortnox', context, outcome: method === 'GET' ? 'not-applied' : 'unknown', detail });
      throw new ErpRejectedError({
        erp: 'Fortnox',
        context,
        reason: `Fortnox error ${vendorCode ?? res.status} "${vendorMessage}"`,
        action: "Correct the order or the tenant's Fortnox settings accordingly, then replay.",
        ...(vendorCode === undefined ? {} : { vendorCode }),
        detail,
      });
    }
  }
}
