/**
 * WooCommerce REST API v3 shapes, named and typed as WooCommerce sends them (snake_case fields).
 *
 * Taken from the payloads in ../shared/contracts/woocommerce/ (order.json,
 * order-constructed-fees-coupons-refund.json, order-refund*.json, product*.json, customer.json,
 * webhook*.json, *-batch-*.json) and the quirks in NOTES-rest-api.md, read 2026-11-26. Fields the
 * docs example lacks but newer stores send are optional; unknown fields may appear at any time
 * (NOTES: "Treat unknown fields as optional/additive").
 *
 * Quirks worth knowing before mapping anything (NOTES-rest-api.md, "Number and type quirks"):
 * - Money fields are decimal strings formatted to `dp` places, except line `price` (a JSON number,
 *   total/quantity, may be a long float) and `taxes[].total|subtotal` (raw stored strings: `"2"`,
 *   `"0.9"`, `"0.833333"`). Never compute money from `price`.
 * - `tax_lines[].rate_id` is an integer (the docs table says string).
 * - `date_*` are site-local without an offset; `date_*_gmt` are UTC without `Z`. Use the `_gmt` ones.
 * - Refund summaries inside an order carry a negative `total`; refund objects carry a positive
 *   `amount` and negative line quantities and amounts.
 */

/** A WooCommerce date-time without offset, e.g. `2024-06-10T07:01:44`: UTC in `*_gmt` fields, site-local otherwise. */
export type WooDateTime = string;

/** A money amount as WooCommerce prints it: a decimal string (`"54.76"`, raw `"0.833333"` in tax arrays). */
export type WooDecimal = string;

/** Known values plus whatever a plugin registers (custom order statuses, product types). */
type Open<T extends string> = T | (string & Record<never, never>);

/** Order statuses of WooCommerce core; plugins add their own (`wc-` prefix stripped). */
export type WooOrderStatus = Open<'pending' | 'processing' | 'on-hold' | 'completed' | 'cancelled' | 'refunded' | 'failed' | 'trash' | 'checkout-draft'>;

/** `meta_data[]` entry; `value` can be any JSON type. Order item meta carries `display_key`/`display_value` in newer WooCommerce. */
export interface WooMetaData {
  id?: number;
  key: string;
  value: unknown;
  display_key?: string;
  display_value?: unknown;
}

/** `_links` as WordPress renders them. */
export type WooLinks = Record<string, Array<{ href: string; embeddable?: boolean }> | undefined>;

/** Billing address of an order or customer. */
export interface WooBillingAddress {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email: string;
  phone: string;
}

/** Shipping address; `phone` exists since WooCommerce 5.6 (absent from the docs example). */
export interface WooShippingAddress {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  phone?: string;
}

/** One tax rate's share of a line. `total`/`subtotal` are the raw stored strings (`"2"`, `"0.9"`, `""` for shipping subtotals), not formatted to `dp`. */
export interface WooLineTax {
  id: number;
  total: WooDecimal;
  subtotal: WooDecimal;
}

/** `line_items[]` of an order (and, with negative values, of a refund). */
export interface WooLineItem {
  id: number;
  name: string;
  product_id: number;
  /** 0 for simple products. */
  variation_id: number;
  /** Negative in refunds. */
  quantity: number;
  tax_class: string;
  subtotal: WooDecimal;
  subtotal_tax: WooDecimal;
  total: WooDecimal;
  total_tax: WooDecimal;
  taxes: WooLineTax[];
  meta_data: WooMetaData[];
  sku: string | null;
  /** A JSON number (total / quantity, e.g. `14.695`; 0 when quantity is 0). The docs say string; the code says number. */
  price: number;
  image?: { id: number | string; src: string };
  parent_name?: string | null;
}

/** `tax_lines[]`: one per rate. `tax_total` excludes shipping tax (that is `shipping_tax_total`); fee taxes are inside `tax_total`. */
export interface WooTaxLine {
  id: number;
  rate_code: string;
  /** An integer (the docs table says string). */
  rate_id: number;
  label: string;
  compound: boolean;
  tax_total: WooDecimal;
  shipping_tax_total: WooDecimal;
  /** Newer WooCommerce; marked a guess in SOURCE.md. */
  rate_percent?: number;
  meta_data: WooMetaData[];
}

