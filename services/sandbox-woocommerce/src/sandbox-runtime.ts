import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { WooAuthenticator } from './auth/woo-authenticator';
import { CustomersService } from './customers/customers.service';
import { customerToRest } from './customers/customer-rest.mapper';
import { SandboxFaults } from './faults/fault-injector';
import { Prng } from './generate/prng';
import { CounterBook } from './http/sandbox-counters';
import { RateLimiter, type RateLimit } from './http/rate-limiter';
import { orderToRest } from './orders/order-rest.mapper';
import { OrdersService } from './orders/orders.service';
import { productToRest } from './products/product-rest.mapper';
import { ProductsService } from './products/products.service';
import { RefundsService } from './refunds/refunds.service';
import type { RestContext } from './store/rest-context';
import { SiteClock } from './store/site-clock';
import type { KeyPermissions } from './store/woo-records';
import { WooStoreState } from './store/woo-store.state';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import type { HookEvent, HookResource } from './webhooks/webhook-topics';
import { WebhooksService } from './webhooks/webhooks.service';
import { invalidId, WpError } from './wp/wp-error';

/** Every setting of one sandbox, defaults applied. */
export interface SandboxRuntimeOptions {
  siteUrl: string;
  consumerKey: string;
  consumerSecret: string;
  seed: number;
  currency: string;
  pricesIncludeTax: boolean;
  baseCountry: string;
  utcOffsetMinutes: number;
  assumeHttps: boolean;
  rateLimit: RateLimit | null;
  webhookMaxDeliveryFailures: number;
  webhookTimeoutMs: number;
  webhookDelayMs: number;
  now: () => Date;
}

/** WooCommerce and WordPress versions the sandbox claims to be (User-Agent, order `version`). */
export const WC_VERSION = '9.1.2';
export const WP_VERSION = '6.5.4';

/**
 * The parts of one sandbox store wired together: state, services, webhook worker, faults,
 * counters. HTTP-free, so the control API and tests drive the same code paths as REST.
 */
export class SandboxRuntime {
  readonly clock: SiteClock;
  readonly state: WooStoreState;
  readonly faults: SandboxFaults;
  readonly counters = new CounterBook();
  readonly rateLimiter: RateLimiter;
  readonly authenticator: WooAuthenticator;
  readonly worker: WebhookDeliveryWorker;
  readonly orders: OrdersService;
  readonly refunds: RefundsService;
  readonly products: ProductsService;
  readonly customers: CustomersService;
  readonly webhooks: WebhooksService;
  log?: Logger;
  /** Seeded sequences: faults (rates), the store's own randomness (order keys, secrets, refund ids). */
  private readonly faultRandom: Prng;
  private readonly storeRandom: Prng;

  constructor(readonly options: SandboxRuntimeOptions) {
    this.clock = new SiteClock(options.now, options.utcOffsetMinutes);
    this.state = new WooStoreState(
      {
        siteUrl: options.siteUrl,
        currency: options.currency,
        pricesIncludeTax: options.pricesIncludeTax,
        baseCountry: options.baseCountry,
        isSsl: options.assumeHttps,
        wcVersion: WC_VERSION,
        wpVersion: WP_VERSION,
      },
      this.clock,
    );
    this.addApiKey(options.consumerKey, options.consumerSecret, 'read_write');
    this.faultRandom = Prng.derive(options.seed, 1);
    this.storeRandom = Prng.derive(options.seed, 2);
    this.faults = new SandboxFaults(this.faultRandom);
    this.rateLimiter = new RateLimiter(options.rateLimit);
    this.authenticator = new WooAuthenticator(this.state);
    const salt = createHash('sha256').update(`wp-salt-${options.seed}`).digest('hex');
    this.worker = new WebhookDeliveryWorker(this.state, (r, e, id) => this.payload(r, e, id), this.faults, {
      maxDeliveryFailures: options.webhookMaxDeliveryFailures,
      timeoutMs: options.webhookTimeoutMs,
      pingTimeoutMs: Math.min(5000, options.webhookTimeoutMs),
      delayMs: options.webhookDelayMs,
      salt,
    });
    this.orders = new OrdersService(this.state, this.storeRandom);
    this.refunds = new RefundsService(this.state, this.orders, this.storeRandom);
    this.products = new ProductsService(this.state);
    this.customers = new CustomersService(this.state);
    this.webhooks = new WebhooksService(this.state, this.worker, this.storeRandom);
  }

  /** Restarts every seeded sequence, so a reset store behaves like a fresh one with the same seed. */
  reseed(): void {
    this.faultRandom.reseed(Prng.derivedSeed(this.options.seed, 1));
    this.storeRandom.reseed(Prng.derivedSeed(this.options.seed, 2));
  }

  /** Adds a REST API key (WooCommerce › Settings › Advanced › REST API) for user 1. */
  addApiKey(consumerKey: string, consumerSecret: string, permissions: KeyPermissions): void {
    this.state.apiKeys.set(consumerKey, { consumerKey, consumerSecret, permissions, userId: 1, nonces: new Map() });
  }

  /** What the mappers need; `dp` from the request, 2 by default. */
  restContext(dp = 2): RestContext {
    return { siteUrl: this.state.settings.siteUrl, clock: this.clock, dp };
  }

  /**
   * A webhook body's payload, built when the delivery is sent: `{id}` for deletions, else what
   * `GET /wc/v3/<resource>s/<id>` answers, including its error body when the resource is gone.
   */
  payload(resource: HookResource, event: HookEvent, id: number): unknown {
    if (event === 'deleted') return { id };
    const ctx = this.restContext();
    switch (resource) {
      case 'order': {
        const order = this.state.orders.get(id);
        return order ? orderToRest(order, ctx) : invalidId('shop_order').body();
      }
      case 'product': {
        // A variation is delivered under product.* and fetched from /products/<variation id>
        // (contract guess), which answers with the product shape, type "variation".
        const product = this.state.products.get(id);
        return product ? productToRest(product, this.state, ctx) : invalidId('product').body();
      }
      case 'customer': {
        const customer = this.state.customers.get(id);
        return customer ? customerToRest(customer, ctx) : new WpError(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.').body();
      }
      case 'coupon':
        return invalidId('shop_coupon').body();
    }
  }
}
