import { createLogger } from '@ledgerline/observability';
import type { Logger } from 'pino';
import { formatGmt, WooSweep, type WooPage, type WooSweepOptions } from './modified-sweep';
import { batchEntries, chunkBody, chunkEntries, emptyBatchResult, readChunkAnswer, WOO_BATCH_LIMIT, type BatchEntry, type WooBatchResult } from './woocommerce-batch';
import type { WooCall } from './woocommerce-error.parser';
import { WooHttpClient, type WooAuthMode, type WooHttpRequest, type WooRetryOptions } from './woocommerce-http.client';
import { WooApiError, WooCommerceError } from './woocommerce.error';
import { wooBatchItems } from './woocommerce.metrics';
import type {
  WooBatchRequest,
  WooBatchResponse,
  WooCustomer,
  WooOrder,
  WooOrderStatus,
  WooProduct,
  WooProductInput,
  WooRefund,
  WooStockStatus,
  WooVariation,
  WooVariationInput,
  WooWebhook,
  WooWebhookCreate,
  WooWebhookStatus,
  WooWebhookUpdate,
} from './woocommerce.types';

/** Settings of one store connection. */
export interface WooCommerceClientOptions {
  /**
   * The WordPress Site Address exactly as the store reports it (scheme, www, sub-directory), e.g.
   * `https://shop.example` or `https://example.com/shop`. OAuth signatures cover it, and redirects
   * are not followed.
   */
  siteUrl: string;
  /** `ck_…` from WooCommerce › Settings › Advanced › REST API. */
  consumerKey: string;
  /** `cs_…`; never logged. */
  consumerSecret: string;
  /** Defaults to the global `fetch`; tests pass their own. */
  fetch?: typeof fetch;
  /** Per attempt, until the whole answer is read (default 30000). Webhook creation waits for WooCommerce's ping, so keep it above 5000. */
  timeoutMs?: number;
  /** Backoff settings; see {@link WooRetryOptions} for defaults. */
  retry?: Partial<WooRetryOptions>;
  /** Some hosts' firewalls block unknown agents; default `Ledgerline-WooCommerce/0.1`. */
  userAgent?: string;
  /**
   * `auto` (default): HTTP Basic over https, OAuth 1.0a (HMAC-SHA256, query string) over plain http,
   * as WooCommerce accepts nothing else there. `query-string` sends `consumer_key`/`consumer_secret`
   * as parameters, for https hosts that strip the Authorization header; it puts the secret into
   * access logs, so use it only when Basic fails. `basic` and `oauth1` force those schemes.
   */
  auth?: WooAuthMode;
  /** Items per batch request, 1-100 (default 100, WooCommerce's `woocommerce_rest_batch_items_limit`). Lowered automatically when a store answers 413 with a smaller limit. */
  batchLimit?: number;
  /** Receives retry notices; default `createLogger('woocommerce-client')`. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

type QueryValue = string | number | boolean | Date | ReadonlyArray<string | number> | null | undefined;

/**
 * Query parameters of a collection, named as WooCommerce names them. A `Date` is sent as UTC
 * without an offset and turns on `dates_are_gmt=true`; arrays are sent as comma lists.
 */
export interface WooListParams {
  page?: number;
  per_page?: number;
  offset?: number;
  search?: string;
  order?: 'asc' | 'desc';
  orderby?: string;
  include?: readonly number[];
  exclude?: readonly number[];
  after?: Date | string;
  before?: Date | string;
  modified_after?: Date | string;
  modified_before?: Date | string;
  dates_are_gmt?: boolean;
  dp?: number;
  [param: string]: QueryValue;
}

/** `GET /orders` parameters. `status` defaults to `any`, which leaves out `trash` (and, a guess in NOTES, `checkout-draft`). */
export interface WooOrderListParams extends WooListParams {
  status?: WooOrderStatus | readonly WooOrderStatus[];
  customer?: number;
  product?: number;
  parent?: readonly number[];
  orderby?: 'date' | 'id' | 'include' | 'title' | 'slug' | 'modified';
}

/** `GET /products` and `GET /products/<id>/variations` parameters. */
export interface WooProductListParams extends WooListParams {
  sku?: string;
  type?: 'simple' | 'grouped' | 'external' | 'variable';
  status?: 'any' | 'draft' | 'pending' | 'private' | 'publish' | 'future' | 'trash';
  stock_status?: WooStockStatus;
  category?: string;
  on_sale?: boolean;
}

/** `GET /customers` parameters (sorted by name ascending by default; role defaults to `customer`). */
export interface WooCustomerListParams extends WooListParams {
  email?: string;
  role?: string;
  orderby?: 'id' | 'include' | 'name' | 'registered_date';
}

/** `GET /webhooks` filter. */
export interface WooWebhookListParams {
  status?: 'all' | 'active' | 'paused' | 'disabled';
}

/** The parameters a sweep sets itself and a caller must not. */
type SweepControlled = 'page' | 'per_page' | 'offset' | 'orderby' | 'order' | 'modified_after' | 'modified_before' | 'dates_are_gmt' | 'exclude';

/** Options of {@link WooCommerceClient.iterateOrders}. */
export type WooOrderSweepOptions = WooSweepOptions & Omit<WooOrderListParams, SweepControlled>;
/** Options of {@link WooCommerceClient.iterateProducts} and {@link WooCommerceClient.iterateVariations}. */
export type WooProductSweepOptions = WooSweepOptions & Omit<WooProductListParams, SweepControlled>;

/** Options of a batch call. */
export interface WooBatchOptions {
  /**
   * Whether a chunk may be sent again after a timeout, 5xx or broken connection. Default: true for
   * chunks without creates (updates set absolute values such as `stock_quantity`, so a second
   * application changes nothing; a repeated delete answers that item with WOO_NOT_FOUND), false for
   * chunks with creates (a repeat would create duplicates). Pass false for relative changes such
   * as `inventory_delta`.
   */
  idempotent?: boolean;
}

/** How batch messages name the items. */
interface BatchNoun {
  one: string;
  many: string;
  /** Appended to both, e.g. ` of product 12`. */
  suffix: string;
}

const SWEEP_OPTION_KEYS = new Set(['modifiedAfter', 'modifiedBefore', 'perPage', 'maxExcludeIds']);

/**
 * A typed client for one store's WooCommerce REST API v3 (`{siteUrl}/wp-json/wc/v3`): orders,
 * refunds, products, variations, customers, webhooks and batches, for what Ledgerline syncs.
 *
 * Every failure is a {@link WooCommerceError} (usually its subclass {@link WooApiError}) with a
 * stable `code`, a `kind` and an `operatorMessage`. Reads, PUTs and deletes are retried with
 * exponential backoff and full jitter on 429 (honouring Retry-After), 5xx, timeouts and connection
 * errors; creates only when the store cannot have acted (429, connection never made). Other 4xx
 * answers are never retried.
 *
 * Construction validates every setting and throws one `WOO_CLIENT_CONFIG_INVALID` error listing
 * each problem. The client holds no connection state and may be shared.
 */
export class WooCommerceClient {
  /** The site URL requests go to, without a trailing slash. */
  readonly siteUrl: string;
  private readonly http: WooHttpClient;
  private readonly batchLimit: number;