/** `shipping_lines[]`: one per shipping method. */
export interface WooShippingLine {
  id: number;
  method_title: string;
  method_id: string;
  /** Newer WooCommerce: the shipping zone method instance, as a string. */
  instance_id?: string;
  total: WooDecimal;
  total_tax: WooDecimal;
  taxes: WooLineTax[];
  meta_data: WooMetaData[];
}

/** `fee_lines[]`: fees added at checkout or by plugins (payment surcharges, gift wrapping). */
export interface WooFeeLine {
  id: number;
  name: string;
  tax_class: string;
  tax_status: Open<'taxable' | 'none'>;
  /** The amount as entered; marked a guess in SOURCE.md. */
  amount?: string;
  total: WooDecimal;
  total_tax: WooDecimal;
  taxes: WooLineTax[];
  meta_data: WooMetaData[];
}

/** `coupon_lines[]`: one per applied coupon. */
export interface WooCouponLine {
  id: number;
  code: string;
  /** Net discount; its tax is in `discount_tax`. */
  discount: WooDecimal;
  discount_tax: WooDecimal;
  meta_data: WooMetaData[];
  discount_type?: Open<'percent' | 'fixed_cart' | 'fixed_product'>;
  /** A JSON number (the coupon's configured amount). */
  nominal_amount?: number;
  free_shipping?: boolean;
}

/**
 * A refund as listed inside its order: `total` is negative (`"-10.00"`). Older WooCommerce and the
 * docs example call the reason `refund` instead of `reason` (orders-list.json).
 */
export interface WooOrderRefundSummary {
  id: number;
  reason?: string;
  refund?: string;
  total: WooDecimal;
}

/** `GET /orders/<id>`. `total` is never reduced by refunds; net = total − Σ|refunds[].total|. */
export interface WooOrder {
  id: number;
  parent_id: number;
  number: string;
  order_key: string;
  created_via: string;
  version: string;
  status: WooOrderStatus;
  currency: string;
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  date_modified: WooDateTime;
  date_modified_gmt: WooDateTime;
  discount_total: WooDecimal;
  discount_tax: WooDecimal;
  shipping_total: WooDecimal;
  shipping_tax: WooDecimal;
  cart_tax: WooDecimal;
  total: WooDecimal;
  total_tax: WooDecimal;
  prices_include_tax: boolean;
  /** 0 for guests. */
  customer_id: number;
  customer_ip_address: string;
  customer_user_agent: string;
  customer_note: string;
  billing: WooBillingAddress;
  shipping: WooShippingAddress;
  payment_method: string;
  payment_method_title: string;
  transaction_id: string;
  date_paid: WooDateTime | null;
  date_paid_gmt: WooDateTime | null;
  date_completed: WooDateTime | null;
  date_completed_gmt: WooDateTime | null;
  cart_hash: string;
  meta_data: WooMetaData[];
  line_items: WooLineItem[];
  tax_lines: WooTaxLine[];
  shipping_lines: WooShippingLine[];
  fee_lines: WooFeeLine[];
  coupon_lines: WooCouponLine[];
  refunds: WooOrderRefundSummary[];
  // WooCommerce 8.x fields, absent from the docs example (NOTES-rest-api.md).
  payment_url?: string;
  is_editable?: boolean;
  needs_payment?: boolean;
  needs_processing?: boolean;
  currency_symbol?: string;
  _links?: WooLinks;
}

/** A refund line: negative quantity and amounts; meta `_refunded_item_id` points at the order's line item id (a string). */
export type WooRefundLineItem = Omit<WooLineItem, 'image' | 'parent_name'>;

/**
 * `GET /orders/<id>/refunds/<refund_id>`. `amount` is positive; `line_items` is empty for
 * amount-only refunds (goodwill, refunds made in the PSP dashboard).
 */
export interface WooRefund {
  id: number;
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  amount: WooDecimal;
  reason: string;
  refunded_by: number;
  refunded_payment: boolean;
  meta_data: WooMetaData[];
  line_items: WooRefundLineItem[];
  /** Newer WooCommerce returns refunded shipping and fee lines too. */
  shipping_lines?: WooShippingLine[];
  fee_lines?: WooFeeLine[];
  _links?: WooLinks;
}

/** A product image. */
export interface WooImage {
  id: number;
  date_created?: WooDateTime;
  date_created_gmt?: WooDateTime;
  date_modified?: WooDateTime;
  date_modified_gmt?: WooDateTime;
  src: string;
  name: string;
  alt: string;
}

/** Product dimensions, as strings in the store's unit. */
export interface WooDimensions {
  length: string;
  width: string;
  height: string;
}

