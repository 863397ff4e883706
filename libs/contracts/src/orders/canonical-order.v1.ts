import { Address, ADDRESS_EXPECTATION } from '../common/address';
import { Money, MONEY_EXPECTATION } from '../money';
import {
  IsCurrencyCode,
  IsDecimalString,
  IsEmailAddress,
  IsFlag,
  IsOneOf,
  IsSlug,
  IsText,
  IsUtcTimestamp,
  NestedList,
  NestedObject,
} from '../validation/rules';
import { OrderRef } from './order-ref';

// The canonical order carried whole by order.placed and order.updated (v1). Conventions, so connectors need no store knowledge:
// - amounts are the store's own values, never recomputed; book them and post any rounding difference
//   between the lines and `totals.total` to a rounding account (../shared/contracts/woocommerce/NOTES-rest-api.md);
// - ids are the store's ids as strings; absent values are null, never "";
// - names and titles are plain text (the store's HTML entities such as "&ndash;" decoded);
// - timestamps are UTC, written by Date.toISOString() (use WooCommerce's `*_gmt` fields, which lack the "Z").

/** One tax rate's share of a line's tax. */
export class LineTax {
  /** The store's tax rate id; matches `TaxLine.rateId`. */
  @IsText() rateId!: string;
  /**
   * Tax after discounts. WooCommerce keeps these unrounded (up to 6 decimals with "round tax at subtotal
   * level"); the producer rounds half-up to 4 digits. Book the line's `totalTax`; use this only to split it by rate.
   */
  @NestedObject(() => Money, MONEY_EXPECTATION) total!: Money;
  /** Tax before discounts; null where the store reports none (shipping and fee taxes). */
  @NestedObject(() => Money, MONEY_EXPECTATION, { nullable: true }) subtotal!: Money | null;
}

const LINE_TAXES = ['a list of tax shares like [{"rateId": "1", "total": {...}, "subtotal": {...}}]', 'a tax share object'] as const;

/** The customer as recorded on the order. */
export class OrderCustomer {
  /** The store's customer id; null for guest checkouts (WooCommerce `customer_id` 0). */
  @IsText({ nullable: true }) customerId!: string | null;
  /** Billing email: the stable key ERPs find-or-create customers by. */
  @IsEmailAddress() email!: string;
  @IsText({ nullable: true }) firstName!: string | null;
  @IsText({ nullable: true }) lastName!: string | null;
  @IsText({ nullable: true }) company!: string | null;
  /** VAT number (EU VAT id) if the store collects one. */
  @IsText({ nullable: true }) vatNumber!: string | null;
  @IsText({ nullable: true }) phone!: string | null;
}

/** A product line. */
export class OrderLine {
  @IsText() lineId!: string;
  /** The store's product id; for a variation, the parent (variable) product. Null when the product was deleted. */
  @IsText({ nullable: true }) productId!: string | null;
  /** The variation id; null for products without variations. */
  @IsText({ nullable: true }) variationId!: string | null;
  @IsText({ nullable: true }) sku!: string | null;
  @IsText() name!: string;
  /** Units sold; a decimal string because ERPs (and some store plugins) allow fractions. */
  @IsDecimalString({ nonNegative: true, example: '2' }) quantity!: string;
  /** The store's tax class; null for the standard class. */
  @IsText({ nullable: true }) taxClass!: string | null;
  /** `total / quantity` (after discounts, before tax), rounded to 4 digits. Informational: book `total`, not price × quantity. */
  @NestedObject(() => Money, MONEY_EXPECTATION) unitPrice!: Money;
  /** Before discounts, excluding tax. */
  @NestedObject(() => Money, MONEY_EXPECTATION) subtotal!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) subtotalTax!: Money;
  /** After discounts, excluding tax (also when `pricesIncludeTax` is true). */
  @NestedObject(() => Money, MONEY_EXPECTATION) total!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) totalTax!: Money;
  @NestedList(() => LineTax, ...LINE_TAXES) taxes!: LineTax[];
}

/** A shipping charge. */
export class ShippingLine {
  @IsText() lineId!: string;
  /** The shipping method (`"flat_rate"`); null for a line added by hand without a method. */
  @IsText({ nullable: true }) methodId!: string | null;
  /** The configured method instance (WooCommerce `instance_id`), when the store reports it. */
  @IsText({ nullable: true }) instanceId!: string | null;
  @IsText() title!: string;
  @NestedObject(() => Money, MONEY_EXPECTATION) total!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) totalTax!: Money;
  @NestedList(() => LineTax, ...LINE_TAXES) taxes!: LineTax[];
}

/** A fee (gift wrapping, payment surcharge); negative fees are discounts some plugins add. */
export class FeeLine {
  @IsText() lineId!: string;
  @IsText() name!: string;
  @IsText({ nullable: true }) taxClass!: string | null;
  @IsOneOf(['taxable', 'none']) taxStatus!: 'taxable' | 'none';
  @NestedObject(() => Money, MONEY_EXPECTATION) total!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) totalTax!: Money;
  @NestedList(() => LineTax, ...LINE_TAXES) taxes!: LineTax[];
}

/** A coupon applied to the order; its discount is already inside the lines' totals. */
export class CouponLine {
  @IsText() lineId!: string;
  @IsText() code!: string;
  /** Discount excluding tax. */
  @NestedObject(() => Money, MONEY_EXPECTATION) discount!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) discountTax!: Money;
  /** `percent`, `fixed_cart`, `fixed_product` or a plugin's type; null when the store does not say. */
  @IsText({ nullable: true }) discountType!: string | null;
}