  constructor(opts: WooCommerceClientOptions) {
    const problems: string[] = [];
    let site: URL | undefined;
    try {
      site = new URL(opts.siteUrl);
      if (site.protocol !== 'http:' && site.protocol !== 'https:') problems.push(`siteUrl must start with http:// or https://, got "${opts.siteUrl}"`);
      if (site.search !== '' || site.hash !== '') problems.push(`siteUrl must not carry a query or fragment, got "${opts.siteUrl}"`);
      if (site.username !== '' || site.password !== '') problems.push('siteUrl must not carry credentials; pass consumerKey and consumerSecret');
    } catch {
      problems.push(`siteUrl must be an absolute URL like https://shop.example, got "${String(opts.siteUrl)}"`);
    }
    if (typeof opts.consumerKey !== 'string' || opts.consumerKey.trim() === '') problems.push('consumerKey is required (ck_… from WooCommerce › Settings › Advanced › REST API)');
    if (typeof opts.consumerSecret !== 'string' || opts.consumerSecret.trim() === '') problems.push('consumerSecret is required (cs_…)');
    const timeoutMs = opts.timeoutMs ?? 30_000;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) problems.push(`timeoutMs must be a positive number, got ${timeoutMs}`);
    const retry: WooRetryOptions = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, ...opts.retry };
    if (!(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1)) problems.push(`retry.maxAttempts must be a whole number >= 1, got ${retry.maxAttempts}`);
    if (!(retry.baseDelayMs >= 0)) problems.push(`retry.baseDelayMs must be >= 0, got ${retry.baseDelayMs}`);
    if (!(retry.maxDelayMs >= retry.baseDelayMs)) problems.push(`retry.maxDelayMs must be >= retry.baseDelayMs, got ${retry.maxDelayMs}`);
    const batchLimit = opts.batchLimit ?? WOO_BATCH_LIMIT;
    if (!(Number.isInteger(batchLimit) && batchLimit >= 1 && batchLimit <= WOO_BATCH_LIMIT)) problems.push(`batchLimit must be a whole number from 1 to ${WOO_BATCH_LIMIT}, got ${batchLimit}`);
    const auth = opts.auth ?? 'auto';
    if (!['auto', 'basic', 'query-string', 'oauth1'].includes(auth)) problems.push(`auth must be auto, basic, query-string or oauth1, got "${String(auth)}"`);
    if (problems.length > 0 || !site) {
      throw new WooCommerceError('WOO_CLIENT_CONFIG_INVALID', 'permanent', `The WooCommerce connection for ${String(opts.siteUrl)} is misconfigured:\n- ${problems.join('\n- ')}`, { siteUrl: String(opts.siteUrl) });
    }