/** Stock status; follows `stock_quantity` when stock is managed. */
export type WooStockStatus = Open<'instock' | 'outofstock' | 'onbackorder'>;

/**
 * `GET /products/<id>`. With `?sku=` the products endpoint also returns variations, in this shape
 * with `type: "variation"` and `parent_id` set. `stock_quantity` is `null` unless `manage_stock`.
 */
export interface WooProduct {
  id: number;
  name: string;
  slug: string;
  permalink: string;
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  date_modified: WooDateTime;
  date_modified_gmt: WooDateTime;
  type: Open<'simple' | 'grouped' | 'external' | 'variable' | 'variation'>;
  status: Open<'draft' | 'pending' | 'private' | 'publish' | 'future' | 'trash'>;
  featured: boolean;
  catalog_visibility: Open<'visible' | 'catalog' | 'search' | 'hidden'>;
  description: string;
  short_description: string;
  sku: string;
  /** Decimal strings; `""` when unset. */
  price: WooDecimal;
  regular_price: WooDecimal;
  sale_price: WooDecimal;
  date_on_sale_from: WooDateTime | null;
  date_on_sale_from_gmt: WooDateTime | null;
  date_on_sale_to: WooDateTime | null;
  date_on_sale_to_gmt: WooDateTime | null;
  price_html?: string;
  on_sale: boolean;
  purchasable: boolean;
  total_sales: number;
  virtual: boolean;
  downloadable: boolean;
  downloads: Array<{ id: number | string; name: string; file: string }>;
  download_limit: number;
  download_expiry: number;
  external_url: string;
  button_text: string;
  tax_status: Open<'taxable' | 'shipping' | 'none'>;
  tax_class: string;
  manage_stock: boolean;
  stock_quantity: number | null;
  stock_status: WooStockStatus;
  backorders: Open<'no' | 'notify' | 'yes'>;
  backorders_allowed: boolean;
  backordered: boolean;
  sold_individually: boolean;
  weight: string;
  dimensions: WooDimensions;
  shipping_required: boolean;
  shipping_taxable: boolean;
  shipping_class: string;
  shipping_class_id: number;
  reviews_allowed: boolean;
  average_rating: string;
  rating_count: number;
  related_ids: number[];
  upsell_ids: number[];
  cross_sell_ids: number[];
  parent_id: number;
  purchase_note: string;
  categories: Array<{ id: number; name: string; slug: string }>;
  tags: Array<{ id: number; name: string; slug: string }>;
  images: WooImage[];
  attributes: Array<{ id: number; name: string; position?: number; visible?: boolean; variation?: boolean; options?: string[]; option?: string }>;
  default_attributes: Array<{ id: number; name: string; option: string }>;
  /** Variation ids of a variable product. */
  variations: number[];
  grouped_products: number[];
  menu_order: number;
  meta_data: WooMetaData[];
  _links?: WooLinks;
}

/** `GET /products/<product_id>/variations/<id>`. */
export interface WooVariation {
  id: number;
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  date_modified: WooDateTime;
  date_modified_gmt: WooDateTime;
  description: string;
  permalink: string;
  sku: string;
  price: WooDecimal;
  regular_price: WooDecimal;
  sale_price: WooDecimal;
  date_on_sale_from: WooDateTime | null;
  date_on_sale_from_gmt: WooDateTime | null;
  date_on_sale_to: WooDateTime | null;
  date_on_sale_to_gmt: WooDateTime | null;
  on_sale: boolean;
  status: Open<'draft' | 'pending' | 'private' | 'publish'>;
  purchasable: boolean;
  virtual: boolean;
  downloadable: boolean;
  downloads: Array<{ id: number | string; name: string; file: string }>;
  download_limit: number;
  download_expiry: number;
  tax_status: Open<'taxable' | 'shipping' | 'none'>;
  tax_class: string;
  /** `"parent"` when the parent manages stock for its variations. */
  manage_stock: boolean | 'parent';
  stock_quantity: number | null;
  stock_status: WooStockStatus;
  backorders: Open<'no' | 'notify' | 'yes'>;
  backorders_allowed: boolean;
  backordered: boolean;
  weight: string;
  dimensions: WooDimensions;
  shipping_class: string;
  shipping_class_id: number;
  image: WooImage | null;
  attributes: Array<{ id: number; name: string; option: string }>;
  menu_order: number;
  meta_data: WooMetaData[];
  /** Newer WooCommerce. */
  parent_id?: number;
  _links?: WooLinks;
}

