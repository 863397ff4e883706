import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import { schemaIdent } from '@ledgerline/messaging';
import { createLogger } from '@ledgerline/observability';
import { ErpAuthRevokedError } from '../errors/erp.errors';
import { LedgerlineError, type ErrorContext } from '../errors/ledgerline.error';
import { withErrorContext } from '../errors/wrap-error';
import { erpTokenRefreshes } from '../metrics';
import type { TokenCipher } from './token-cipher';

/** Tokens as a token endpoint hands them out. */
export interface OAuthTokens {
  accessToken: string;
  /** The new refresh token; null or absent when the ERP did not rotate it (the stored one is kept). */
  refreshToken?: string | null;
  /** Access-token lifetime in seconds (`expires_in`). */
  expiresInSeconds: number;
  /** Refresh-token lifetime in seconds, when the ERP states it (Fortnox: 45 days). */
  refreshExpiresInSeconds?: number | null;
}

/** What a {@link TokenRefresher} gets. */
export interface RefreshRequest {
  connectionId: string;
  tenantId: string;
  refreshToken: string;
  /** Aborts when the refresh takes too long; pass it to the HTTP call. */
  signal: AbortSignal;
}

/**
 * Exchanges a refresh token at the ERP and returns the new tokens. Signal a refused grant (OAuth `invalid_grant`) by
 * throwing {@link ErpAuthRevokedError} or any error with `error: 'invalid_grant'`; anything else counts as a failed
 * attempt that may be retried (see `oauth2RefreshGrant`).
 */
export type TokenRefresher = (request: RefreshRequest) => Promise<OAuthTokens>;

/** A connection's token state, without the tokens (for health checks and the console). */
export interface TokenState {
  connectionId: string;
  tenantId: string;
  status: 'active' | 'revoked';
  revokedReason: string | null;
  keyId: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date | null;
  generation: number;
  refreshedAt: Date | null;
}

/** Options of {@link TokenStore}. */
export interface TokenStoreOptions {
  /** The connector's schema, where {@link erpKitSchemaSql} created `erp_oauth_tokens`. */
  schema: string;
  /** The ERP as operators name it. */
  erp: string;
  cipher: TokenCipher;
  /** An access token this close to expiry counts as expired, so it does not run out in flight. Default 60 000 ms. */
  skewMs?: number;
  /** How long a caller waits for another replica's refresh before giving up (transient). Default 30 000 ms. */
  lockWaitMs?: number;
  /** How long the refresher may take. Default 20 000 ms. */
  refreshTimeoutMs?: number;
}

interface TokenRow {
  connection_id: string;
  tenant_id: string;
  key_id: string;
  sealed: Buffer;
  status: 'active' | 'revoked';
  revoked_reason: string | null;
  access_expires_at: Date;
  refresh_expires_at: Date | null;
  generation: number;
  refreshed_at: Date | null;
  fresh: boolean;
}

interface Plain {
  a: string;
  r: string | null;
}

const fingerprint = (accessToken: string) => createHash('sha256').update(accessToken, 'utf8').digest();

function isInvalidGrant(err: unknown): boolean {
  if (err instanceof ErpAuthRevokedError) return true;
  const e = err as { error?: unknown; oauthError?: unknown } | null;
  return !!e && typeof e === 'object' && (e.error === 'invalid_grant' || e.oauthError === 'invalid_grant');
}

/**
 * OAuth tokens per ERP connection, encrypted at rest (AES-256-GCM, key id stored with each row). Hands out a valid
 * access token and refreshes it exactly once however many callers and replicas ask at the same moment: callers in one
 * process share one refresh, and across replicas a PostgreSQL advisory lock per connection admits one refresher,
 * after which everyone reads the stored result. A refresh token is therefore never sent twice, which matters for ERPs
 * whose refresh tokens work once (Fortnox).
 */
