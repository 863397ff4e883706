import { ErpAuthRevokedError, ErpRateLimitedError, ErpUnavailableError } from '../errors/erp.errors';
import { oauth2RefreshGrant } from './oauth2-refresh';
import type { RefreshRequest } from './token.store';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A fetch that answers `response` and records what was sent. */
function fetchAnswering(response: () => Response | Promise<Response>): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fake = async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), init: init ?? {} });
    return response();
  };
  return { fetch: fake as typeof fetch, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const request: RefreshRequest = { connectionId: 'conn-1', tenantId: 'acme', refreshToken: 'rt-1', signal: new AbortController().signal };
const base = { erp: 'Fortnox', tokenUrl: 'https://apps.example/oauth-v1/token', clientId: 'client', clientSecret: 's3cret' };

describe('oauth2RefreshGrant', () => {
  it('posts a refresh_token grant with Basic client authentication and returns the new pair', async () => {
    const { fetch, sent } = fetchAnswering(() => json(200, { access_token: 'at-2', refresh_token: 'rt-2', expires_in: 3600, token_type: 'bearer' }));
    const tokens = await oauth2RefreshGrant({ ...base, fetch })(request);
    expect(tokens).toEqual({ accessToken: 'at-2', refreshToken: 'rt-2', expiresInSeconds: 3600, refreshExpiresInSeconds: null });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(base.tokenUrl);
    expect(sent[0]!.init.method).toBe('POST');
    expect((sent[0]!.init.headers as Record<string, string>).Authorization).toBe(`Basic ${Buffer.from('client:s3cret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(String(sent[0]!.init.body)))).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-1' });
  });

  it('can send the client credentials in the form instead', async () => {
    const { fetch, sent } = fetchAnswering(() => json(200, { access_token: 'at-2', expires_in: 60 }));
    expect((await oauth2RefreshGrant({ ...base, clientAuth: 'body', fetch })(request)).refreshToken).toBeNull();
    expect(Object.fromEntries(new URLSearchParams(String(sent[0]!.init.body)))).toMatchObject({ client_id: 'client', client_secret: 's3cret' });
    expect((sent[0]!.init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('turns invalid_grant into ErpAuthRevokedError', async () => {
    const { fetch } = fetchAnswering(() => json(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' }));
    const err = await oauth2RefreshGrant({ ...base, fetch })(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErpAuthRevokedError);
    expect(err).toMatchObject({ code: 'ERP_AUTH_REVOKED', detail: 'HTTP 400 invalid_grant: Invalid refresh token', context: { connectionId: 'conn-1', tenantId: 'acme', erp: 'Fortnox' } });
  });

  it('reports wrong client credentials as a permanent configuration problem', async () => {
    const { fetch } = fetchAnswering(() => json(401, { error: 'invalid_client' }));
    await expect(oauth2RefreshGrant({ ...base, fetch })(request)).rejects.toMatchObject({ code: 'ERP_CLIENT_CREDENTIALS_INVALID', kind: 'permanent' });
  });

  it('treats 5xx and network failures as transient with an unknown outcome, and 429 as rate limited', async () => {
    const down = fetchAnswering(() => json(503, {}));
    const err = await oauth2RefreshGrant({ ...base, fetch: down.fetch })(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErpUnavailableError);
    expect(err).toMatchObject({ code: 'ERP_TOKEN_ENDPOINT_UNAVAILABLE', kind: 'transient', notApplied: false });

    const reset = fetchAnswering(() => Promise.reject(new TypeError('fetch failed')));
    await expect(oauth2RefreshGrant({ ...base, fetch: reset.fetch })(request)).rejects.toMatchObject({ code: 'ERP_TOKEN_ENDPOINT_UNAVAILABLE', detail: 'token refresh failed: fetch failed' });

    const limited = fetchAnswering(() => json(429, {}, { 'Retry-After': '7' }));
    const rl = await oauth2RefreshGrant({ ...base, fetch: limited.fetch })(request).catch((e: unknown) => e);
    expect(rl).toBeInstanceOf(ErpRateLimitedError);
    expect(rl).toMatchObject({ retryAfterMs: 7000 });
  });

  it('calls a 200 without an access token a defect', async () => {
    const { fetch } = fetchAnswering(() => json(200, { token_type: 'bearer' }));
    await expect(oauth2RefreshGrant({ ...base, fetch })(request)).rejects.toMatchObject({ code: 'ERP_TOKEN_RESPONSE_INVALID', kind: 'defect' });
  });
});