    this.siteUrl = `${site.origin}${site.pathname.replace(/\/+$/, '')}`;
    this.batchLimit = batchLimit;
    this.http = new WooHttpClient({
      siteUrl: this.siteUrl,
      apiBase: `${this.siteUrl}/wp-json/wc/v3`,
      consumerKey: opts.consumerKey,
      consumerSecret: opts.consumerSecret,
      // NOTES-rest-api.md, "Authentication" (read 2026-11-26): WooCommerce only tries Basic auth and
      // query keys when is_ssl(); over plain HTTP it only accepts OAuth 1.0a one-legged.
      auth: auth === 'auto' ? (site.protocol === 'https:' ? 'basic' : 'oauth1') : auth,
      fetch: opts.fetch ?? globalThis.fetch.bind(globalThis),
      timeoutMs,
      retry,
      userAgent: opts.userAgent ?? 'Ledgerline-WooCommerce/0.1',
      logger: opts.logger ?? createLogger('woocommerce-client'),
      random: Math.random,
    });
  }

  // ---------------------------------------------------------------- orders

  /** Returns one page of orders and the paging totals. Prefer {@link iterateOrders} for syncing. */
  async listOrders(params: WooOrderListParams = {}): Promise<WooPage<WooOrder>> {
    return this.page<WooOrder>('/orders', '/orders', params, 'listing orders');
  }

  /**
   * Returns a sweep over every order modified in `(modifiedAfter, modifiedBefore)`, oldest change
   * first, that skips no order when orders change during the crawl (see {@link WooSweep} for how).
   * `modifiedBefore` defaults to now, rounded down to the second; start the next sweep at
   * `sweep.modifiedBefore` minus one second minus an overlap of a few minutes, and drop orders
   * already seen with the same `date_modified_gmt`.
   */
  iterateOrders(opts: WooOrderSweepOptions = {}): WooSweep<WooOrder> {
    return this.sweep<WooOrder>('/orders', '/orders', 'sweeping orders', opts);
  }

  /** Returns order `id`; throws `WOO_NOT_FOUND` when it does not exist (permanently deleted, or another store's id). */
  async getOrder(id: number): Promise<WooOrder> {
    return this.one<WooOrder>('GET', `/orders/${this.id(id, 'order id')}`, '/orders/{id}', `reading order ${id}`);
  }

  /** Returns every refund of order `orderId`, newest first, reading all pages. */
  async listRefunds(orderId: number): Promise<WooRefund[]> {
    return this.all<WooRefund>(`/orders/${this.id(orderId, 'order id')}/refunds`, '/orders/{id}/refunds', {}, `listing refunds of order ${orderId}`);
  }

  /** Returns refund `refundId` of order `orderId`. */
  async getRefund(orderId: number, refundId: number): Promise<WooRefund> {
    return this.one<WooRefund>(
      'GET',
      `/orders/${this.id(orderId, 'order id')}/refunds/${this.id(refundId, 'refund id')}`,
      '/orders/{id}/refunds/{refund_id}',
      `reading refund ${refundId} of order ${orderId}`,
    );
  }

  // ---------------------------------------------------------------- products

  /** Returns one page of products and the paging totals. */
  async listProducts(params: WooProductListParams = {}): Promise<WooPage<WooProduct>> {
    return this.page<WooProduct>('/products', '/products', params, 'listing products');
  }

  /** Returns a sweep over every product modified in the window (all products when `modifiedAfter` is omitted); see {@link iterateOrders}. */
  iterateProducts(opts: WooProductSweepOptions = {}): WooSweep<WooProduct> {
    return this.sweep<WooProduct>('/products', '/products', 'sweeping products', opts);
  }

  /** Returns product `id` (a variation id is answered too, with `type: "variation"`). */
  async getProduct(id: number): Promise<WooProduct> {
    return this.one<WooProduct>('GET', `/products/${this.id(id, 'product id')}`, '/products/{id}', `reading product ${id}`);
  }

  /**
   * Returns the products and variations whose SKU is exactly `sku` (or one of `sku`), reading all
   * pages. Variations come in the product shape with `type: "variation"` and `parent_id` set. An
   * empty list means no such SKU; SKUs are unique per store, so more than one hit per SKU means
   * the store's data is inconsistent.
   */
  async findProductsBySku(sku: string | readonly string[]): Promise<WooProduct[]> {
    const skus = typeof sku === 'string' ? [sku] : [...sku];
    const bad = skus.filter((s) => typeof s !== 'string' || s.trim() === '' || s.includes(','));
    if (skus.length === 0 || bad.length > 0) throw invalidArgument(this.siteUrl, `findProductsBySku needs non-empty SKUs without commas (WooCommerce splits the filter on commas), got ${JSON.stringify(skus)}`);
    const found = await this.all<WooProduct>('/products', '/products', { sku: skus.join(','), status: 'any' }, `looking up SKU ${skus.join(', ')}`);
    // The filter's matching is WooCommerce's business; Ledgerline keys on exact equality.
    const wanted = new Set(skus);
    return found.filter((p) => wanted.has(p.sku));
  }

  /** Returns one page of the variations of product `productId`. */
  async listVariations(productId: number, params: WooProductListParams = {}): Promise<WooPage<WooVariation>> {
    return this.page<WooVariation>(`/products/${this.id(productId, 'product id')}/variations`, '/products/{id}/variations', params, `listing variations of product ${productId}`);
  }

  /** Returns a sweep over the variations of product `productId` modified in the window; see {@link iterateOrders}. */
  iterateVariations(productId: number, opts: WooProductSweepOptions = {}): WooSweep<WooVariation> {
    return this.sweep<WooVariation>(`/products/${this.id(productId, 'product id')}/variations`, '/products/{id}/variations', `sweeping variations of product ${productId}`, opts);
  }

  /**
   * Applies creates, updates and deletes of products, split into requests of at most 100 items
   * (the store's limit), sent one after another. Resolves with one result per item: the saved
   * product, or a classified error for items WooCommerce refused inside its 200 answer (an unknown
   * id, a duplicate SKU). Check `failures`; nothing is dropped.
   *
   * Throws when a request fails as a whole (after retries), with `batchProgress` on the error
   * saying what earlier requests applied. See {@link WooBatchOptions} for when chunks are retried.
   */
  async batchProducts(req: WooBatchRequest<WooProductInput>, opts: WooBatchOptions = {}): Promise<WooBatchResult<WooProduct>> {
    return this.batch<WooProduct>('/products/batch', '/products/batch', { one: 'product', many: 'products', suffix: '' }, req, opts);
  }

  /** Like {@link batchProducts}, for the variations of product `productId`. */
  async batchVariations(productId: number, req: WooBatchRequest<WooVariationInput>, opts: WooBatchOptions = {}): Promise<WooBatchResult<WooVariation>> {
    return this.batch<WooVariation>(`/products/${this.id(productId, 'product id')}/variations/batch`, '/products/{id}/variations/batch', { one: 'variation', many: 'variations', suffix: ` of product ${productId}` }, req, opts);
  }

  // ---------------------------------------------------------------- customers

  /** Returns one page of customers (role `customer` by default) and the paging totals. */
  async listCustomers(params: WooCustomerListParams = {}): Promise<WooPage<WooCustomer>> {
    return this.page<WooCustomer>('/customers', '/customers', params, 'listing customers');
  }

  /** Returns customer `id`. */
  async getCustomer(id: number): Promise<WooCustomer> {
    return this.one<WooCustomer>('GET', `/customers/${this.id(id, 'customer id')}`, '/customers/{id}', `reading customer ${id}`);
  }

  // ---------------------------------------------------------------- webhooks

  /** Returns every webhook of the store (optionally only those with `status`), reading all pages. */
  async listWebhooks(params: WooWebhookListParams = {}): Promise<WooWebhook[]> {
    return this.all<WooWebhook>('/webhooks', '/webhooks', params.status ? { status: params.status } : {}, 'listing webhooks');
  }

  /** Returns webhook `id`. */
  async getWebhook(id: number): Promise<WooWebhook> {
    return this.one<WooWebhook>('GET', `/webhooks/${this.id(id, 'webhook id')}`, '/webhooks/{id}', `reading webhook ${id}`);
  }

  /**
   * Creates a webhook and returns it. WooCommerce pings `delivery_url` with `webhook_id=N` before it
   * answers (webhook-delivery.md §2). `secret` is required because WooCommerce never returns one.
   * Not retried after a timeout or 5xx (a repeat would create a second webhook): on
   * `outcomeUnknown`, list the webhooks before creating again.
   */
  async createWebhook(webhook: WooWebhookCreate): Promise<WooWebhook> {
    const problems: string[] = [];
    if (typeof webhook.topic !== 'string' || !/^[a-z_]+\.[a-z0-9_]+$/.test(webhook.topic)) problems.push(`topic must look like "order.updated", got ${JSON.stringify(webhook.topic)}`);
    if (typeof webhook.delivery_url !== 'string' || !/^https?:\/\//.test(webhook.delivery_url)) problems.push(`delivery_url must start with http:// or https://, got ${JSON.stringify(webhook.delivery_url)}`);
    if (typeof webhook.secret !== 'string' || webhook.secret === '') problems.push('secret is required: WooCommerce never returns the secret it would generate, so deliveries could not be verified');
    if (problems.length > 0) throw invalidArgument(this.siteUrl, `createWebhook: ${problems.join('; ')}`);
    return this.one<WooWebhook>('POST', '/webhooks', '/webhooks', `creating webhook ${webhook.topic} for ${webhook.delivery_url}`, webhook, false);
  }

  /** Changes webhook `id` (typically `{ status: 'active' }` to re-enable one WooCommerce disabled) and returns it. Re-enabling does not reset WooCommerce's failure counter. */
  async updateWebhook(id: number, changes: WooWebhookUpdate & { status?: WooWebhookStatus }): Promise<WooWebhook> {
    return this.one<WooWebhook>('PUT', `/webhooks/${this.id(id, 'webhook id')}`, '/webhooks/{id}', `updating webhook ${id}`, changes, true);
  }

  /** Deletes webhook `id` permanently (webhooks cannot be trashed) and returns it as it was. */
  async deleteWebhook(id: number): Promise<WooWebhook> {
    return this.one<WooWebhook>('DELETE', `/webhooks/${this.id(id, 'webhook id')}`, '/webhooks/{id}', `deleting webhook ${id}`, undefined, true, { force: 'true' });
  }

  // ---------------------------------------------------------------- plumbing

  private async one<T>(method: WooHttpRequest['method'], path: string, endpoint: string, activity: string, body?: unknown, idempotent = method !== 'POST', query?: Record<string, string>): Promise<T> {
    const req: WooHttpRequest = { method, path, endpoint, activity, body, idempotent, query };
    const res = await this.http.request<unknown>(req);
    if (!res.body || typeof res.body !== 'object' || Array.isArray(res.body)) throw this.unexpectedShape(req, 'an object');
    return res.body as T;
  }

  private async page<T>(path: string, endpoint: string, params: WooListParams, activity: string): Promise<WooPage<T>> {
    return this.fetchPage<T>(path, endpoint, toQuery(params, this.siteUrl), activity);
  }

  private async fetchPage<T>(path: string, endpoint: string, query: Record<string, string>, activity: string): Promise<WooPage<T>> {
    const req: WooHttpRequest = { method: 'GET', path, endpoint, query, activity, idempotent: true };
    const res = await this.http.request<unknown>(req);
    if (!Array.isArray(res.body)) throw this.unexpectedShape(req, 'a list');
    return { items: res.body as T[], total: intHeader(res.headers, 'x-wp-total'), totalPages: intHeader(res.headers, 'x-wp-totalpages') };
  }

  /** Reads every page by `page` number up to `X-WP-TotalPages`: only for small sets that rarely change while read (refunds of one order, webhooks, one SKU). */
  private async all<T>(path: string, endpoint: string, query: Record<string, string>, activity: string): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const res = await this.fetchPage<T>(path, endpoint, { ...query, per_page: '100', page: String(page) }, activity);
      out.push(...res.items);
      const last = res.totalPages !== undefined ? page >= res.totalPages : res.items.length < 100;
      if (last || res.items.length === 0) return out;
    }
  }

  private sweep<T extends { id: number; date_modified_gmt: string | null }>(path: string, endpoint: string, activity: string, opts: WooSweepOptions & WooListParams): WooSweep<T> {
    const filters: WooListParams = {};
    for (const [k, v] of Object.entries(opts)) if (!SWEEP_OPTION_KEYS.has(k)) filters[k] = v as QueryValue;
    const controlled = Object.keys(filters).filter((k) => ['page', 'per_page', 'offset', 'orderby', 'order', 'modified_after', 'modified_before', 'dates_are_gmt', 'exclude'].includes(k));
    if (controlled.length > 0) throw invalidArgument(this.siteUrl, `a sweep sets ${controlled.join(', ')} itself; use modifiedAfter, modifiedBefore and perPage`);
    const perPage = opts.perPage ?? 100;
    if (!(Number.isInteger(perPage) && perPage >= 1 && perPage <= 100)) throw invalidArgument(this.siteUrl, `perPage must be a whole number from 1 to 100, got ${perPage}`);
    const fetch = (query: Record<string, string>): Promise<WooPage<T>> => this.fetchPage<T>(path, endpoint, query, activity);
    return new WooSweep<T>(fetch, toQuery(filters, this.siteUrl), opts);
  }

  private async batch<T extends { id: number }>(path: string, endpoint: string, noun: BatchNoun, req: WooBatchRequest<unknown, unknown>, opts: WooBatchOptions): Promise<WooBatchResult<T>> {
    const badUpdates = (req.update ?? []).flatMap((u, i) => (isPositiveInt((u as { id?: unknown } | null)?.id) ? [] : [`update[${i}].id`]));
    const badDeletes = (req.delete ?? []).flatMap((id, i) => (isPositiveInt(id) ? [] : [`delete[${i}]`]));
    if (badUpdates.length + badDeletes.length > 0) throw invalidArgument(this.siteUrl, `batch items need positive integer ids: ${[...badUpdates, ...badDeletes].join(', ')}`);

    const entries = batchEntries(req);
    const result = emptyBatchResult<T>();
    let limit = this.batchLimit;
    let pending = chunkEntries(entries, limit);
    let confirmed = 0;
    while (pending.length > 0) {
      const chunk = pending.shift() as BatchEntry[];
      const activity = `${describeActions(chunk)} ${noun.many}${noun.suffix} in a batch (items ${confirmed + 1}-${confirmed + chunk.length} of ${entries.length})`;
      let answer: WooBatchResponse<T>;
      try {
        const res = await this.http.request<unknown>({
          method: 'POST',
          path,
          endpoint,
          body: chunkBody(chunk),
          activity,
          idempotent: opts.idempotent ?? chunk.every((e) => e.action !== 'create'),
        });
        if (!res.body || typeof res.body !== 'object' || Array.isArray(res.body)) throw this.unexpectedShape({ method: 'POST', endpoint, activity }, 'a batch answer');
        answer = res.body as WooBatchResponse<T>;
      } catch (err) {
        const smaller = err instanceof WooApiError && err.code === 'WOO_BATCH_TOO_LARGE' ? err.context['limit'] : undefined;
        if (typeof smaller === 'number' && smaller >= 1 && smaller < chunk.length) {
          // The store lowered woocommerce_rest_batch_items_limit: nothing of this chunk was applied, so split again.
          limit = smaller;
          pending = chunkEntries([...chunk, ...pending.flat()], limit);
          continue;
        }
        if (err instanceof WooApiError) err.batchProgress = { applied: result as WooBatchResult<unknown>, itemsUnconfirmed: entries.length - confirmed };
        throw err;
      }
      result.requests++;
      const before = { create: result.create.length, update: result.update.length, delete: result.delete.length };
      readChunkAnswer(chunk, answer, (entry) => this.itemCall(endpoint, noun, entry), result);
      for (const action of ['create', 'update', 'delete'] as const) {
        for (const item of result[action].slice(before[action])) wooBatchItems.inc({ endpoint, action, outcome: item.ok ? 'success' : item.error.code });
      }
      confirmed += chunk.length;
    }
    return result;
  }

  private itemCall(endpoint: string, noun: BatchNoun, entry: BatchEntry): WooCall {
    const sku = entry.payload && typeof entry.payload === 'object' ? (entry.payload as { sku?: unknown }).sku : undefined;
    const skuText = typeof sku === 'string' && sku !== '' ? ` (SKU "${sku}")` : '';
    const activity =
      entry.action === 'create'
        ? `creating a ${noun.one}${noun.suffix}${skuText} in a batch`
        : entry.action === 'update'
          ? `updating ${noun.one} ${entry.id}${noun.suffix}${skuText} in a batch`
          : `deleting ${noun.one} ${entry.id}${noun.suffix} in a batch`;
    return { siteUrl: this.siteUrl, method: 'POST', endpoint, activity };
  }

  private id(id: number, what: string): number {
    if (!isPositiveInt(id)) throw invalidArgument(this.siteUrl, `${what} must be a positive integer, got ${JSON.stringify(id)}`);
    return id;
  }

  private unexpectedShape(req: Pick<WooHttpRequest, 'method' | 'endpoint' | 'activity'>, expected: string): WooApiError {
    return new WooApiError(
      'WOO_RESPONSE_INVALID',
      'permanent',
      `WooCommerce at ${this.siteUrl} answered ${req.method} ${req.endpoint} with JSON that is not ${expected} while ${req.activity}: a plugin is reshaping REST responses; check the store's plugins or report it.`,
      { status: 200, outcomeUnknown: req.method !== 'GET' },
      { siteUrl: this.siteUrl, method: req.method, endpoint: req.endpoint },
    );
  }
}

