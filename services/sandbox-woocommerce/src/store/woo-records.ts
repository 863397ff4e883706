/**
 * What the sandbox store keeps, named as WooCommerce names it. Money is held as the strings the
 * REST API prints (2 decimals); dates as `Date` (UTC, whole seconds) and rendered local/GMT by
 * the mappers. Fields the REST API derives (links, `price_html`, `needs_payment`, ...) are not
 * stored.
 */

export interface MetaData {
  id: number;
  key: string;
  value: unknown;
  display_key?: string;
  display_value?: unknown;
}

export interface Address {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email?: string;
  phone: string;
}

export interface ItemTax {
  id: number;
  total: string;
  subtotal: string;
}

export interface LineItemRecord {
  id: number;
  name: string;
  product_id: number;
  variation_id: number;
  quantity: number;
  tax_class: string;
  subtotal: string;
  subtotal_tax: string;
  total: string;
  total_tax: string;
  taxes: ItemTax[];
  meta_data: MetaData[];
  sku: string;
  image: { id: number; src: string };
  parent_name: string | null;
}

export interface TaxLineRecord {
  id: number;
  rate_code: string;
  rate_id: number;
  label: string;
  compound: boolean;
  tax_total: string;
  shipping_tax_total: string;
  rate_percent: number;
  meta_data: MetaData[];
}

export interface ShippingLineRecord {
  id: number;
  method_title: string;
  method_id: string;
  instance_id: string;
  total: string;
  total_tax: string;
  taxes: ItemTax[];
  meta_data: MetaData[];
}

export interface FeeLineRecord {
  id: number;
  name: string;
  tax_class: string;
  tax_status: 'taxable' | 'none';
  amount: string;
  total: string;
  total_tax: string;
  taxes: ItemTax[];
  meta_data: MetaData[];
}

export interface CouponLineRecord {
  id: number;
  code: string;
  discount: string;
  discount_tax: string;
  meta_data: MetaData[];
  discount_type: 'percent' | 'fixed_cart' | 'fixed_product';
  nominal_amount: number;
  free_shipping: boolean;
}

/** A refund: WooCommerce's `shop_order_refund`, a child of the order. */
export interface RefundRecord {
  id: number;
  orderId: number;
  dateCreated: Date;
  /** Positive, like the REST `amount`. */
  amount: string;
  reason: string;
  refunded_by: number;
  refunded_payment: boolean;
  meta_data: MetaData[];
  /** Negative quantities and amounts, `_refunded_item_id` meta pointing at the order item. */
  line_items: LineItemRecord[];
  /** Refunded shipping and fee items; stored (they count in the amount) but not printed by REST v3. */
  shipping_lines: ShippingLineRecord[];
  fee_lines: FeeLineRecord[];
}

export type OrderStatus = 'pending' | 'processing' | 'on-hold' | 'completed' | 'cancelled' | 'refunded' | 'failed' | 'checkout-draft' | 'trash';

export interface OrderRecord {
  id: number;
  parent_id: number;
  status: OrderStatus;
  /** Status before it went to the trash, restored by untrash. */
  statusBeforeTrash: OrderStatus | null;
  currency: string;
  version: string;
  prices_include_tax: boolean;
  dateCreated: Date;
  dateModified: Date;
  datePaid: Date | null;
  dateCompleted: Date | null;
  discount_total: string;
  discount_tax: string;
  shipping_total: string;
  shipping_tax: string;
  cart_tax: string;
  total: string;
  total_tax: string;
  customer_id: number;
  order_key: string;
  billing: Address;
  shipping: Address;
  payment_method: string;
  payment_method_title: string;
  transaction_id: string;
  customer_ip_address: string;
  customer_user_agent: string;
  created_via: string;
  customer_note: string;
  cart_hash: string;
  meta_data: MetaData[];
  line_items: LineItemRecord[];
  tax_lines: TaxLineRecord[];
  shipping_lines: ShippingLineRecord[];
  fee_lines: FeeLineRecord[];
  coupon_lines: CouponLineRecord[];
  /** Newest first, as `WC_Order::get_refunds()` returns them. */
  refunds: RefundRecord[];
  /** WooCommerce's `_order_stock_reduced`: stock is taken once per order. */
  stockReduced: boolean;
}

