/** The canonical event type names, `<aggregate>.<past-tense verb>`; use these instead of string literals. */
export const EventTypes = {
  orderPlaced: 'order.placed',
  orderUpdated: 'order.updated',
  orderRefunded: 'order.refunded',
  orderCancelled: 'order.cancelled',
  customerUpserted: 'customer.upserted',
  productUpserted: 'product.upserted',
  stockLevelChanged: 'stock-level.changed',
  erpDocumentRecorded: 'erp-document.recorded',
  storeStockRequested: 'store-stock.requested',
  storeStockApplied: 'store-stock.applied',
  payoutBookingRequested: 'payout-booking.requested',
  controlConfigPublished: 'control-config.published',
} as const;

/** One of the canonical event type names in {@link EventTypes}. */
export type EventType = (typeof EventTypes)[keyof typeof EventTypes];
