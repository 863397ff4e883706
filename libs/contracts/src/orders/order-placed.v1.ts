import { EventTypes } from '../event-types';
import { NestedObject } from '../validation/rules';
import { CanonicalOrder, ORDER_EXPECTATION } from './canonical-order.v1';

/**
 * `order.placed` v1: a new order exists in a store; `order` is the full {@link CanonicalOrder}.
 * Published on `Topics.storeOrders`, keyed by `orderKey(payload.order.orderRef)`.
 */
export class OrderPlaced {
  static readonly type = EventTypes.orderPlaced;
  static readonly schemaVersion = 1;

  @NestedObject(() => CanonicalOrder, ORDER_EXPECTATION) order!: CanonicalOrder;

  /** Gives the event for `fields.order`; nested values may be plain objects. */
  constructor(fields: { order: CanonicalOrder }) {
    // class-transformer instantiates with no arguments before copying properties in.
    if (fields) Object.assign(this, fields);
  }
}
