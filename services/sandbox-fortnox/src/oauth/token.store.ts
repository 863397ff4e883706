import { randomBytes } from 'node:crypto';
import { OAuthError } from '../errors/oauth.error';

/**
 * Refresh tokens live 45 days and work once (fortnox.se/developer/authorization/migrate-legacy-token-to-jwt,
 * seen 2026-11).
 */
export const REFRESH_TOKEN_TTL_MS = 45 * 24 * 3_600_000;

/** Guessed: OAuth's usual 10 minutes; Fortnox does not state how long an authorization code lives. */
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60_000;

/** The token endpoint's answer (fortnox.se/developer/authorization/get-access-token, seen 2026-11). */
export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  scope: string;
  expires_in: number;
  token_type: 'bearer';
}

/** Who an access token speaks for. */
export interface TokenGrant {
  clientId: string;
  tenantId: string;
  scope: string;
}

interface CodeEntry {
  tenantId: string;
  scope: string;
  redirectUri: string | undefined;
  expiresAt: number;
  used: boolean;
}

interface RefreshEntry {
  tenantId: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

interface AccessEntry extends TokenGrant {
  expiresAt: number;
}

const DEFAULT_SCOPE = 'companyinformation customer article invoice payment bookkeeping warehouse';

/**
 * Authorization codes, access tokens and refresh tokens of one sandbox. Tokens are opaque random strings
 * (Fortnox issues JWTs, but a client must not read them, so nothing here is parseable on purpose).
 */
export class TokenStore {
  private readonly codes = new Map<string, CodeEntry>();
  private readonly refreshTokens = new Map<string, RefreshEntry>();
  private readonly accessTokens = new Map<string, AccessEntry>();

  constructor(
    private readonly clientId: string,
    private readonly now: () => number,
    private readonly accessTokenTtlMs: number,
  ) {}

  /** Issues a single-use code for the tenant, bound to `redirectUri` when the authorization request named one. */
  issueAuthorizationCode(tenantId: string, opts: { scope?: string; redirectUri?: string } = {}): string {
    const code = randomBytes(18).toString('base64url');
    this.codes.set(code, {
      tenantId,
      scope: opts.scope ?? DEFAULT_SCOPE,
      redirectUri: opts.redirectUri,
      expiresAt: this.now() + AUTHORIZATION_CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  /** Exchanges a code for the first token pair; the code is spent even when the exchange fails on redirect_uri. */
  exchangeCode(code: string | undefined, redirectUri: string | undefined): TokenResponse {
    if (!code) throw new OAuthError(400, 'invalid_request', 'code is required for grant_type=authorization_code');
    const entry = this.codes.get(code);
    if (!entry || entry.used || entry.expiresAt <= this.now()) {
      throw new OAuthError(400, 'invalid_grant', 'Invalid authorization code');
    }
    entry.used = true;
    if (entry.redirectUri !== undefined && entry.redirectUri !== redirectUri) {
      throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
    }
    return this.issuePair(entry.tenantId, entry.scope);
  }

  /**
   * Returns a new pair for a refresh token and spends it: a second use fails with invalid_grant, as in
   * Fortnox. Access tokens issued earlier stay valid until they expire (our reading: they are JWTs).
   */
  refresh(refreshToken: string | undefined): TokenResponse {
    if (!refreshToken) throw new OAuthError(400, 'invalid_request', 'refresh_token is required for grant_type=refresh_token');
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.used || entry.expiresAt <= this.now()) {
      throw new OAuthError(400, 'invalid_grant', 'Invalid refresh token');
    }
    entry.used = true;
    return this.issuePair(entry.tenantId, entry.scope);
  }

  /** The grant behind a bearer token, or undefined when the token is unknown or expired. */
  authenticate(accessToken: string): TokenGrant | undefined {
    const entry = this.accessTokens.get(accessToken);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return { clientId: entry.clientId, tenantId: entry.tenantId, scope: entry.scope };
  }

  /** Forgets every code and token. */
  reset(): void {
    this.codes.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
  }

  private issuePair(tenantId: string, scope: string): TokenResponse {
    const now = this.now();
    const accessToken = randomBytes(32).toString('base64url');
    const refreshToken = randomBytes(24).toString('base64url');
    this.accessTokens.set(accessToken, { clientId: this.clientId, tenantId, scope, expiresAt: now + this.accessTokenTtlMs });
    this.refreshTokens.set(refreshToken, { tenantId, scope, expiresAt: now + REFRESH_TOKEN_TTL_MS, used: false });
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      scope,
      expires_in: Math.round(this.accessTokenTtlMs / 1000),
      token_type: 'bearer',
    };
  }
}
