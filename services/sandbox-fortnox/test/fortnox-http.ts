import type { FortnoxSandbox, TokenResponse } from '../src';

/**
 * A parsed JSON body. Tests walk vendor payloads several levels deep (`body.Invoice.InvoiceRows[0].Total`)
 * and assert on the values, so the body is untyped on purpose; the assertions are the type check.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A JSON response as the tests look at it. */
export interface JsonResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** POSTs a form to the sandbox's token endpoint with HTTP Basic client authentication. */
export async function requestToken(sandbox: FortnoxSandbox, form: Record<string, string>, credentials = `${sandbox.clientId}:${sandbox.clientSecret}`): Promise<JsonResponse> {
  const res = await fetch(`${sandbox.url}/oauth-v1/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(credentials).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

/** An authorized connection to one tenant, as a connector holds it. */
export interface TenantConnection {
  tenantId: string;
  tokens: TokenResponse;
  call<T = Json>(method: string, path: string, body?: unknown): Promise<JsonResponse<T>>;
}

/** Creates a company, exchanges its authorization code and returns a client for its API. */
export async function connectTenant(sandbox: FortnoxSandbox, name?: string): Promise<TenantConnection> {
  const { tenantId, authorizationCode } = sandbox.control.createTenant(name);
  const token = await requestToken(sandbox, { grant_type: 'authorization_code', code: authorizationCode });
  if (token.status !== 200) throw new Error(`token exchange failed: ${token.status} ${JSON.stringify(token.body)}`);
  const tokens = token.body as TokenResponse;
  return { tenantId, tokens, call: (method, path, body) => callApi(sandbox, tokens.access_token, method, path, body) };
}

/** Calls the API with a bearer token. */
export async function callApi<T = Json>(sandbox: FortnoxSandbox, accessToken: string, method: string, path: string, body?: unknown): Promise<JsonResponse<T>> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? ({} as T) : (JSON.parse(text) as T), headers: res.headers };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.parse('2026-11-26T09:00:00Z')): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms), set: (ms) => (t = ms) };
}