export type ProductType = 'simple' | 'variable' | 'grouped' | 'external' | 'variation';
export type StockStatus = 'instock' | 'outofstock' | 'onbackorder';

export interface ProductImage {
  id: number;
  src: string;
  name: string;
  alt: string;
}

/** A product or a variation: WooCommerce keeps both as posts with ids from one sequence. */
export interface ProductRecord {
  id: number;
  type: ProductType;
  parent_id: number;
  name: string;
  slug: string;
  status: 'draft' | 'pending' | 'private' | 'publish' | 'future' | 'trash';
  featured: boolean;
  catalog_visibility: 'visible' | 'catalog' | 'search' | 'hidden';
  description: string;
  short_description: string;
  sku: string;
  regular_price: string;
  sale_price: string;
  virtual: boolean;
  downloadable: boolean;
  tax_status: 'taxable' | 'shipping' | 'none';
  tax_class: string;
  manage_stock: boolean;
  stock_quantity: number | null;
  /** Set by the caller when stock is not managed; derived from the quantity when it is. */
  stock_status: StockStatus;
  backorders: 'no' | 'notify' | 'yes';
  low_stock_amount: number | null;
  sold_individually: boolean;
  weight: string;
  dimensions: { length: string; width: string; height: string };
  shipping_class: string;
  categories: Array<{ id: number; name: string; slug: string }>;
  tags: Array<{ id: number; name: string; slug: string }>;
  images: ProductImage[];
  /** Products: `[{id, name, position, visible, variation, options}]`; variations: `[{id, name, option}]`. */
  attributes: Array<Record<string, unknown>>;
  default_attributes: Array<Record<string, unknown>>;
  /** Children of a variable product, in creation order. */
  variations: number[];
  menu_order: number;
  meta_data: MetaData[];
  total_sales: number;
  purchase_note: string;
  dateCreated: Date;
  dateModified: Date;
}

export interface CustomerRecord {
  id: number;
  dateCreated: Date;
  dateModified: Date;
  email: string;
  first_name: string;
  last_name: string;
  role: string;
  username: string;
  billing: Address;
  shipping: Address;
  is_paying_customer: boolean;
  meta_data: MetaData[];
}

export type WebhookStatus = 'active' | 'paused' | 'disabled';

export interface WebhookRecord {
  id: number;
  name: string;
  status: WebhookStatus;
  topic: string;
  delivery_url: string;
  /** As stored; HTML entities are decoded only when signing (webhook-delivery.md §3). */
  secret: string;
  api_version: 'wp_api_v3';
  user_id: number;
  /** Consecutive failed deliveries; reset only by a successful delivery. */
  failure_count: number;
  /** True until a ping was answered with 200. */
  pending_delivery: boolean;
  dateCreated: Date;
  dateModified: Date;
}

export interface CouponRecord {
  code: string;
  discount_type: 'percent' | 'fixed_cart' | 'fixed_product';
  /** Percent for `percent`, else an amount in the order currency. */
  amount: number;
}

export type KeyPermissions = 'read' | 'write' | 'read_write';

export interface ApiKeyRecord {
  consumerKey: string;
  consumerSecret: string;
  permissions: KeyPermissions;
  userId: number;
  /** OAuth nonces, keyed by their timestamp: WooCommerce keeps one per second (see oauth1). */
  nonces: Map<number, string>;
}

export const EMPTY_ADDRESS: Address = {
  first_name: '',
  last_name: '',
  company: '',
  address_1: '',
  address_2: '',
  city: '',
  state: '',
  postcode: '',
  country: '',
  phone: '',
};
