/* eslint-disable @typescript-eslint/no-explicit-any -- tests read API JSON field by field in assertions. */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { BOOTSTRAP_TOKEN, freePort, startControlPlane, type ControlPlaneUnderTest } from './control-plane.harness';

const TENANT = 'acme-auth';
const STORE = 'nordic-auth';
const WEBHOOK_SECRET = 'wh-secret-never-shown-0123456789';
// Probes and metrics are scraped without credentials (kubelet, Prometheus); the OAuth callback is authenticated by
// its one-time state, and asserted separately below.
const PUBLIC = new Set(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /api/connections/oauth/callback']);

let t: ControlPlaneUnderTest;
let viewer: string;
let operator: string;
// A stand-in identity provider: its signing key and a JWKS endpoint, as an OIDC issuer publishes them.
let idp: Server;
let issuer: string;
let signingKey: CryptoKey;

async function jwt(claims: Record<string, unknown>, opts: { audience?: string; key?: CryptoKey; expiresIn?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience(opts.audience ?? 'ledgerline-control-plane')
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(opts.key ?? signingKey);
}

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  signingKey = privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  idp = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((r) => idp.listen(port, '127.0.0.1', r));
  t = await startControlPlane({ seed: 11, env: { CONTROL_PLANE_OIDC_ISSUER: issuer, CONTROL_PLANE_OIDC_JWKS_URL: `${issuer}/jwks.json` } });
  const mk = async (role: string) => {
    const r = await t.call('POST', '/api/tokens', { name: `${role}-bot`, role });
    expect(r.status).toBe(201);
    return r.json.token as string;
  };
  viewer = await mk('viewer');
  operator = await mk('operator');
});

afterAll(async () => {
  await t?.close();
  await new Promise((r) => idp?.close(r));
});

