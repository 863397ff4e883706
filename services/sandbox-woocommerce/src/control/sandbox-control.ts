import { generateCustomers } from '../generate/customer.generator';
import { generateOrders, type GeneratedOrders, type GenerateOrdersOptions } from '../generate/order.generator';
import { generateProducts, type GeneratedProducts, type GenerateProductsOptions } from '../generate/product.generator';
import { Prng } from '../generate/prng';
import type { SandboxCounters } from '../http/sandbox-counters';
import { ORDER_STATUSES } from '../orders/order-statuses';
import type { SandboxRuntime } from '../sandbox-runtime';
import type { KeyPermissions, OrderStatus, WebhookStatus } from '../store/woo-records';
import type { RequestHooks } from '../webhooks/request-hooks';
import type { DeliveryLogEntry } from '../webhooks/webhook-delivery.worker';
import type { Json } from '../wp/json-values';

export type { GeneratedOrders, GenerateOrdersOptions, GeneratedProducts, GenerateProductsOptions };

/** What the sandbox knows about a webhook beyond its REST representation. */
export interface WebhookInternals {
  id: number;
  status: WebhookStatus;
  topic: string;
  deliveryUrl: string;
  /** The HMAC key as stored (REST never returns it; a generated default can only be read here). */
  secret: string;
  /** Consecutive failed deliveries. */
  failureCount: number;
  /** True until a ping was answered with exactly 200. */
  pendingDelivery: boolean;
}

export interface GenerateCustomersOptions {
  /** Fire `customer.created` for each (default true). */
  webhooks?: boolean;
}

/**
 * Drives one sandbox from a test, benchmark or the `/__sandbox` HTTP API: seeded data generation,
 * counters, the webhook delivery log, admin-only actions (trash/restore, status change), extra
 * API keys, and reset. Changes made here fire webhooks like the REST API's do.
 */
export interface SandboxControl {
  /** Adds `n` sellable SKUs (simple products and variations); deterministic per seed and call sequence. */
  generateProducts(n: number, opts?: GenerateProductsOptions): GeneratedProducts;
  /** Adds `n` checkout orders (with customers and refunds as configured); creates a catalogue first if empty. */
  generateOrders(n: number, opts?: GenerateOrdersOptions): GeneratedOrders;
  /** Registers `n` customers; returns their ids. */
  generateCustomers(n: number, opts?: GenerateCustomersOptions): number[];
  /** Requests per route, statuses, batch requests and items per batch endpoint, webhook traffic. */
  counters(): SandboxCounters;
  resetCounters(): void;
  /** The delivery log (pings and deliveries: request, response status, duration), oldest first. */
  deliveries(webhookId?: number): DeliveryLogEntry[];
  webhook(id: number): WebhookInternals | undefined;
  /** Resolves when no webhook delivery is queued, held back or in flight. */
  webhooksIdle(): Promise<void>;
  /** Admin "Move to Trash": fires `order.deleted`. */
  trashOrder(id: number): void;
  /** Admin "Restore": fires `order.restored`. */
  restoreOrder(id: number): void;
  /** Admin status change on the order screen: fires `order.updated`. */
  setOrderStatus(id: number, status: OrderStatus): void;
  /**
   * A shop manager changing one product's or variation's stock on its edit screen ("Manage stock" on,
   * quantity typed in): stock status follows the quantity, `date_modified` moves, `product.updated` fires.
   */
  setStock(id: number, quantity: number): void;
  /** A shop manager editing a product or variation (any REST product fields, e.g. `{name}` or `{regular_price}`); fires `product.updated`. */
  editProduct(id: number, changes: Record<string, unknown>): void;
  /** Adds an API key with the given permissions; returns its credentials. */
  addApiKey(permissions: KeyPermissions): { consumerKey: string; consumerSecret: string };
  /** Empties the store (orders, products, customers, webhooks, coupons back to defaults), counters, faults and the delivery log; restarts the generators' seeded sequence. */
  reset(): void;
}

/** {@link SandboxControl} over a {@link SandboxRuntime}. */
export class RuntimeControl implements SandboxControl {
  private random: Prng;
  private keySeq = 1;

  constructor(private readonly rt: SandboxRuntime) {
    this.random = Prng.derive(rt.options.seed, 3);
  }

  generateProducts(n: number, opts: GenerateProductsOptions = {}): GeneratedProducts {
    assertCount(n);
    return this.asAdmin((hooks) => generateProducts(this.rt.state, this.random, hooks, n, opts));
  }

