import { EventTypes } from '../event-types';
import { NestedObject } from '../validation/rules';
import { CanonicalOrder, ORDER_EXPECTATION } from './canonical-order.v1';

/**
 * `order.updated` v1: an order changed in the store; `order` is the whole new {@link CanonicalOrder}, not a
 * diff. Apply it only if `order.modifiedAt` is newer than the snapshot already applied.
 */
export class OrderUpdated {
  static readonly type = EventTypes.orderUpdated;
  static readonly schemaVersion = 1;

  @NestedObject(() => CanonicalOrder, ORDER_EXPECTATION) order!: CanonicalOrder;

  /** Gives the event for `fields.order`; nested values may be plain objects. */
  constructor(fields: { order: CanonicalOrder }) {
    // class-transformer instantiates with no arguments before copying properties in.
    if (fields) Object.assign(this, fields);
  }
}