export class TokenStore {
  private readonly log = createLogger('token-store');
  private readonly s: string;
  private readonly lockKey: string;
  private readonly skewMs: number;
  private readonly lockWaitMs: number;
  private readonly refreshTimeoutMs: number;
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly pool: Pool,
    private readonly opts: TokenStoreOptions,
  ) {
    this.s = schemaIdent(opts.schema);
    this.lockKey = `ledgerline.erp-kit.token:${opts.schema}`;
    this.skewMs = opts.skewMs ?? 60_000;
    this.lockWaitMs = opts.lockWaitMs ?? 30_000;
    this.refreshTimeoutMs = opts.refreshTimeoutMs ?? 20_000;
  }

  /**
   * Stores the tokens of a newly (re-)authorised connection, replacing any earlier ones and lifting a revocation.
   * Call it after the authorization-code exchange.
   */
  async save(connectionId: string, tenantId: string, tokens: OAuthTokens): Promise<void> {
    const { keyId, sealed } = this.seal(connectionId, { a: tokens.accessToken, r: tokens.refreshToken ?? null });
    await this.pool.query(
      `INSERT INTO ${this.s}.erp_oauth_tokens
         (connection_id, tenant_id, key_id, sealed, access_fingerprint, access_expires_at, refresh_expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision),
               CASE WHEN $7::double precision IS NULL THEN NULL ELSE now() + make_interval(secs => $7::double precision) END)
       ON CONFLICT (connection_id) DO UPDATE SET
         tenant_id = EXCLUDED.tenant_id, key_id = EXCLUDED.key_id, sealed = EXCLUDED.sealed,
         access_fingerprint = EXCLUDED.access_fingerprint, access_expires_at = EXCLUDED.access_expires_at,
         refresh_expires_at = EXCLUDED.refresh_expires_at, status = 'active', revoked_reason = NULL,
         generation = ${this.s}.erp_oauth_tokens.generation + 1, refreshed_at = NULL, updated_at = now()`,
      [connectionId, tenantId, keyId, sealed, fingerprint(tokens.accessToken), tokens.expiresInSeconds, tokens.refreshExpiresInSeconds ?? null],
    );
  }

  /**
   * Returns an access token for `connectionId` that is valid for at least `skewMs` more. When the stored one is not,
   * refreshes it through `refresher`, once per expiry across all callers and replicas (see the class comment).
   *
   * Throws {@link ErpAuthRevokedError} (permanent) when the connection's authorisation was revoked or the ERP refuses
   * the refresh token (`invalid_grant`); `ERP_AUTH_MISSING` (permanent) when the connection was never authorised;
   * `ERP_TOKEN_REFRESH_BUSY` (transient) when another replica's refresh did not finish within `lockWaitMs`; and the
   * refresher's own errors for other failures (the stored tokens are then unchanged).
   */
  getAccessToken(connectionId: string, refresher: TokenRefresher, opts: { context?: ErrorContext } = {}): Promise<string> {
    const shared = this.inflight.get(connectionId);
    if (shared) return shared;
    const attempt = this.obtain(connectionId, refresher, opts.context ?? {}).finally(() => this.inflight.delete(connectionId));
    this.inflight.set(connectionId, attempt);
    return attempt;
  }

  /**
   * Makes the next {@link getAccessToken} refresh, if `accessToken` is still the stored one (an API answered 401 for
   * it). Returns whether it was. A token someone already replaced is left alone, so a late 401 cannot cause a second
   * refresh.
   */
  async invalidate(connectionId: string, accessToken: string): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE ${this.s}.erp_oauth_tokens SET access_expires_at = LEAST(access_expires_at, now() - interval '1 second'), updated_at = now()
        WHERE connection_id = $1 AND access_fingerprint = $2 AND status = 'active'`,
      [connectionId, fingerprint(accessToken)],
    );
    return res.rowCount === 1;
  }

  /** Returns the connection's token state without the tokens, or null when it was never authorised. */
  async state(connectionId: string): Promise<TokenState | null> {
    const row = await this.read(this.pool, connectionId);
    if (!row) return null;
    return {
      connectionId: row.connection_id,
      tenantId: row.tenant_id,
      status: row.status,
      revokedReason: row.revoked_reason,
      keyId: row.key_id,
      accessExpiresAt: row.access_expires_at,
      refreshExpiresAt: row.refresh_expires_at,
      generation: row.generation,
      refreshedAt: row.refreshed_at,
    };
  }

  /**
   * Seals every row encrypted with an older key again with the current one and returns how many it changed. Run it
   * after rotating keys; a row refreshed meanwhile is skipped (it is already sealed with the current key).
   */
  async reseal(): Promise<number> {
    const { rows } = await this.pool.query<TokenRow>(
      `SELECT *, false AS fresh FROM ${this.s}.erp_oauth_tokens WHERE key_id <> $1`,
      [this.opts.cipher.currentKeyId],
    );
    let changed = 0;
    for (const row of rows) {
      const { keyId, sealed } = this.seal(row.connection_id, this.open(row));
      const res = await this.pool.query(
        `UPDATE ${this.s}.erp_oauth_tokens SET key_id = $2, sealed = $3, updated_at = now() WHERE connection_id = $1 AND generation = $4 AND key_id = $5`,
        [row.connection_id, keyId, sealed, row.generation, row.key_id],
      );
      changed += res.rowCount ?? 0;
    }
    return changed;
  }

  private async obtain(connectionId: string, refresher: TokenRefresher, context: ErrorContext): Promise<string> {
    const row = await this.read(this.pool, connectionId);
    const usable = this.usable(row, connectionId, context);
    if (usable !== undefined) return usable;

    const client = await this.pool.connect();
    let locked = false;
    let broken = false;
    try {
      const deadline = performance.now() + this.lockWaitMs;
      for (;;) {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked', [this.lockKey, connectionId]);
        locked = rows[0]?.locked === true;
        if (locked) break;
        // Another caller (another replica) is refreshing; its result lands in the row.
        const latest = this.usable(await this.read(client, connectionId), connectionId, context);
        if (latest !== undefined) return latest;
        if (performance.now() > deadline) {
          throw new LedgerlineError({
            code: 'ERP_TOKEN_REFRESH_BUSY',
            kind: 'transient',
            operatorMessage: `Another Ledgerline replica has been refreshing the ${this.opts.erp} token of connection "${connectionId}" for over ${Math.round(this.lockWaitMs / 1000)} s. Ledgerline retries automatically; if this persists, check ${this.opts.erp}'s status and the replicas' logs.`,
            context: { ...context, connectionId, erp: this.opts.erp },
            notApplied: true,
          });
        }
        await sleep(25 + Math.floor(Math.random() * 25));
      }

      // Re-read under the lock: whoever held it before may have refreshed already.
      const current = await this.read(client, connectionId);
      const refreshedMeanwhile = this.usable(current, connectionId, context); // throws when there is no row
      if (refreshedMeanwhile !== undefined) return refreshedMeanwhile;
      return await this.refresh(current as TokenRow, refresher, context);
    } finally {
      if (locked) {
        try {
          await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [this.lockKey, connectionId]);
        } catch {
          broken = true; // ending the session releases the lock
        }
      }
      client.release(broken);
    }
  }

  /** The row's access token when it can be used as it is; undefined when it needs a refresh. Throws when it never can. */
  private usable(row: TokenRow | null, connectionId: string, context: ErrorContext): string | undefined {
    const ctx = { ...context, connectionId, erp: this.opts.erp, ...(row ? { tenantId: row.tenant_id } : {}) };
    if (!row) {
      throw new LedgerlineError({
        code: 'ERP_AUTH_MISSING',
        kind: 'permanent',
        operatorMessage: `Connection "${connectionId}" has never been authorised with ${this.opts.erp}, so nothing can be sent there. Authorise it in the console under Connections → ${this.opts.erp} → Authorise, then replay the parked documents.`,
        context: ctx,
        notApplied: true,
      });
    }
    if (row.status === 'revoked') throw new ErpAuthRevokedError({ erp: this.opts.erp, context: ctx, detail: row.revoked_reason ?? undefined });
    return row.fresh ? this.open(row).a : undefined;
  }

  private async refresh(row: TokenRow, refresher: TokenRefresher, context: ErrorContext): Promise<string> {
    const ctx = { ...context, connectionId: row.connection_id, tenantId: row.tenant_id, erp: this.opts.erp };
    const current = this.open(row);
    if (!current.r) {
      await this.revoke(row.connection_id, 'no refresh token stored');
      throw new ErpAuthRevokedError({ erp: this.opts.erp, context: ctx, detail: 'no refresh token stored' });
    }
    let tokens: OAuthTokens;
    try {
      tokens = await refresher({ connectionId: row.connection_id, tenantId: row.tenant_id, refreshToken: current.r, signal: AbortSignal.timeout(this.refreshTimeoutMs) });
    } catch (err) {
      if (isInvalidGrant(err)) {
        const reason = err instanceof LedgerlineError && err.detail ? err.detail : 'the ERP refused the refresh token (invalid_grant)';
        await this.revoke(row.connection_id, reason);
        erpTokenRefreshes.inc({ erp: this.opts.erp, outcome: 'revoked' });
        throw err instanceof ErpAuthRevokedError ? err.withContext(ctx) : new ErpAuthRevokedError({ erp: this.opts.erp, context: ctx, detail: reason, cause: err });
      }
      erpTokenRefreshes.inc({ erp: this.opts.erp, outcome: 'failed' });
      throw withErrorContext(err, ctx);
    }
    erpTokenRefreshes.inc({ erp: this.opts.erp, outcome: 'refreshed' });
    await this.store(row, { a: tokens.accessToken, r: tokens.refreshToken ?? current.r }, tokens);
    return tokens.accessToken;
  }

  /**
   * Writes refreshed tokens. The old refresh token is spent at the ERP by now, so losing this write would lose the
   * connection: it is retried on fresh connections before giving up (and the failure is logged as such).
   */
  private async store(row: TokenRow, plain: Plain, tokens: OAuthTokens): Promise<void> {
    const { keyId, sealed } = this.seal(row.connection_id, plain);
    let lastError: unknown;
    for (let attempt = 1; attempt <= 4; attempt++) {
      try {
        await this.pool.query(
          `UPDATE ${this.s}.erp_oauth_tokens
              SET key_id = $3, sealed = $4, access_fingerprint = $5,
                  access_expires_at = now() + make_interval(secs => $6::double precision),
                  refresh_expires_at = CASE WHEN $7::double precision IS NULL THEN refresh_expires_at ELSE now() + make_interval(secs => $7::double precision) END,
                  generation = generation + 1, refreshed_at = now(), updated_at = now()
            WHERE connection_id = $1 AND generation = $2`,
          [row.connection_id, row.generation, keyId, sealed, fingerprint(plain.a), tokens.expiresInSeconds, tokens.refreshToken ? (tokens.refreshExpiresInSeconds ?? null) : null],
        );
        // No row updated means the connection was re-authorised meanwhile: its new tokens win.
        return;
      } catch (err) {
        lastError = err;
        await sleep(100 * attempt);
      }
    }
    this.log.error(
      { connectionId: row.connection_id, tenantId: row.tenant_id, erp: this.opts.erp, err: lastError },
      'refreshed ERP tokens could not be stored; the old refresh token is spent, so the connection will need re-authorisation',
    );
    throw lastError;
  }

  private async revoke(connectionId: string, reason: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.erp_oauth_tokens SET status = 'revoked', revoked_reason = $2, updated_at = now() WHERE connection_id = $1`, [connectionId, reason]);
  }

  private async read(db: Pool | PoolClient, connectionId: string): Promise<TokenRow | null> {
    const { rows } = await db.query<TokenRow>(
      `SELECT *, access_expires_at > now() + make_interval(secs => $2::double precision / 1000) AS fresh
         FROM ${this.s}.erp_oauth_tokens WHERE connection_id = $1`,
      [connectionId, this.skewMs],
    );
    return rows[0] ?? null;
  }

  private seal(connectionId: string, plain: Plain) {
    return this.opts.cipher.seal(Buffer.from(JSON.stringify(plain), 'utf8'), connectionId);
  }

  private open(row: TokenRow): Plain {
    return JSON.parse(this.opts.cipher.open({ keyId: row.key_id, sealed: row.sealed }, row.connection_id).toString('utf8')) as Plain;
  }
}