/** Turns list parameters into query strings WooCommerce reads (see {@link WooListParams}). */
function toQuery(params: WooListParams, siteUrl: string): Record<string, string> {
  const out: Record<string, string> = {};
  let sawDate = false;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw invalidArgument(siteUrl, `${key} is an invalid Date`);
      out[key] = formatGmt(value);
      sawDate = true;
    } else if (Array.isArray(value)) {
      out[key] = value.map(String).join(',');
    } else {
      out[key] = String(value);
    }
  }
  if (sawDate) {
    if (params.dates_are_gmt === false) throw invalidArgument(siteUrl, 'Date values are sent as UTC and need dates_are_gmt=true; pass site-local strings to use dates_are_gmt=false');
    out['dates_are_gmt'] = 'true';
  }
  return out;
}

function describeActions(chunk: BatchEntry[]): string {
  const verbs = { create: 'creating', update: 'updating', delete: 'deleting' } as const;
  return [...new Set(chunk.map((e) => verbs[e.action]))].join('/');
}

function intHeader(headers: Headers, name: string): number | undefined {
  const v = headers.get(name);
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function invalidArgument(siteUrl: string, problem: string): WooCommerceError {
  return new WooCommerceError('WOO_CLIENT_CONFIG_INVALID', 'defect', `Ledgerline called the WooCommerce client${siteUrl ? ` for ${siteUrl}` : ''} wrongly: ${problem}. This is a Ledgerline defect; report it with the trace id.`, { siteUrl });
}