/** Every operation of the OpenAPI document (which Nest builds from every controller route) with its required role. */
function operations(): Array<{ method: string; path: string; role: 'viewer' | 'operator' | 'admin' | 'public' }> {
  const out: Array<{ method: string; path: string; role: 'viewer' | 'operator' | 'admin' | 'public' }> = [];
  for (const [path, item] of Object.entries(t.cp.openApi.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, { summary?: string }>)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const id = `${method.toUpperCase()} ${path}`;
      const role = PUBLIC.has(id) ? 'public' : (/\((viewer|operator|admin)\b/.exec(op.summary ?? '')?.[1] as 'viewer' | 'operator' | 'admin' | undefined);
      if (!role) throw new Error(`${id} does not say its role in its summary`);
      out.push({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x'), role });
    }
  }
  return out;
}

describe('authentication and roles', () => {
  it('answers 401 on every non-public route without a token, with an unknown token and with a forged JWT', async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(20);
    for (const op of ops.filter((o) => o.role !== 'public')) {
      for (const token of [null, 'llcp_unknown-token-value', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
        const r = await t.call(op.method, op.path, op.method === 'GET' ? undefined : {}, token);
        expect([`${op.method} ${op.path}`, r.status]).toEqual([`${op.method} ${op.path}`, 401]);
        expect(r.json.code).toBe('AUTH_TOKEN_INVALID');
      }
    }
  });

  it('answers 403 when the role is too small and lets the right role through', async () => {
    const tokens = { viewer, operator, admin: BOOTSTRAP_TOKEN };
    const rank = { viewer: 0, operator: 1, admin: 2 };
    let checked403 = 0;
    const ops = operations().filter((o) => o.role !== 'public');
    // A viewer route has no weaker role to refuse, an operator route refuses viewers, an admin route both.
    const expected403 = ops.reduce((n, o) => n + rank[o.role as 'viewer'], 0);
    for (const op of ops) {
      for (const [role, token] of Object.entries(tokens) as Array<['viewer' | 'operator' | 'admin', string]>) {
        const r = await t.call(op.method, op.path, op.method === 'GET' ? undefined : {}, token);
        if (rank[role] < rank[op.role as 'viewer']) {
          expect([`${role} ${op.method} ${op.path}`, r.status]).toEqual([`${role} ${op.method} ${op.path}`, 403]);
          expect(r.json.code).toBe('AUTH_ROLE_TOO_SMALL');
          checked403++;
        } else {
          expect([`${role} ${op.method} ${op.path}`, [401, 403].includes(r.status)]).toEqual([`${role} ${op.method} ${op.path}`, false]);
        }
      }
    }
    // Every (route, role) pair below the route's role was tried; admin-only routes are most of the API.
    expect(checked403).toBe(expected403);
    expect(checked403).toBeGreaterThanOrEqual(20);
  });

  it('accepts OIDC access tokens signed by the issuer\'s JWKS, with the role from the roles claim', async () => {
    const operatorJwt = await jwt({ email: 'ops@acme.example', roles: ['viewer', 'operator'] });
    expect((await t.call('GET', '/api/me', undefined, operatorJwt)).json).toEqual({ name: 'ops@acme.example', kind: 'oidc', role: 'operator' });
    expect((await t.call('POST', '/api/alerts/evaluate', undefined, operatorJwt)).status).toBe(200);
    expect((await t.call('PUT', '/api/tenants/oidc-t', { name: 'x' }, operatorJwt)).status).toBe(403);
    const admin = await jwt({ email: 'admin@acme.example', roles: 'admin' });
    expect((await t.call('PUT', '/api/tenants/oidc-t', { name: 'OIDC tenant' }, admin)).status).toBe(200);
    expect((await t.call('GET', '/api/audit?subjectId=oidc-t')).json[0]).toMatchObject({ actor: 'admin@acme.example', actorKind: 'oidc', action: 'tenant.created' });

    const { privateKey: otherKey } = await generateKeyPair('RS256');
    for (const [what, token] of [
      ['another audience', await jwt({ roles: ['admin'] }, { audience: 'someone-else' })],
      ['another key', await jwt({ roles: ['admin'] }, { key: otherKey })],
      ['expired', await jwt({ roles: ['admin'] }, { expiresIn: '-1m' })],
    ] as const) {
      const r = await t.call('GET', '/api/me', undefined, token);
      expect([what, r.status, r.json.code]).toEqual([what, 401, 'AUTH_TOKEN_INVALID']);
    }
    const noRole = await t.call('GET', '/api/me', undefined, await jwt({ email: 'guest@acme.example', groups: ['staff'] }));
    expect([noRole.status, noRole.json.code]).toEqual([403, 'AUTH_ROLE_TOO_SMALL']);
  });

  it('keeps only the documented routes public: probes, metrics and the OAuth callback (which refuses an unknown state)', async () => {
    expect(operations().filter((o) => o.role === 'public').map((o) => `${o.method} ${o.path}`).sort()).toEqual([...PUBLIC].sort());
    const cb = await t.call('GET', '/api/connections/oauth/callback?code=abc&state=forged', undefined, null);
    expect(cb.status).toBe(302);
    expect(decodeURIComponent(await fetch(`${t.base}/api/connections/oauth/callback?code=abc&state=forged`, { redirect: 'manual' }).then((r) => r.headers.get('location') ?? ''))).toContain('oauth=error');
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const doc = (await fetch(`${t.base}/api/openapi.json`).then((r) => r.json())) as any;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/stores/{storeId}', '/api/connections/{connectionId}/mappings', '/api/parked/replay', '/api/orders/search']));
    expect((await fetch(`${t.base}/api/docs`)).status).toBe(200);
    const console = await fetch(`${t.base}/console/`);
    expect(console.status).toBe(200);
    expect(console.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await console.text()).toContain('<script type="module" src="app.js"></script>');
  });

  it('shows an API token once, stores only its hash, and refuses it once revoked', async () => {
    const created = await t.call('POST', '/api/tokens', { name: 'short-lived', role: 'viewer' });
    expect(created.json.token).toMatch(/^llcp_/);
    const listed = await t.call('GET', '/api/tokens');
    expect(listed.text).not.toContain(created.json.token);
    const { rows } = await t.db.pool.query(`SELECT * FROM ${t.db.schema}.api_tokens WHERE id = $1`, [created.json.id]);
    expect(JSON.stringify(rows)).not.toContain(created.json.token);
    expect((await t.call('GET', '/api/me', undefined, created.json.token)).json).toEqual({ name: 'short-lived', kind: 'api-token', role: 'viewer' });
    expect((await t.call('DELETE', `/api/tokens/${created.json.id}`)).status).toBe(200);
    expect((await t.call('GET', '/api/me', undefined, created.json.token)).status).toBe(401);
  });
});

describe('stores, Fortnox OAuth and secrets', () => {
  let accessToken = '';
  let refreshToken = '';

  it('connects Fortnox through the authorization-code flow against sandbox-fortnox and stores the tokens encrypted', async () => {
    expect((await t.call('PUT', `/api/tenants/${TENANT}`, { name: 'Acme Auth AB' })).status).toBe(200);
    const started = await t.call('POST', '/api/connections/fortnox/start', { tenantId: TENANT });
    expect(started.status).toBe(200);
    const authorize = new URL(started.json.authorizeUrl);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${t.base}/api/connections/oauth/callback`);
    // The browser's part: the consent page redirects back with code and state.
    const consent = await fetch(authorize, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callbackUrl = consent.headers.get('location') as string;
    expect(callbackUrl).toContain('code=');
    const back = await fetch(callbackUrl, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toContain('oauth=connected');
    const conn = await t.call('GET', `/api/connections/fortnox-${TENANT}`);
    expect(conn.json).toMatchObject({ connectionId: `fortnox-${TENANT}`, tenantId: TENANT, erp: 'fortnox', status: 'connected', health: { expired: false, renewable: true } });
    expect(conn.json.health.expiresInSeconds).toBeGreaterThan(3000);
    // The stored token is Fortnox's real one: it reads the company's customers.
    const { rows } = await t.db.pool.query(`SELECT access_token_enc, refresh_token_enc FROM ${t.db.schema}.erp_connections`);
    expect(rows[0].access_token_enc).toMatch(/^v1:/);
    const { ErpConnectionsRepository } = await import('../src/connections/erp-connections.repository');
    const tokens = (await t.cp.app.get(ErpConnectionsRepository).tokens(`fortnox-${TENANT}`)) as { accessToken: string; refreshToken: string };
    accessToken = tokens.accessToken;
    refreshToken = tokens.refreshToken;
    expect((await fetch(`${t.fortnox.url}/3/customers`, { headers: { Authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    // The state is single use.
    expect((await fetch(callbackUrl, { redirect: 'manual' })).headers.get('location')).toContain('oauth=error');
  });

  it('registers a store, tests its connection against sandbox-woocommerce, and never returns or logs its secrets', async () => {
    const put = await t.call('PUT', `/api/stores/${STORE}`, {
      tenantId: TENANT,
      name: 'Nordic',
      siteUrl: t.woo.url,
      currency: 'SEK',
      consumerKey: t.woo.consumerKey,
      consumerSecret: t.woo.consumerSecret,
      webhookSecret: WEBHOOK_SECRET,
      erpConnectionId: `fortnox-${TENANT}`,
    });
    expect(put.status).toBe(200);
    expect(put.json.credentials).toEqual({ consumerKey: 'set', consumerSecret: 'set', webhookSecret: 'set' });
    const test = await t.call('POST', `/api/stores/${STORE}/test`, undefined, operator);
    expect(test.json).toMatchObject({ storeId: STORE, ok: true });
    // A wrong secret fails the test with the store's message, and the store's health shows it.
    await t.call('PUT', `/api/stores/${STORE}`, { tenantId: TENANT, siteUrl: t.woo.url, currency: 'SEK', consumerKey: t.woo.consumerKey, consumerSecret: 'cs_wrong_secret_value_123' });
    const bad = await t.call('POST', `/api/stores/${STORE}/test`, undefined, operator);
    expect(bad.json.ok).toBe(false);
    expect((await t.call('GET', `/api/stores/${STORE}`)).json.lastTest).toMatchObject({ ok: false });
    await t.call('PUT', `/api/stores/${STORE}`, { tenantId: TENANT, siteUrl: t.woo.url, currency: 'SEK', consumerKey: t.woo.consumerKey, consumerSecret: t.woo.consumerSecret });
    expect((await t.call('POST', `/api/stores/${STORE}/test`, undefined, operator)).json.ok).toBe(true);

    const secrets = [t.woo.consumerKey, t.woo.consumerSecret, WEBHOOK_SECRET, 'cs_wrong_secret_value_123', accessToken, refreshToken, BOOTSTRAP_TOKEN, viewer, operator];
    const responses = await Promise.all(
      ['/api/stores', `/api/stores/${STORE}`, '/api/connections', `/api/connections/fortnox-${TENANT}`, '/api/audit', '/api/tokens', '/api/openapi.json'].map((p) => t.call('GET', p).then((r) => r.text)),
    );
    const { rows } = await t.db.pool.query(`SELECT * FROM ${t.db.schema}.stores`);
    const logs = t.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(15);
      for (const text of responses) expect(text).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(JSON.stringify(rows)).not.toContain(secret);
    }
  });

  it('writes every configuration change to the audit log with who, when and what changed, secrets redacted', async () => {
    const audit = (await t.call('GET', '/api/audit', undefined, viewer)).json as any[];
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['tenant.created', 'erp-connection.created', 'erp-connection.authorized', 'store.created', 'store.updated', 'api-token.created', 'api-token.revoked']));
    const created = audit.find((a) => a.action === 'store.created');
    expect(created).toMatchObject({ actor: 'bootstrap-token', actorKind: 'bootstrap', tenantId: TENANT, subjectKind: 'store', subjectId: STORE });
    expect(Date.parse(created.at)).toBeGreaterThan(Date.now() - 120_000);
    expect(created.changes.siteUrl).toEqual({ from: null, to: t.woo.url });
    expect(created.changes.consumerSecret).toEqual({ from: null, to: '[REDACTED]' });
    expect(created.changes.webhookSecret).toEqual({ from: null, to: '[REDACTED]' });
    const secretChange = audit.find((a) => a.action === 'store.updated' && a.changes.consumerSecret);
    expect(secretChange.changes.consumerSecret).toEqual({ from: '[REDACTED]', to: '[REDACTED]' });
    const authorized = audit.find((a) => a.action === 'erp-connection.authorized');
    // The callback carries no bearer token; the change is attributed to whoever started the flow.
    expect(authorized).toMatchObject({ actor: 'bootstrap-token', actorKind: 'bootstrap', subjectId: `fortnox-${TENANT}` });
    expect(authorized.changes.accessToken).toEqual({ from: null, to: '[REDACTED]' });
  });
});