/** One tax rate's total over the order: what ERPs map to their VAT codes. */
export class TaxLine {
  @IsText() lineId!: string;
  @IsText() rateId!: string;
  /** The store's rate code, e.g. `"DE-MWST.-1"`. */
  @IsText() rateCode!: string;
  @IsText() label!: string;
  @IsFlag() compound!: boolean;
  /**
   * The rate in percent, e.g. `"19"` or `"7.5"`; null when the store's API does not report it (WooCommerce
   * added `rate_percent` to tax lines only in later versions), in which case map by `rateId`/`rateCode`.
   */
  @IsDecimalString({ nonNegative: true, example: '19', nullable: true }) ratePercent!: string | null;
  /** Tax on products and fees, excluding shipping tax. */
  @NestedObject(() => Money, MONEY_EXPECTATION) taxTotal!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) shippingTaxTotal!: Money;
}

/** The order's totals, as the store computed them. */
export class OrderTotals {
  @NestedObject(() => Money, MONEY_EXPECTATION) discount!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) discountTax!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) shipping!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) shippingTax!: Money;
  @NestedObject(() => Money, MONEY_EXPECTATION) totalTax!: Money;
  /** What the customer pays, tax included. Refunds never reduce it; they arrive as `order.refunded`. */
  @NestedObject(() => Money, MONEY_EXPECTATION) total!: Money;
}

/** How the order was paid. */
export class PaymentMethod {
  /** The gateway id (`"stripe"`, `"bacs"`); the tenant's mapping turns it into an ERP payment term or account. */
  @IsText() id!: string;
  @IsText() title!: string;
  /** The PSP's charge or transaction id; payout reconciliation matches settlements on it. */
  @IsText({ nullable: true }) transactionId!: string | null;
}

/** Marks a subscription renewal order. */
export class SubscriptionRenewal {
  /** The subscription this order renews. */
  @IsText() subscriptionId!: string;
}

/** Optional facts about the order that only some stores have. */
export class OrderMetadata {
  /** Present only on subscription renewal orders. */
  @NestedObject(() => SubscriptionRenewal, 'an object like {"subscriptionId": "4711"}', { optional: true })
  subscriptionRenewal?: SubscriptionRenewal;
}

/**
 * The full canonical order as the store has it now: enough to build an ERP sales order or invoice.
 * `order.placed` and `order.updated` both carry it whole, so a consumer never merges partial updates.
 */
export class CanonicalOrder {
  @NestedObject(() => OrderRef, 'an object like {"tenantId": "...", "storeId": "...", "orderId": "727", "orderNumber": "727"}')
  orderRef!: OrderRef;
  /** The store's status slug: `pending`, `processing`, `on-hold`, `completed`, `cancelled`, `refunded`, `failed`, or a plugin's own. */
  @IsSlug('processing') status!: string;
  @IsCurrencyCode() currency!: string;
  /** Whether the store's catalogue prices include tax; line amounts here are always excluding tax. */
  @IsFlag() pricesIncludeTax!: boolean;
  @IsUtcTimestamp() createdAt!: string;
  /**
   * The store's last-modified time: the order's version. A consumer ignores a snapshot whose `modifiedAt`
   * is older than one it has applied (webhooks arrive late and twice).
   */
  @IsUtcTimestamp() modifiedAt!: string;
  @NestedObject(() => OrderCustomer, 'a customer object with at least "email"') customer!: OrderCustomer;
  @NestedObject(() => Address, ADDRESS_EXPECTATION) billingAddress!: Address;
  /** Null when nothing is shipped (virtual or downloadable goods only). */
  @NestedObject(() => Address, ADDRESS_EXPECTATION, { nullable: true }) shippingAddress!: Address | null;
  @NestedList(() => OrderLine, 'a list of order lines', 'an order line object') lines!: OrderLine[];
  @NestedList(() => ShippingLine, 'a list of shipping lines', 'a shipping line object') shippingLines!: ShippingLine[];
  @NestedList(() => FeeLine, 'a list of fee lines', 'a fee line object') feeLines!: FeeLine[];
  @NestedList(() => CouponLine, 'a list of coupon lines', 'a coupon line object') couponLines!: CouponLine[];
  @NestedList(() => TaxLine, 'a list of tax lines', 'a tax line object') taxLines!: TaxLine[];
  @NestedObject(() => OrderTotals, 'a totals object') totals!: OrderTotals;
  /** Null when the order has no payment method (free orders, orders created by hand). */
  @NestedObject(() => PaymentMethod, 'an object like {"id": "stripe", "title": "Card", "transactionId": null}', { nullable: true })
  paymentMethod!: PaymentMethod | null;
  /** When the store recorded payment; null while unpaid. */
  @IsUtcTimestamp({ nullable: true }) paidAt!: string | null;
  @NestedObject(() => OrderMetadata, 'an object like {"subscriptionRenewal": {"subscriptionId": "4711"}}', { optional: true })
  metadata?: OrderMetadata;
}

/** How error messages describe an order value. */
export const ORDER_EXPECTATION = 'a canonical order object (orderRef, status, currency, customer, lines, totals, ...)';
