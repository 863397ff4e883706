import type { SiteClock } from './site-clock';
import type { ApiKeyRecord, CouponRecord, CustomerRecord, OrderRecord, ProductRecord, WebhookRecord } from './woo-records';

/** Store-wide settings a WooCommerce admin would set once. */
export interface StoreSettings {
  /** `home_url()` without a trailing slash, e.g. `http://127.0.0.1:8081`. */
  siteUrl: string;
  /** Store currency (WooCommerce › Settings › General). */
  currency: string;
  /** "Prices entered with tax" (WooCommerce › Settings › Tax). */
  pricesIncludeTax: boolean;
  /** Store base country; tax location for orders without an address. */
  baseCountry: string;
  /** WordPress's `is_ssl()`: true when a TLS-terminating proxy sits in front (see README). */
  isSsl: boolean;
  wcVersion: string;
  wpVersion: string;
}

/**
 * Everything one sandbox store holds, in memory. Tests may read it directly; changes made here
 * bypass WooCommerce's rules and fire no webhooks (use the REST API or `control` for that).
 */
export class WooStoreState {
  readonly orders = new Map<number, OrderRecord>();
  /** Refund id -> order id. */
  readonly refundOrders = new Map<number, number>();
  /** Products and variations (one post table in WooCommerce, one id sequence). */
  readonly products = new Map<number, ProductRecord>();
  /** SKU -> product or variation id; WooCommerce requires SKUs to be unique across both. */
  readonly skus = new Map<string, number>();
  readonly customers = new Map<number, CustomerRecord>();
  /** Lower-cased e-mail -> customer id, and lower-cased usernames: WordPress keeps both unique. */
  readonly customerEmails = new Map<string, number>();
  readonly usernames = new Set<string>();
  readonly webhooks = new Map<number, WebhookRecord>();
  /** Coupons by (lower-case) code; the REST coupons resource itself is not served. */
  readonly coupons = new Map<string, CouponRecord>();
  /** REST API keys by consumer key. */
  readonly apiKeys = new Map<string, ApiKeyRecord>();

  private seq = freshSequences();

  constructor(
    readonly settings: StoreSettings,
    readonly clock: SiteClock,
  ) {
    this.addDefaultCoupons();
  }

  /** Next id for a product or variation (`wp_posts`). */
  nextPostId(): number {
    return this.seq.post++;
  }

  /** Next id for an order or refund (`wc_orders` under HPOS; refunds are orders there). */
  nextOrderId(): number {
    return this.seq.order++;
  }

  /** Next id for an order item (`woocommerce_order_items`). */
  nextItemId(): number {
    return this.seq.item++;
  }

  nextMetaId(): number {
    return this.seq.meta++;
  }

  /** Next WordPress user id; 1 is the admin who owns the API keys. */
  nextUserId(): number {
    return this.seq.user++;
  }

  nextWebhookId(): number {
    return this.seq.webhook++;
  }

  /** Removes all orders, products, customers and webhooks; keeps settings and API keys. */
  clear(): void {
    this.orders.clear();
    this.refundOrders.clear();
    this.products.clear();
    this.skus.clear();
    this.customers.clear();
    this.customerEmails.clear();
    this.usernames.clear();
    this.webhooks.clear();
    this.coupons.clear();
    this.addDefaultCoupons();
    for (const key of this.apiKeys.values()) key.nonces.clear();
    this.seq = freshSequences();
  }

  private addDefaultCoupons(): void {
    for (const c of DEFAULT_COUPONS) this.coupons.set(c.code, { ...c });
  }
}

/** Coupons every sandbox store has, so REST-created orders can use `coupon_lines`. */
export const DEFAULT_COUPONS: readonly CouponRecord[] = [
  { code: 'summer10', discount_type: 'percent', amount: 10 },
  { code: 'welcome50', discount_type: 'fixed_cart', amount: 50 },
  { code: 'tshirt5', discount_type: 'fixed_product', amount: 5 },
];

function freshSequences() {
  // Start values are arbitrary but look like a store that has been running for a while.
  return { post: 100, order: 1000, item: 1, meta: 1, user: 2, webhook: 1 };
}
