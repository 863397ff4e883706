// Public API of @ledgerline/contracts: canonical events, their envelope, topics and keys.
// Importing it loads every event class, so the registry is complete before anything is parsed.
export { Address } from './common/address';
export { ContractViolationError, type ContractViolationCode, type ContractViolationInit } from './contract-violation.error';
export { ControlConfigKinds, ControlConfigPublished, type ControlConfigKind } from './control/control-config-published.v1';
export { CustomerRef, CustomerUpserted, type CustomerSourceSystem } from './customers/customer-upserted.v1';
export { assertValidEnvelope, envelope, isEnvelopeOf, parseEnvelope, type CausedBy, type EnvelopeBuilder, type EnvelopeContext, type EventEnvelope } from './envelope';
export { EventTypes, type EventType } from './event-types';
export { ErpDocumentKinds, ErpDocumentRecorded, type ErpDocumentKind } from './erp-documents/erp-document-recorded.v1';
export { StockCorrection, StockWriteFailure, StoreStockApplied } from './inventory/store-stock-applied.v1';
export { STORE_STOCK_ITEMS_PER_EVENT, StockRequestReasons, StoreStockItem, StoreStockRequested, type StockRequestReason } from './inventory/store-stock-requested.v1';
export {
  BookedDocument,
  BookingAccounts,
  PaymentProviders,
  PayoutBookingKinds,
  PayoutBookingRequested,
  PayoutRef,
  type PaymentProvider,
  type PayoutBookingKind,
} from './payouts/payout-booking-requested.v1';
export { Money } from './money';
export { OrderCancelled } from './orders/order-cancelled.v1';
export { OrderPlaced } from './orders/order-placed.v1';
export { OrderRef } from './orders/order-ref';
export { OrderRefunded, RefundFeeLine, RefundLine, RefundShippingLine } from './orders/order-refunded.v1';
export {
  CanonicalOrder,
  CouponLine,
  FeeLine,
  LineTax,
  OrderCustomer,
  OrderLine,
  OrderMetadata,
  OrderTotals,
  PaymentMethod,
  ShippingLine,
  SubscriptionRenewal,
  TaxLine,
} from './orders/canonical-order.v1';
export { OrderUpdated } from './orders/order-updated.v1';
export { ProductRef, ProductUpserted, type ProductType } from './products/product-upserted.v1';
export { registeredEvents, type CanonicalEventClass } from './registry';
export { StockLevelChanged } from './stock-levels/stock-level-changed.v1';
export { Topics, configKey, consumerGroup, customerKey, deploymentTopic, keyFor, orderKey, payoutKey, productKey, stockKey, storeKey, topicFor, withSuffix, type TopicName } from './topics';
export { IsDecimalString, IsTextList, isDecimalString, type DecimalStringOptions } from './validation/rules';
export * from './examples';