/** `GET /customers/<id>`. */
export interface WooCustomer {
  id: number;
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  date_modified: WooDateTime | null;
  date_modified_gmt: WooDateTime | null;
  email: string;
  first_name: string;
  last_name: string;
  role: string;
  username: string;
  billing: WooBillingAddress;
  shipping: WooShippingAddress;
  is_paying_customer: boolean;
  avatar_url: string;
  meta_data: WooMetaData[];
  _links?: WooLinks;
}

/** Webhook statuses: `disabled` is what WooCommerce sets after repeated failed deliveries (webhook-delivery.md §4). */
export type WooWebhookStatus = Open<'active' | 'paused' | 'disabled'>;

/** `GET /webhooks/<id>`. The secret is never returned. */
export interface WooWebhook {
  id: number;
  name: string;
  status: WooWebhookStatus;
  /** `<resource>.<event>`, e.g. `order.updated`, or `action.<hook>`. */
  topic: string;
  resource: string;
  event: string;
  hooks: string[];
  delivery_url: string;
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  date_modified: WooDateTime | null;
  date_modified_gmt: WooDateTime | null;
  _links?: WooLinks;
}

/** Body of `POST /webhooks`. */
export interface WooWebhookCreate {
  name?: string;
  topic: string;
  delivery_url: string;
  /** The HMAC key. WooCommerce never returns a secret, so the caller must choose one to be able to verify deliveries. */
  secret: string;
  status?: WooWebhookStatus;
}

/** Body of `PUT /webhooks/<id>`. */
export type WooWebhookUpdate = Partial<WooWebhookCreate>;

/**
 * A WordPress/WooCommerce error body: `{ code, message, data: { status, ... } }`. `rest_invalid_param`
 * adds `params` (name → message) and `details`; `product_invalid_sku` adds `resource_id` and `unique_sku`.
 */
export interface WooError {
  code: string;
  message: string;
  data?: ({ status?: number; params?: Record<string, string> | string[]; details?: Record<string, { code: string; message: string }> } & Record<string, unknown>) | null;
}

/** Writable product fields Ledgerline sends (creates and updates); anything else WooCommerce accepts can be added. */
export interface WooProductInput {
  name?: string;
  type?: Open<'simple' | 'grouped' | 'external' | 'variable'>;
  status?: Open<'draft' | 'pending' | 'private' | 'publish'>;
  sku?: string;
  regular_price?: WooDecimal;
  sale_price?: WooDecimal;
  description?: string;
  short_description?: string;
  manage_stock?: boolean;
  /** Absolute stock level; only counts when `manage_stock` is true. */
  stock_quantity?: number | null;
  stock_status?: WooStockStatus;
  backorders?: Open<'no' | 'notify' | 'yes'>;
  tax_status?: Open<'taxable' | 'shipping' | 'none'>;
  tax_class?: string;
  weight?: string;
  meta_data?: Array<{ key: string; value: unknown; id?: number }>;
  [field: string]: unknown;
}

/** Writable variation fields. */
export interface WooVariationInput {
  sku?: string;
  regular_price?: WooDecimal;
  sale_price?: WooDecimal;
  status?: Open<'draft' | 'pending' | 'private' | 'publish'>;
  manage_stock?: boolean;
  stock_quantity?: number | null;
  stock_status?: WooStockStatus;
  backorders?: Open<'no' | 'notify' | 'yes'>;
  attributes?: Array<{ id?: number; name?: string; option: string }>;
  meta_data?: Array<{ key: string; value: unknown; id?: number }>;
  [field: string]: unknown;
}

/**
 * Body of `POST /<resource>/batch`. WooCommerce refuses the whole request with 413 when create +
 * update + delete hold more than 100 items (NOTES-rest-api.md, "Batch endpoints"); the client splits.
 * Batch deletes are always permanent (`force=true`).
 */
export interface WooBatchRequest<C, U = Partial<C>> {
  create?: C[];
  update?: Array<U & { id: number }>;
  delete?: number[];
}

/** A failed item inside a 200 batch answer: `id` is 0 for failed creates. */
export interface WooBatchItemError {
  id: number;
  error: WooError;
}

/** The raw batch answer: each list holds the saved object or a {@link WooBatchItemError}, in request order. */
export interface WooBatchResponse<T> {
  create?: Array<T | WooBatchItemError>;
  update?: Array<T | WooBatchItemError>;
  delete?: Array<T | WooBatchItemError>;
}