  generateOrders(n: number, opts: GenerateOrdersOptions = {}): GeneratedOrders {
    assertCount(n);
    return this.asAdmin((hooks) => generateOrders({ state: this.rt.state, customers: this.rt.customers, refunds: this.rt.refunds, random: this.random }, hooks, n, opts));
  }

  generateCustomers(n: number, opts: GenerateCustomersOptions = {}): number[] {
    assertCount(n);
    return this.asAdmin((hooks) => generateCustomers(this.rt.customers, this.random, opts.webhooks === false ? { fire: () => undefined } : hooks, n, () => this.rt.clock.now()));
  }

  counters(): SandboxCounters {
    const log = this.rt.worker.deliveries();
    const deliveries = log.filter((e) => e.kind === 'delivery');
    const c = this.rt.counters;
    return {
      requests: { ...c.requests },
      statuses: { ...c.statuses },
      batches: Object.fromEntries(Object.entries(c.batches).map(([k, v]) => [k, { ...v }])),
      rateLimited: c.rateLimited,
      webhooks: {
        pings: log.length - deliveries.length,
        deliveries: deliveries.filter((e) => e.outcome !== 'dropped').length,
        succeeded: deliveries.filter((e) => e.outcome === 'success').length,
        failed: deliveries.filter((e) => e.outcome === 'failure').length,
        dropped: deliveries.filter((e) => e.outcome === 'dropped').length,
        duplicates: deliveries.filter((e) => e.fault === 'duplicate').length,
        outOfOrder: deliveries.filter((e) => e.fault === 'out-of-order').length,
      },
    };
  }

  resetCounters(): void {
    this.rt.counters.reset();
  }

  deliveries(webhookId?: number): DeliveryLogEntry[] {
    return this.rt.worker.deliveries(webhookId);
  }

  webhook(id: number): WebhookInternals | undefined {
    const w = this.rt.state.webhooks.get(id);
    if (!w) return undefined;
    return { id: w.id, status: w.status, topic: w.topic, deliveryUrl: w.delivery_url, secret: w.secret, failureCount: w.failure_count, pendingDelivery: w.pending_delivery };
  }

  webhooksIdle(): Promise<void> {
    return this.rt.worker.whenIdle();
  }

  trashOrder(id: number): void {
    const order = this.order(id);
    if (order.status !== 'trash') this.asAdmin((hooks) => this.rt.orders.trash(order, hooks));
  }

  restoreOrder(id: number): void {
    const order = this.order(id);
    this.asAdmin((hooks) => this.rt.orders.restore(order, hooks));
  }

  setOrderStatus(id: number, status: OrderStatus): void {
    if (!ORDER_STATUSES.includes(status)) throw new Error(`unknown order status "${status}"; expected one of ${ORDER_STATUSES.join(', ')}`);
    this.asAdmin((hooks) => this.rt.orders.update(this.order(id).id, { status }, hooks));
  }

  setStock(id: number, quantity: number): void {
    if (!Number.isInteger(quantity)) throw new Error(`quantity must be a whole number, got ${quantity}`);
    this.editProduct(id, { manage_stock: true, stock_quantity: quantity });
  }

  editProduct(id: number, changes: Record<string, unknown>): void {
    if (!this.rt.state.products.get(id)) throw new Error(`no product or variation ${id} in the sandbox`);
    this.asAdmin((hooks) => this.rt.products.update(id, changes as Json, hooks));
  }

  addApiKey(permissions: KeyPermissions): { consumerKey: string; consumerSecret: string } {
    const n = this.keySeq++;
    const key = { consumerKey: `ck_${this.rt.options.consumerKey.slice(3, 30)}${String(n).padStart(10, '0')}`, consumerSecret: `cs_${this.random.hex(40)}` };
    this.rt.addApiKey(key.consumerKey, key.consumerSecret, permissions);
    return key;
  }

  reset(): void {
    this.rt.state.clear();
    this.rt.counters.reset();
    this.rt.faults.reset();
    this.rt.rateLimiter.reset();
    this.rt.worker.clear();
    this.rt.reseed();
    this.random = Prng.derive(this.rt.options.seed, 3);
  }

  /** Runs an admin-side change as one "request": its webhook deliveries are queued when it ends. */
  private asAdmin<T>(fn: (hooks: RequestHooks) => T): T {
    const hooks = this.rt.worker.openRequest();
    try {
      return fn(hooks);
    } finally {
      this.rt.worker.shutdown(hooks);
    }
  }

  private order(id: number) {
    const order = this.rt.state.orders.get(id);
    if (!order) throw new Error(`no order ${id} in the sandbox`);
    return order;
  }
}

function assertCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`count must be a whole number >= 0, got ${n}`);
}
