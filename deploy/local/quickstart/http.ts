// Small HTTP helpers: JSON calls to our services' admin APIs, signed WooCommerce REST calls (OAuth 1.0a over plain
// HTTP, as a real store requires there) and Fortnox API reads with the company's own token.
import { setTimeout as sleep } from 'node:timers/promises';
import { rawUrlEncode, signOAuth1Query } from '@ledgerline/woocommerce';

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** One JSON request; never throws on an HTTP status (use {@link expectOk}). */
export async function call<T = unknown>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** The answer's body, or an error naming the request and the answer. */
export function expectOk<T>(what: string, answer: Answer<T>): T {
  if (answer.status < 200 || answer.status > 299) throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 1500)}`);
  return answer.body;
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** A WooCommerce store reached through its REST API v3 with a REST key. */
export class WooStore {
  constructor(
    readonly siteUrl: string,
    readonly consumerKey: string,
    private readonly consumerSecret: string,
  ) {}

  get apiUrl(): string {
    return `${this.siteUrl}/wp-json/wc/v3`;
  }

  async request<T>(method: string, path: string, query: Record<string, string> = {}, body?: unknown): Promise<Answer<T>> {
    const url = `${this.apiUrl}${path}`;
    for (let attempt = 1; ; attempt++) {
      const signed = signOAuth1Query({ method, url, query, consumerKey: this.consumerKey, consumerSecret: this.consumerSecret });
      const qs = Object.entries(signed)
        .map(([k, v]) => `${rawUrlEncode(k)}=${rawUrlEncode(v)}`)
        .join('&');
      const answer = await call<T>(method, `${url}?${qs}`, body);
      if (answer.status === 429 && attempt < 10) {
        await sleep(1000);
        continue;
      }
      return answer;
    }
  }

  /** Every item of a list endpoint (100 per page). */
  async all<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const answer = await this.request<T[]>('GET', path, { ...query, per_page: '100', page: String(page) });
      const items = expectOk(`GET ${this.siteUrl} ${path}`, answer);
      out.push(...items);
      const pages = Number(answer.headers.get('x-wp-totalpages') ?? '1');
      if (page >= pages || items.length === 0) return out;
    }
  }
}

/** Reads a Fortnox company through the API with a token of its own (it shares the company's 25 requests / 5 s). */
export class FortnoxReader {
  requests = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly accessToken: string,
  ) {}

  async get<T>(path: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      const answer = await call<T>('GET', `${this.baseUrl}${path}`, undefined, bearer(this.accessToken));
      if (answer.status === 429 && attempt < 30) {
        await sleep(700);
        continue;
      }
      return expectOk(`Fortnox GET ${path}`, answer);
    }
  }

  /** Every row of a Fortnox list (`MetaInformation` paging, 500 per page). */
  async list<T>(path: string, key: string): Promise<T[]> {
    const out: T[] = [];
    const sep = path.includes('?') ? '&' : '?';
    for (let page = 1; ; page++) {
      const body = await this.get<Record<string, unknown>>(`${path}${sep}limit=500&page=${page}`);
      out.push(...((body[key] as T[]) ?? []));
      const meta = body['MetaInformation'] as { '@TotalPages'?: number } | undefined;
      if (page >= (meta?.['@TotalPages'] ?? 1)) return out;
    }
  }
}

/**
 * Polls `probe` until it returns a value other than null, printing `progress` lines while it waits. Gives up (returns
 * null, after a line saying so) at `timeoutMs`, or when the progress text has not changed for `stallMs`: the summary
 * then shows what is missing, which says more than a timeout.
 */
export async function waitFor<T>(opts: {
  what: string;
  timeoutMs: number;
  stallMs?: number;
  intervalMs?: number;
  progressEveryMs?: number;
  probe: () => Promise<{ done: T | null; progress: string }>;
  print: (line: string) => void;
  check?: () => void;
}): Promise<T | null> {
  const started = Date.now();
  let lastPrint = started;
  let progress = '';
  let lastChange = started;
  for (;;) {
    opts.check?.();
    const r = await opts.probe();
    if (r.progress !== progress) lastChange = Date.now();
    progress = r.progress;
    if (r.done !== null) {
      opts.print(`  ${opts.what}: ${progress} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return r.done;
    }
    const stalled = Date.now() - lastChange > (opts.stallMs ?? Number.POSITIVE_INFINITY);
    if (stalled || Date.now() - started > opts.timeoutMs) {
      const why = stalled ? `nothing moved for ${Math.round((opts.stallMs ?? 0) / 1000)} s` : `timed out after ${Math.round(opts.timeoutMs / 1000)} s`;
      opts.print(`  !! ${opts.what}: ${why}, going on to the summary: ${progress}`);
      return null;
    }
    if (Date.now() - lastPrint >= (opts.progressEveryMs ?? 5000)) {
      opts.print(`  … ${opts.what}: ${progress} (${Math.round((Date.now() - started) / 1000)} s)`);
      lastPrint = Date.now();
    }
    await sleep(opts.intervalMs ?? 1000);
  }
}
