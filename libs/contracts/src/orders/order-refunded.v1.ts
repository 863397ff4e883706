import { EventTypes } from '../event-types';
import { IsNonNegativeAmount, Money, MONEY_EXPECTATION } from '../money';
import {
  IsCurrencyCode,
  IsDecimalString,
  IsFlag,
  IsText,
  IsUtcTimestamp,
  NestedList,
  NestedObject,
  rule,
} from '../validation/rules';
import { OrderRef } from './order-ref';
import { LineTax } from './canonical-order.v1';

// Sign convention: every refund amount and quantity is zero or more, the value returned to the customer.
// WooCommerce reports refund lines negative (../shared/contracts/woocommerce/order-refunds-list.json); producers flip them.
const FLIP_SIGN = "refund amounts are positive; flip the sign of the store's negative refund values";
const LINE_TAXES = ['a list of tax shares like [{"rateId": "1", "total": {...}, "subtotal": null}]', 'a tax share object'] as const;

/** One refunded product line, pointing at the order line it refunds. */
export class RefundLine {
  /** The refund's own line id. */
  @IsText() lineId!: string;
  /** The refunded order line (`OrderLine.lineId`; WooCommerce meta `_refunded_item_id`). */
  @IsText() orderLineId!: string;
  @IsText({ nullable: true }) productId!: string | null;
  @IsText({ nullable: true }) variationId!: string | null;
  @IsText({ nullable: true }) sku!: string | null;
  @IsText() name!: string;
  /** Units returned; `"0"` when only money was refunded on this line. */
  @IsDecimalString({ nonNegative: true, example: '1' }) quantity!: string;
  /** Refunded amount excluding tax. */
  @IsNonNegativeAmount(FLIP_SIGN) @NestedObject(() => Money, MONEY_EXPECTATION) total!: Money;
  @IsNonNegativeAmount(FLIP_SIGN) @NestedObject(() => Money, MONEY_EXPECTATION) totalTax!: Money;
  /** Refunded tax per rate (positive too). */
  @NestedList(() => LineTax, ...LINE_TAXES) taxes!: LineTax[];
}

/** A refunded shipping charge. */
export class RefundShippingLine {
  @IsText() lineId!: string;
  /** The refunded `ShippingLine.lineId`. */
  @IsText() orderLineId!: string;
  @IsNonNegativeAmount(FLIP_SIGN) @NestedObject(() => Money, MONEY_EXPECTATION) total!: Money;
  @IsNonNegativeAmount(FLIP_SIGN) @NestedObject(() => Money, MONEY_EXPECTATION) totalTax!: Money;
  @NestedList(() => LineTax, ...LINE_TAXES) taxes!: LineTax[];
}

/** A refunded fee. */
export class RefundFeeLine {
  @IsText() lineId!: string;
  /** The refunded `FeeLine.lineId`. */
  @IsText() orderLineId!: string;
  @IsText() name!: string;
  @IsNonNegativeAmount(FLIP_SIGN) @NestedObject(() => Money, MONEY_EXPECTATION) total!: Money;
  @IsNonNegativeAmount(FLIP_SIGN) @NestedObject(() => Money, MONEY_EXPECTATION) totalTax!: Money;
  @NestedList(() => LineTax, ...LINE_TAXES) taxes!: LineTax[];
}

const hasNoLines = (refund: Partial<OrderRefunded>): boolean =>
  [refund.lines, refund.shippingLines, refund.feeLines].every((list) => Array.isArray(list) && list.length === 0);

/**
 * `order.refunded` v1: money went back to the customer for an order; connectors create a credit invoice
 * linked to the order's invoice. Published on `Topics.storeOrders` with the order's key, so it never
 * overtakes the `order.placed` it refers to.
 */
export class OrderRefunded {
  static readonly type = EventTypes.orderRefunded;
  static readonly schemaVersion = 1;

  /** The store's refund id; with `orderRef` it identifies the credit document (exactly-once key). */
  @IsText() refundId!: string;
  @NestedObject(() => OrderRef, 'an object like {"tenantId": "...", "storeId": "...", "orderId": "727", "orderNumber": "727"}')
  orderRef!: OrderRef;
  @IsCurrencyCode() currency!: string;
  /** When the refund was made in the store. */
  @IsUtcTimestamp() createdAt!: string;
  /** The whole refund, tax included. The store's amount wins over the sum of the lines. */
  @IsNonNegativeAmount(FLIP_SIGN) @NestedObject(() => Money, MONEY_EXPECTATION) amount!: Money;
  @IsText({ nullable: true }) reason!: string | null;
  /**
   * True when the refund names no lines (a goodwill credit, or one made in the PSP's dashboard): the ERP
   * books it without an item or tax split, or pro-rates it by tenant policy.
   */
  @rule(
    'isAmountOnlyConsistent',
    'true exactly when lines, shippingLines and feeLines are all empty',
    (value, args) => typeof value !== 'boolean' || value === hasNoLines(args.object as Partial<OrderRefunded>),
  )
  @IsFlag()
  amountOnly!: boolean;
  /** Whether the store had the payment gateway return the money (WooCommerce `refunded_payment`), as opposed to recording a refund made elsewhere. */
  @IsFlag() refundedPayment!: boolean;
  @NestedList(() => RefundLine, 'a list of refunded lines', 'a refunded line object') lines!: RefundLine[];
  @NestedList(() => RefundShippingLine, 'a list of refunded shipping lines', 'a refunded shipping line object') shippingLines!: RefundShippingLine[];
  @NestedList(() => RefundFeeLine, 'a list of refunded fee lines', 'a refunded fee line object') feeLines!: RefundFeeLine[];

  /** Gives the event built from `fields`; nested values may be plain objects. */
  constructor(fields: OrderRefunded) {
    // class-transformer instantiates with no arguments before copying properties in.
    if (fields) Object.assign(this, fields);
  }
}
