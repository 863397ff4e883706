import type { WooSandbox } from '../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- REST bodies are read field by field in assertions; typing every WooCommerce shape here would only restate the contract files.
export type WooJson = any;

/** Status, headers and parsed JSON body of one answer. */
export interface RestAnswer {
  status: number;
  headers: Headers;
  json: WooJson;
}

/** `Authorization: Basic` for the sandbox's key (accepted when the sandbox runs with `assumeHttps`). */
export function basicAuth(sandbox: WooSandbox): string {
  return `Basic ${Buffer.from(`${sandbox.consumerKey}:${sandbox.consumerSecret}`).toString('base64')}`;
}

/** Calls `${apiUrl}/${path}` with Basic auth and a JSON body. */
export async function rest(sandbox: WooSandbox, method: string, path: string, body?: unknown): Promise<RestAnswer> {
  const res = await fetch(`${sandbox.apiUrl}/${path}`, {
    method,
    headers: { authorization: basicAuth(sandbox), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

/** Calls the control API at `${url}/__sandbox${path}`. */
export async function control(sandbox: WooSandbox, method: string, path: string, body?: unknown): Promise<RestAnswer> {
  const res = await fetch(`${sandbox.url}/__sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: await res.json() };
}
