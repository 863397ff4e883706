import { EventTypes } from '../event-types';
import { IsText, IsUtcTimestamp, NestedObject } from '../validation/rules';
import { OrderRef } from './order-ref';

/** `order.cancelled` v1: the store cancelled an order; connectors void or credit what they created for it. */
export class OrderCancelled {
  static readonly type = EventTypes.orderCancelled;
  static readonly schemaVersion = 1;

  @NestedObject(() => OrderRef, 'an object like {"tenantId": "...", "storeId": "...", "orderId": "727", "orderNumber": "727"}')
  orderRef!: OrderRef;
  /** Why, if the store or person said; null otherwise. */
  @IsText({ nullable: true }) reason!: string | null;
  /** When the store marked the order cancelled (its modified time at that moment). */
  @IsUtcTimestamp() cancelledAt!: string;

  /** Gives the event built from `fields`. */
  constructor(fields: OrderCancelled) {
    // class-transformer instantiates with no arguments before copying properties in.
    if (fields) Object.assign(this, fields);
  }
}
