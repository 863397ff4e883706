import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool } from 'pg';
import type { TestDatabase } from '@ledgerline/testing';
import { ErpAuthRevokedError, ErpUnavailableError, TokenCipher, TokenStore, type OAuthTokens, type TokenRefresher } from '../src';
import { erpKitDatabase } from './support';

/**
 * An OAuth token endpoint whose refresh tokens work once, as Fortnox's do: a second use is refused with invalid_grant
 * (and counted, so a test can prove it never happened). The contract suite runs the same against sandbox-fortnox.
 */
class SingleUseTokenEndpoint {
  private valid = new Set<string>();
  grants = 0;
  reused = 0;
  latencyMs = 50;

  issue(): OAuthTokens {
    const refreshToken = `rt-${randomUUID()}`;
    this.valid.add(refreshToken);
    return { accessToken: `at-${randomUUID()}`, refreshToken, expiresInSeconds: 3600 };
  }

  readonly refresher: TokenRefresher = async ({ refreshToken }) => {
    await sleep(this.latencyMs);
    if (!this.valid.delete(refreshToken)) {
      this.reused++;
      throw Object.assign(new Error('400 invalid_grant'), { error: 'invalid_grant' });
    }
    this.grants++;
    return this.issue();
  };
}

describe('TokenStore', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];
  const k1 = { id: 'k1', key: randomBytes(32).toString('base64') };
  const k2 = { id: 'k2', key: randomBytes(32).toString('base64') };
  const cipher = new TokenCipher({ current: k1 });

  beforeAll(async () => {
    db = await erpKitDatabase('erp_kit_tokens');
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db?.drop();
  });

  /** A token store as one replica holds it: its own instance and its own pool. */
  const replica = (opts: { cipher?: TokenCipher; lockWaitMs?: number } = {}) => {
    const pool = new Pool({ connectionString: db.url, max: 3 });
    pools.push(pool);
    return new TokenStore(pool, { schema: db.schema, erp: 'Fortnox', cipher: opts.cipher ?? cipher, ...(opts.lockWaitMs ? { lockWaitMs: opts.lockWaitMs } : {}) });
  };
  const store = () => new TokenStore(db.pool, { schema: db.schema, erp: 'Fortnox', cipher });
  const expire = (connectionId: string) => db.pool.query(`UPDATE erp_oauth_tokens SET access_expires_at = now() - interval '1 second' WHERE connection_id = $1`, [connectionId]);
  const connected = async (endpoint: SingleUseTokenEndpoint) => {
    const connectionId = `conn-${randomUUID()}`;
    const tokens = endpoint.issue();
    await store().save(connectionId, 'acme', tokens);
    return { connectionId, tokens };
  };

  it('keeps both tokens encrypted at rest, with the key id beside the ciphertext', async () => {
    const endpoint = new SingleUseTokenEndpoint();
    const { connectionId, tokens } = await connected(endpoint);
    const raw = (await db.pool.query(`SELECT * FROM erp_oauth_tokens WHERE connection_id = $1`, [connectionId])).rows[0];
    const stored = JSON.stringify(raw) + (raw.sealed as Buffer).toString('latin1');
    expect(stored).not.toContain(tokens.accessToken);
    expect(stored).not.toContain(tokens.refreshToken!);
    expect(raw).toMatchObject({ key_id: 'k1', status: 'active', tenant_id: 'acme', generation: 1 });
  });

  it('hands out the stored access token while it is fresh, without refreshing', async () => {
    const endpoint = new SingleUseTokenEndpoint();
    const { connectionId, tokens } = await connected(endpoint);
    expect(await store().getAccessToken(connectionId, endpoint.refresher)).toBe(tokens.accessToken);
    expect(endpoint.grants).toBe(0);
  });

  it('refreshes exactly once when 30 callers on three replicas find the token expired at the same moment', async () => {
    const endpoint = new SingleUseTokenEndpoint();
    const { connectionId, tokens } = await connected(endpoint);
    await expire(connectionId);
    const replicas = [replica(), replica(), replica()];

    const handed = await Promise.all(replicas.flatMap((r) => Array.from({ length: 10 }, () => r.getAccessToken(connectionId, endpoint.refresher))));

    expect(endpoint.grants).toBe(1);
    expect(endpoint.reused).toBe(0);
    expect(new Set(handed).size).toBe(1);
    expect(handed[0]).not.toBe(tokens.accessToken);
    expect(await store().state(connectionId)).toMatchObject({ status: 'active', generation: 2, keyId: 'k1', refreshedAt: expect.any(Date) });
    // The rotated refresh token is the one used next time.
    await expire(connectionId);
    await store().getAccessToken(connectionId, endpoint.refresher);
    expect([endpoint.grants, endpoint.reused]).toEqual([2, 0]);
  });

  it('refreshes when the stored token is within the skew margin of its expiry', async () => {
    const endpoint = new SingleUseTokenEndpoint();
    const { connectionId, tokens } = await connected(endpoint);
    await db.pool.query(`UPDATE erp_oauth_tokens SET access_expires_at = now() + interval '30 seconds' WHERE connection_id = $1`, [connectionId]);
    expect(await store().getAccessToken(connectionId, endpoint.refresher)).not.toBe(tokens.accessToken);
    expect(endpoint.grants).toBe(1);
  });

  it('refreshes after a 401 for the stored token, but not for a token that was already replaced', async () => {
    const endpoint = new SingleUseTokenEndpoint();
    const { connectionId, tokens } = await connected(endpoint);
    const tokenStore = store();

    expect(await tokenStore.invalidate(connectionId, tokens.accessToken)).toBe(true);
    const fresh = await tokenStore.getAccessToken(connectionId, endpoint.refresher);
    expect(await tokenStore.invalidate(connectionId, tokens.accessToken)).toBe(false);

    expect(await tokenStore.getAccessToken(connectionId, endpoint.refresher)).toBe(fresh);
    expect(endpoint.grants).toBe(1);
  });

  it('marks the connection revoked on invalid_grant and stops asking the ERP until it is re-authorised', async () => {
    const endpoint = new SingleUseTokenEndpoint();
    const connectionId = `conn-${randomUUID()}`;
    await store().save(connectionId, 'acme', { accessToken: 'at-old', refreshToken: 'rt-already-used', expiresInSeconds: 0 });

    const err = await store().getAccessToken(connectionId, endpoint.refresher).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ErpAuthRevokedError);
    expect(err).toMatchObject({ code: 'ERP_AUTH_REVOKED', kind: 'permanent', context: { connectionId, tenantId: 'acme', erp: 'Fortnox' } });
    expect((err as ErpAuthRevokedError).operatorMessage).toContain('Re-authorise the connection in the console');
    expect(await store().state(connectionId)).toMatchObject({ status: 'revoked', revokedReason: expect.stringContaining('invalid_grant') });
    await expect(store().getAccessToken(connectionId, endpoint.refresher)).rejects.toMatchObject({ code: 'ERP_AUTH_REVOKED' });
    expect(endpoint.reused).toBe(1);

    const reauthorised = endpoint.issue();
    await store().save(connectionId, 'acme', reauthorised);
    expect(await store().getAccessToken(connectionId, endpoint.refresher)).toBe(reauthorised.accessToken);
  });

  it('keeps the stored tokens when a refresh fails transiently, so the next call can try again', async () => {
    const endpoint = new SingleUseTokenEndpoint();
    const { connectionId } = await connected(endpoint);
    await expire(connectionId);
    const down: TokenRefresher = async () => {
      throw new ErpUnavailableError({ erp: 'Fortnox', outcome: 'not-applied', detail: 'connect ECONNREFUSED' });
    };

    await expect(store().getAccessToken(connectionId, down)).rejects.toMatchObject({ code: 'ERP_SERVICE_UNAVAILABLE', context: { connectionId, tenantId: 'acme' } });
    expect(await store().state(connectionId)).toMatchObject({ status: 'active', generation: 1 });
    await store().getAccessToken(connectionId, endpoint.refresher);
    expect([endpoint.grants, endpoint.reused]).toEqual([1, 0]);
  });

  it('answers ERP_AUTH_MISSING for a connection that was never authorised', async () => {
    await expect(store().getAccessToken('conn-never', new SingleUseTokenEndpoint().refresher)).rejects.toMatchObject({ code: 'ERP_AUTH_MISSING', kind: 'permanent' });
  });

  it('gives up with a transient ERP_TOKEN_REFRESH_BUSY when another replica holds the refresh too long', async () => {
    const endpoint = new SingleUseTokenEndpoint();
    const { connectionId } = await connected(endpoint);
    await expire(connectionId);
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [`ledgerline.erp-kit.token:${db.schema}`, connectionId]);
      await expect(replica({ lockWaitMs: 200 }).getAccessToken(connectionId, endpoint.refresher)).rejects.toMatchObject({ code: 'ERP_TOKEN_REFRESH_BUSY', kind: 'transient' });
      expect(endpoint.grants).toBe(0);
    } finally {
      await other.end();
    }
  });

  it('reads tokens sealed with a previous key after rotation, and reseals them with the current key', async () => {
    const endpoint = new SingleUseTokenEndpoint();
    const { connectionId, tokens } = await connected(endpoint);
    const rotated = replica({ cipher: new TokenCipher({ current: k2, previous: [k1] }) });

    expect(await rotated.getAccessToken(connectionId, endpoint.refresher)).toBe(tokens.accessToken);
    expect(await rotated.reseal()).toBeGreaterThanOrEqual(1);
    expect(await rotated.state(connectionId)).toMatchObject({ keyId: 'k2', generation: 1 });

    const k2Only = replica({ cipher: new TokenCipher({ current: k2 }) });
    expect(await k2Only.getAccessToken(connectionId, endpoint.refresher)).toBe(tokens.accessToken);
    await expect(store().getAccessToken(connectionId, endpoint.refresher)).rejects.toMatchObject({ code: 'TOKEN_KEY_UNKNOWN' });
  });
});
