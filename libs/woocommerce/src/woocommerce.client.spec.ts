import { metricsRegistry } from '@ledgerline/observability';
import { oauth1Signature } from './oauth1-signature';
import { WooCommerceClient, type WooCommerceClientOptions } from './woocommerce.client';
import { WooApiError, WooCommerceError } from './woocommerce.error';

interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
  redirect: RequestInit['redirect'];
}

type Answer = { status?: number; body?: unknown; headers?: Record<string, string>; raw?: string } | Error | 'hang';

/** A fetch that records requests and answers from a script, one entry per call (the last one repeats). */
function scriptedFetch(...answers: Array<Answer | ((req: SeenRequest) => Answer)>) {
  const seen: SeenRequest[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const req: SeenRequest = {
      method: init.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      redirect: init.redirect,
    };
    seen.push(req);
    const next = answers[Math.min(seen.length - 1, answers.length - 1)] as Answer | ((req: SeenRequest) => Answer);
    const answer = typeof next === 'function' ? next(req) : next;
    if (answer === 'hang') {
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    }
    if (answer instanceof Error) throw answer;
    const text = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
    return new Response(text === '' ? null : text, { status: answer.status ?? 200, headers: { 'content-type': 'application/json', ...answer.headers } });
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const quiet = { info: () => undefined, warn: () => undefined };

function client(fetch: typeof globalThis.fetch, opts: Partial<WooCommerceClientOptions> = {}): WooCommerceClient {
  return new WooCommerceClient({
    siteUrl: 'https://shop.example',
    consumerKey: 'ck_test',
    consumerSecret: 'cs_secret',
    fetch,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    logger: quiet,
    ...opts,
  });
}

async function failure(promise: Promise<unknown>): Promise<WooApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WooApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

const order = { id: 727, date_modified_gmt: '2024-06-10T07:01:44' };
const wpError = (status: number, code: string, message: string, headers: Record<string, string> = {}): Answer => ({ status, body: { code, message, data: { status } }, headers });
const connectionRefused = () => new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

describe('WooCommerceClient', () => {
  describe('configuration', () => {
    it('lists every invalid setting in one WOO_CLIENT_CONFIG_INVALID error', () => {
      let err: unknown;
      try {
        new WooCommerceClient({ siteUrl: 'ftp://shop.example?x=1', consumerKey: '', consumerSecret: ' ', timeoutMs: 0, batchLimit: 250, retry: { maxAttempts: 0 } });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WooCommerceError);
      expect(err).toMatchObject({ code: 'WOO_CLIENT_CONFIG_INVALID', kind: 'permanent' });
      const message = (err as WooCommerceError).operatorMessage;
      for (const part of ['siteUrl must start with http:// or https://', 'must not carry a query', 'consumerKey is required', 'consumerSecret is required', 'timeoutMs must be a positive number', 'retry.maxAttempts', 'batchLimit must be a whole number from 1 to 100']) {
        expect(message).toContain(part);
      }
    });

    it('keeps a sub-directory install and drops the trailing slash', async () => {
      const { fetch, seen } = scriptedFetch({ body: order });
      const woo = client(fetch, { siteUrl: 'https://example.com/shop/' });
      expect(woo.siteUrl).toBe('https://example.com/shop');
      await woo.getOrder(727);
      expect(seen[0]?.url.href).toBe('https://example.com/shop/wp-json/wc/v3/orders/727');
    });
  });

  describe('authentication', () => {
    it('uses HTTP Basic over https and never follows redirects', async () => {
      const { fetch, seen } = scriptedFetch({ body: order });
      await client(fetch).getOrder(727);
      expect(seen[0]?.headers.get('authorization')).toBe(`Basic ${Buffer.from('ck_test:cs_secret').toString('base64')}`);
      expect(seen[0]?.url.search).toBe('');
      expect(seen[0]?.redirect).toBe('manual');
      expect(seen[0]?.headers.get('user-agent')).toBe('Ledgerline-WooCommerce/0.1');
    });

    it('signs with OAuth 1.0a in the query string over plain http, over exactly the parameters it sends', async () => {
      const { fetch, seen } = scriptedFetch({ body: [order], headers: { 'x-wp-total': '1', 'x-wp-totalpages': '1' } });
      await client(fetch, { siteUrl: 'http://shop.example:8080' }).listOrders({ status: ['processing', 'completed'], per_page: 5 });
      const req = seen[0] as SeenRequest;
      expect(req.headers.has('authorization')).toBe(false);
      const params = Object.fromEntries(req.url.searchParams);
      const { oauth_signature: signature, ...signed } = params;
      expect(signed).toMatchObject({ status: 'processing,completed', per_page: '5', oauth_consumer_key: 'ck_test', oauth_signature_method: 'HMAC-SHA256' });
      expect(signed['oauth_nonce']).toMatch(/^[0-9a-f]{32}$/);
      expect(signed['oauth_version']).toBeUndefined();
      expect(signature).toBe(oauth1Signature({ method: 'GET', url: 'http://shop.example:8080/wp-json/wc/v3/orders', params: signed, consumerSecret: 'cs_secret' }));
    });

    it('sends the keys as query parameters when asked to, for hosts that strip Authorization', async () => {
      const { fetch, seen } = scriptedFetch({ body: order });
      await client(fetch, { auth: 'query-string' }).getOrder(727);
      expect(Object.fromEntries(seen[0]?.url.searchParams ?? [])).toEqual({ consumer_key: 'ck_test', consumer_secret: 'cs_secret' });
      expect(seen[0]?.headers.has('authorization')).toBe(false);
    });
  });

  describe('retries', () => {
    it('retries a read after 503 and a refused connection, then returns the answer', async () => {
      const { fetch, seen } = scriptedFetch({ status: 503, raw: '<title>Maintenance</title>', headers: { 'retry-after': '600', 'content-type': 'text/html' } }, connectionRefused(), { body: order });
      await expect(client(fetch).getOrder(727)).resolves.toEqual(order);
      expect(seen).toHaveLength(3);
    });

    it('signs every attempt anew, so WooCommerce never sees a nonce twice', async () => {
      const { fetch, seen } = scriptedFetch(wpError(429, 'rate_limit_exceeded', 'Too many requests.', { 'retry-after': '0' }), { body: order });
      await client(fetch, { siteUrl: 'http://shop.example' }).getOrder(727);
      const nonces = seen.map((r) => r.url.searchParams.get('oauth_nonce'));
      expect(nonces[0]).not.toBe(nonces[1]);
    });

    it('gives up after maxAttempts with the last error and the attempt count', async () => {
      const { fetch, seen } = scriptedFetch(wpError(500, 'internal_server_error', 'There has been a critical error on this website.'));
      const err = await failure(client(fetch).getOrder(727));
      expect(err).toMatchObject({ code: 'WOO_UNAVAILABLE', kind: 'transient', attempts: 3, outcomeUnknown: false });
      expect(seen).toHaveLength(3);
    });

    it('never retries a 4xx other than 429', async () => {
      const { fetch, seen } = scriptedFetch(wpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.'));
      const err = await failure(client(fetch).getOrder(1));
      expect(err).toMatchObject({ code: 'WOO_NOT_FOUND', kind: 'permanent', attempts: 1 });
      expect(seen).toHaveLength(1);
    });

    it('does not repeat a create after a 5xx, and says its outcome is unknown', async () => {
      const { fetch, seen } = scriptedFetch(wpError(502, 'bad_gateway', 'Bad gateway'));
      const err = await failure(client(fetch).createWebhook({ topic: 'order.updated', delivery_url: 'https://erp.example/hooks', secret: 's3cret' }));
      expect(err).toMatchObject({ code: 'WOO_UNAVAILABLE', attempts: 1, outcomeUnknown: true });
      expect(seen).toHaveLength(1);
    });

    it('repeats a create after a 429 or a connection that was never made, since the store did not act on it', async () => {
      const { fetch, seen } = scriptedFetch(wpError(429, 'rate_limit_exceeded', 'Too many requests.', { 'retry-after': '0' }), connectionRefused(), { status: 201, body: { id: 9, topic: 'order.updated' } });
      await expect(client(fetch).createWebhook({ topic: 'order.updated', delivery_url: 'https://erp.example/hooks', secret: 's3cret' })).resolves.toMatchObject({ id: 9 });
      expect(seen.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
      expect(seen[2]?.body).toEqual({ topic: 'order.updated', delivery_url: 'https://erp.example/hooks', secret: 's3cret' });
    });

    it('hands a 429 that asks for longer than maxDelayMs back to the caller instead of waiting', async () => {
      const { fetch, seen } = scriptedFetch(wpError(429, 'rate_limit_exceeded', 'Too many requests.', { 'retry-after': '120' }));
      const err = await failure(client(fetch).getOrder(727));
      expect(err).toMatchObject({ code: 'WOO_RATE_LIMITED', kind: 'transient', retryAfterMs: 120_000, attempts: 1 });
      expect(seen).toHaveLength(1);
    });

    it('times out a hanging store per attempt and reports WOO_TIMEOUT', async () => {
      const { fetch, seen } = scriptedFetch('hang');
      const err = await failure(client(fetch, { timeoutMs: 30, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }).getOrder(727));
      expect(err).toMatchObject({ code: 'WOO_TIMEOUT', kind: 'transient', attempts: 2 });
      expect(seen).toHaveLength(2);
    });

    it('logs retries with the route template and code, never credentials', async () => {
      const lines: unknown[] = [];
      const { fetch } = scriptedFetch(wpError(503, 'x', 'y'), { body: order });
      await client(fetch, { siteUrl: 'http://shop.example', logger: { info: (obj: unknown) => lines.push(obj), warn: () => undefined } }).getOrder(727);
      expect(lines).toEqual([expect.objectContaining({ method: 'GET', endpoint: '/orders/{id}', attempt: 1, code: 'WOO_UNAVAILABLE' })]);
      expect(JSON.stringify(lines)).not.toMatch(/cs_secret|oauth_signature|727/);
    });
  });

  describe('responses', () => {
    it('reads X-WP-Total and X-WP-TotalPages and sends Dates as GMT with dates_are_gmt', async () => {
      const { fetch, seen } = scriptedFetch({ body: [order], headers: { 'x-wp-total': '31', 'x-wp-totalpages': '4' } });
      const page = await client(fetch).listOrders({ modified_after: new Date('2024-06-10T07:01:44.900Z'), orderby: 'modified', order: 'asc', exclude: [3, 4] });
      expect(page).toEqual({ items: [order], total: 31, totalPages: 4 });
      expect(Object.fromEntries(seen[0]?.url.searchParams ?? [])).toEqual({ modified_after: '2024-06-10T07:01:44', orderby: 'modified', order: 'asc', exclude: '3,4', dates_are_gmt: 'true' });
    });

    it('refuses to mix Date values with dates_are_gmt=false', async () => {
      const { fetch } = scriptedFetch({ body: [] });
      await expect(client(fetch).listOrders({ after: new Date(), dates_are_gmt: false })).rejects.toMatchObject({ code: 'WOO_CLIENT_CONFIG_INVALID', kind: 'defect' });
    });

    it('reports JSON of the wrong shape and non-JSON success answers as WOO_RESPONSE_INVALID', async () => {
      await expect(client(scriptedFetch({ body: { id: 1 } }).fetch).listOrders()).rejects.toMatchObject({ code: 'WOO_RESPONSE_INVALID' });
      const err = await failure(client(scriptedFetch({ raw: '<b>Notice</b>: Undefined index {"id":1}' }).fetch).updateWebhook(3, { status: 'active' }));
      expect(err).toMatchObject({ code: 'WOO_RESPONSE_INVALID', kind: 'permanent', outcomeUnknown: true });
    });

    it('counts requests by route template and outcome, never by id', async () => {
      const { fetch } = scriptedFetch({ body: { id: 424242 } }, wpError(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.'));
      const woo = client(fetch);
      await woo.getCustomer(424242);
      await failure(woo.getCustomer(424243));
      const metric = await metricsRegistry.getSingleMetric('ledgerline_woocommerce_requests_total')?.get();
      const customerSeries = metric?.values.filter((v) => v.labels['endpoint'] === '/customers/{id}');
      expect(customerSeries?.map((v) => [v.labels['outcome'], v.value]).sort()).toEqual([
        ['WOO_NOT_FOUND', 1],
        ['success', 1],
      ]);
      expect(JSON.stringify(metric?.values)).not.toContain('42424');
      const duration = await metricsRegistry.getSingleMetric('ledgerline_woocommerce_request_duration_seconds')?.get();
      const counted = duration?.values.filter((v) => v.labels['endpoint'] === '/customers/{id}' && (v as { metricName?: string }).metricName === 'ledgerline_woocommerce_request_duration_seconds_count');
      expect(counted?.map((v) => v.value)).toEqual([2]);
    });
  });

  describe('lookups', () => {
    it('finds products and variations by exact SKU across pages', async () => {
      const { fetch, seen } = scriptedFetch(
        { body: [{ id: 1, sku: 'TS-1' }, { id: 2, sku: 'TS-10' }], headers: { 'x-wp-total': '3', 'x-wp-totalpages': '2' } },
        { body: [{ id: 3, sku: 'TS-1', type: 'variation', parent_id: 9 }], headers: { 'x-wp-total': '3', 'x-wp-totalpages': '2' } },
      );
      const found = await client(fetch).findProductsBySku('TS-1');
      expect(found.map((p) => p.id)).toEqual([1, 3]);
      expect(seen.map((r) => [r.url.searchParams.get('sku'), r.url.searchParams.get('page')])).toEqual([
        ['TS-1', '1'],
        ['TS-1', '2'],
      ]);
    });

    it('refuses SKUs with commas, which WooCommerce would split', async () => {
      await expect(client(scriptedFetch({ body: [] }).fetch).findProductsBySku('A,B')).rejects.toMatchObject({ code: 'WOO_CLIENT_CONFIG_INVALID' });
    });
  });

  describe('batches', () => {
    const updates = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, stock_quantity: i }));
    const echo = (req: SeenRequest): Answer => {
      const body = req.body as { create?: Array<{ sku?: string }>; update?: Array<{ id: number }>; delete?: number[] };
      return {
        body: {
          ...(body.create ? { create: body.create.map((c, i) => ({ id: 1000 + i, sku: c.sku })) } : {}),
          ...(body.update ? { update: body.update.map((u) => (u.id === 7 ? { id: 7, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } } } : { id: u.id })) } : {}),
          ...(body.delete ? { delete: body.delete.map((id) => ({ id })) } : {}),
        },
      };
    };

    it('splits 250 items into requests of 100, 100 and 50 and surfaces the failed item', async () => {
      const { fetch, seen } = scriptedFetch(echo);
      const result = await client(fetch).batchProducts({ update: updates(250) });
      expect(seen.map((r) => (r.body as { update: unknown[] }).update.length)).toEqual([100, 100, 50]);
      expect(result.requests).toBe(3);
      expect(result.update).toHaveLength(250);
      expect(result.failures).toHaveLength(1);
      expect(result.failures[0]).toMatchObject({ ok: false, action: 'update', index: 6, id: 7, error: { code: 'WOO_NOT_FOUND', kind: 'permanent' } });
      expect(result.failures[0]?.error.operatorMessage).toContain('while updating product 7 in a batch');
    });

    it('keeps creates, updates and deletes in order within the 100-item limit', async () => {
      const { fetch, seen } = scriptedFetch(echo);
      const result = await client(fetch).batchProducts({ create: [{ sku: 'A' }, { sku: 'B' }], update: updates(99), delete: [500, 501] });
      expect(seen.map((r) => Object.fromEntries(Object.entries(r.body as Record<string, unknown[]>).map(([k, v]) => [k, v.length])))).toEqual([{ create: 2, update: 98 }, { update: 1, delete: 2 }]);
      expect(result.create.map((r) => r.ok && r.item)).toEqual([{ id: 1000, sku: 'A' }, { id: 1001, sku: 'B' }]);
      expect(result.delete.map((r) => r.id)).toEqual([500, 501]);
    });

    it('splits again when the store answers 413 with a lower limit', async () => {
      const { fetch, seen } = scriptedFetch(wpError(413, 'woocommerce_rest_request_entity_too_large', 'Unable to accept more than 40 items for this request.'), echo);
      const result = await client(fetch).batchProducts({ update: updates(100) });
      expect(seen.map((r) => (r.body as { update: unknown[] }).update.length)).toEqual([100, 40, 40, 20]);
      expect(result.update.filter((r) => r.ok)).toHaveLength(99);
    });

    it('turns items the answer does not mention into WOO_BATCH_ITEM_MISSING failures', async () => {
      const { fetch } = scriptedFetch({ body: { update: [{ id: 1 }] } });
      const result = await client(fetch).batchProducts({ update: updates(3) });
      expect(result.failures.map((f) => [f.id, f.error.code])).toEqual([
        [2, 'WOO_BATCH_ITEM_MISSING'],
        [3, 'WOO_BATCH_ITEM_MISSING'],
      ]);
    });

    it('retries a chunk of updates after a 503 but not a chunk of creates, and reports what was applied', async () => {
      const updatesFetch = scriptedFetch({ status: 503, raw: 'down', headers: { 'content-type': 'text/html' } }, echo);
      await expect(client(updatesFetch.fetch).batchProducts({ update: updates(5) })).resolves.toMatchObject({ requests: 1 });
      expect(updatesFetch.seen).toHaveLength(2);

      const createsFetch = scriptedFetch(echo, { status: 503, raw: 'down', headers: { 'content-type': 'text/html' } });
      const creates = Array.from({ length: 150 }, (_, i) => ({ sku: `S-${i}` }));
      const err = await failure(client(createsFetch.fetch).batchProducts({ create: creates }));
      expect(createsFetch.seen).toHaveLength(2);
      expect(err).toMatchObject({ code: 'WOO_UNAVAILABLE', outcomeUnknown: true, batchProgress: { itemsUnconfirmed: 50 } });
      expect(err.batchProgress?.applied.create).toHaveLength(100);
    });

    it('refuses items without a positive id before sending anything', async () => {
      const { fetch, seen } = scriptedFetch(echo);
      await expect(client(fetch).batchVariations(5, { update: [{ id: 0, stock_quantity: 1 }], delete: [-1] })).rejects.toMatchObject({ code: 'WOO_CLIENT_CONFIG_INVALID' });
      expect(seen).toHaveLength(0);
    });
  });
});
