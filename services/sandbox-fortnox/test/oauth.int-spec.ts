import { startFortnoxSandbox, type FortnoxSandbox } from '../src';
import { callApi, connectTenant, manualClock, requestToken } from './fortnox-http';

describe('sandbox-fortnox OAuth2', () => {
  const clock = manualClock();
  let sandbox: FortnoxSandbox;

  beforeAll(async () => {
    sandbox = await startFortnoxSandbox({ now: clock.now });
  });
  afterAll(() => sandbox.close());

  it('exchanges an authorization code for tokens that call the API', async () => {
    const { authorizationCode } = sandbox.control.createTenant('Acme AB');

    const token = await requestToken(sandbox, { grant_type: 'authorization_code', code: authorizationCode });
    expect(token.status).toBe(200);
    expect(token.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      scope: expect.any(String),
      expires_in: 3600,
      token_type: 'bearer',
    });

    const customers = await callApi(sandbox, token.body.access_token, 'GET', '/3/customers');
    expect(customers.status).toBe(200);
    expect(customers.body).toEqual({ Customers: [], MetaInformation: { '@TotalResources': 0, '@TotalPages': 1, '@CurrentPage': 1 } });
  });

  it('redirects /oauth-v1/auth to the redirect_uri with a code and the state, and the code is bound to that redirect_uri', async () => {
    const redirectUri = 'https://connector.example/activation';
    const query = new URLSearchParams({ client_id: sandbox.clientId, redirect_uri: redirectUri, scope: 'invoice customer', state: 's-123', access_type: 'offline', response_type: 'code' });
    const res = await fetch(`${sandbox.url}/oauth-v1/auth?${query}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('s-123');
    const code = location.searchParams.get('code') ?? '';

    const wrongRedirect = await requestToken(sandbox, { grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/' });
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.body.error).toBe('invalid_grant');
  });

  it('accepts each authorization code once', async () => {
    const { authorizationCode } = sandbox.control.createTenant();
    expect((await requestToken(sandbox, { grant_type: 'authorization_code', code: authorizationCode })).status).toBe(200);
    const again = await requestToken(sandbox, { grant_type: 'authorization_code', code: authorizationCode });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid authorization code' });
  });

  it('rotates refresh tokens: a refresh returns a new pair and the old refresh token fails on second use', async () => {
    const conn = await connectTenant(sandbox);
    const first = await requestToken(sandbox, { grant_type: 'refresh_token', refresh_token: conn.tokens.refresh_token });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(conn.tokens.refresh_token);
    expect(first.body.access_token).not.toBe(conn.tokens.access_token);
    expect(first.body.expires_in).toBe(3600);

    const reuse = await requestToken(sandbox, { grant_type: 'refresh_token', refresh_token: conn.tokens.refresh_token });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });

    const next = await requestToken(sandbox, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(next.status).toBe(200);
    expect((await callApi(sandbox, next.body.access_token, 'GET', '/3/invoices')).status).toBe(200);
  });

  it('answers 401 in ErrorInformation form once the access token is an hour old, and a refreshed token works', async () => {
    const conn = await connectTenant(sandbox);
    clock.advance(3_599_000);
    expect((await conn.call('GET', '/3/articles')).status).toBe(200);

    clock.advance(1_000);
    const expired = await conn.call('GET', '/3/articles');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ ErrorInformation: { error: 1, message: 'Ogiltig inloggning', code: 2000310 } });

    const refreshed = await requestToken(sandbox, { grant_type: 'refresh_token', refresh_token: conn.tokens.refresh_token });
    expect((await callApi(sandbox, refreshed.body.access_token, 'GET', '/3/articles')).status).toBe(200);
  });

  it('answers 401 with 2000311 when the Authorization header is missing, and 2000310 for an unknown token', async () => {
    const missing = await fetch(`${sandbox.url}/3/invoices`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ ErrorInformation: { error: 1, message: 'Kan inte logga in, access-token eller client-secret saknas(2).', code: 2000311 } });

    const unknown = await callApi(sandbox, 'not-a-token', 'GET', '/3/invoices');
    expect(unknown.status).toBe(401);
    expect(unknown.body.ErrorInformation.code).toBe(2000310);
  });

  it('rejects the token endpoint without the right Basic client credentials', async () => {
    const { authorizationCode } = sandbox.control.createTenant();
    const res = await requestToken(sandbox, { grant_type: 'authorization_code', code: authorizationCode }, `${sandbox.clientId}:wrong-secret`);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('keeps each tenant\'s data apart: a token sees only its own company', async () => {
    const a = await connectTenant(sandbox, 'A AB');
    const b = await connectTenant(sandbox, 'B AB');
    expect((await a.call('POST', '/3/customers', { Customer: { Name: 'Only in A' } })).status).toBe(201);

    const inB = await b.call('GET', '/3/customers');
    expect(inB.body.Customers).toEqual([]);
    expect((await b.call('GET', '/3/customers/1')).status).toBe(404);
    expect((await a.call('GET', '/3/customers/1')).body.Customer.Name).toBe('Only in A');
  });
});
