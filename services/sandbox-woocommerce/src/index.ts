/**
 * @ledgerline/sandbox-woocommerce: a stand-in WooCommerce store for tests, the demo and
 * benchmarks, built from ../shared/contracts/woocommerce. See README.md.
 */
export { startWooSandbox, type WooSandbox, type WooSandboxOptions } from './woo-sandbox';
export type {
  SandboxControl,
  WebhookInternals,
  GenerateCustomersOptions,
  GenerateOrdersOptions,
  GeneratedOrders,
  GenerateProductsOptions,
  GeneratedProducts,
} from './control/sandbox-control';
export type { FaultInjector, FaultsSnapshot, SlowResponsesFault, FailResponsesFault, DeliveryFault, ReorderDeliveriesFault, RequestMatch } from './faults/fault-injector';
export type { SandboxCounters, BatchCounter } from './http/sandbox-counters';
export type { DeliveryLogEntry } from './webhooks/webhook-delivery.worker';
export type { HookshotResponse } from './webhooks/hookshot.client';
export { WooStoreState, type StoreSettings } from './store/woo-store.state';
export type * from './store/woo-records';
