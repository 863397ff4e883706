import { ErpAuthRevokedError, ErpRateLimitedError, ErpUnavailableError } from '../errors/erp.errors';
import { LedgerlineError } from '../errors/ledgerline.error';
import type { OAuthTokens, RefreshRequest, TokenRefresher } from './token.store';

/** Options of {@link oauth2RefreshGrant}. */
export interface OAuth2RefreshOptions {
  /** The ERP as operators name it. */
  erp: string;
  /** The token endpoint (Fortnox: `https://apps.fortnox.se/oauth-v1/token`). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** How the client authenticates (RFC 6749 §2.3.1): HTTP Basic (default) or `client_id`/`client_secret` in the form. */
  clientAuth?: 'basic' | 'body';
  /** For tests; default the global fetch. */
  fetch?: typeof fetch;
}

interface TokenBody {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  refresh_token_expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/**
 * Returns a {@link TokenRefresher} for a standard RFC 6749 §6 refresh-token grant, classifying the answer once, at the
 * edge: `invalid_grant` → {@link ErpAuthRevokedError}; `invalid_client` → permanent `ERP_CLIENT_CREDENTIALS_INVALID`;
 * 429 → {@link ErpRateLimitedError}; 5xx, timeouts and network errors → {@link ErpUnavailableError} (outcome unknown:
 * the ERP may have rotated the token).
 */
export function oauth2RefreshGrant(opts: OAuth2RefreshOptions): TokenRefresher {
  const doFetch = opts.fetch ?? fetch;
  return async (req: RefreshRequest): Promise<OAuthTokens> => {
    const context = { connectionId: req.connectionId, tenantId: req.tenantId, erp: opts.erp };
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: req.refreshToken });
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
    if ((opts.clientAuth ?? 'basic') === 'basic') {
      headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(opts.clientId)}:${encodeURIComponent(opts.clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', opts.clientId);
      form.set('client_secret', opts.clientSecret);
    }
    let res: Response;
    let body: TokenBody;
    try {
      res = await doFetch(opts.tokenUrl, { method: 'POST', headers, body: form.toString(), signal: req.signal });
      const text = await res.text();
      body = text.trim().startsWith('{') ? (JSON.parse(text) as TokenBody) : {};
    } catch (cause) {
      throw new ErpUnavailableError({ erp: opts.erp, context, outcome: 'unknown', code: 'ERP_TOKEN_ENDPOINT_UNAVAILABLE', detail: `token refresh failed: ${(cause as Error).message}`, cause });
    }
    const oauthError = typeof body.error === 'string' ? body.error : undefined;
    const described = `HTTP ${res.status}${oauthError ? ` ${oauthError}` : ''}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}`;
    if (res.ok) {
      if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
        throw new LedgerlineError({
          code: 'ERP_TOKEN_RESPONSE_INVALID',
          kind: 'defect',
          operatorMessage: `${opts.erp}'s token endpoint answered without an access token or expiry for connection "${req.connectionId}". Report this with the trace id; re-authorise the connection if the next attempt fails too.`,
          context,
        });
      }
      return {
        accessToken: body.access_token,
        refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
        expiresInSeconds: body.expires_in,
        refreshExpiresInSeconds: typeof body.refresh_token_expires_in === 'number' ? body.refresh_token_expires_in : null,
      };
    }
    if (oauthError === 'invalid_grant') throw new ErpAuthRevokedError({ erp: opts.erp, context, detail: described });
    if (oauthError === 'invalid_client' || res.status === 401) {
      throw new LedgerlineError({
        code: 'ERP_CLIENT_CREDENTIALS_INVALID',
        kind: 'permanent',
        operatorMessage: `${opts.erp} does not accept Ledgerline's client id and secret (${described}), so no connection can refresh its token. Check the connector's client id and secret settings against the ${opts.erp} developer portal, restart it, then replay.`,
        context,
        detail: described,
        notApplied: true,
      });
    }
    if (res.status === 429) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new ErpRateLimitedError({ erp: opts.erp, context, detail: described, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) });
    }
    if (res.status >= 500) throw new ErpUnavailableError({ erp: opts.erp, context, outcome: 'unknown', code: 'ERP_TOKEN_ENDPOINT_UNAVAILABLE', detail: described });
    throw new LedgerlineError({
      code: 'ERP_TOKEN_REQUEST_REJECTED',
      kind: 'permanent',
      operatorMessage: `${opts.erp} refused to refresh the token of connection "${req.connectionId}" (${described}). Re-authorise the connection in the console under Connections → ${opts.erp} → Re-authorise; report it if that does not help.`,
      context,
      detail: described,
    });
  };
}
