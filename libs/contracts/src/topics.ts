import { ContractViolationError } from './contract-violation.error';
import { ControlConfigPublished } from './control/control-config-published.v1';
import { CustomerUpserted } from './customers/customer-upserted.v1';
import { ErpDocumentRecorded } from './erp-documents/erp-document-recorded.v1';
import { StoreStockApplied } from './inventory/store-stock-applied.v1';
import { StoreStockRequested } from './inventory/store-stock-requested.v1';
import type { EventEnvelope } from './envelope';
import { OrderCancelled } from './orders/order-cancelled.v1';
import { OrderPlaced } from './orders/order-placed.v1';
import { OrderRefunded } from './orders/order-refunded.v1';
import { OrderUpdated } from './orders/order-updated.v1';
import { PayoutBookingRequested } from './payouts/payout-booking-requested.v1';
import { ProductUpserted } from './products/product-upserted.v1';
import { eventId, registeredEvents, type CanonicalEventClass } from './registry';
import { readPath } from './validation/read-path';
import { StockLevelChanged } from './stock-levels/stock-level-changed.v1';

/**
 * The Kafka topic names, `ledgerline.<context>.<stream>.v<major>`: the only place they are spelled out.
 * One topic per aggregate stream; a breaking change to any event of a stream moves the whole stream to `v2`,
 * because events that share a key must share a topic to stay in order.
 */
export const Topics = {
  /** order.placed, order.updated, order.refunded, order.cancelled; keyed by {@link orderKey}. */
  storeOrders: 'ledgerline.store.orders.v1',
  /** customer.upserted; keyed by {@link customerKey}. */
  storeCustomers: 'ledgerline.store.customers.v1',
  /** product.upserted; keyed by {@link productKey}. */
  storeProducts: 'ledgerline.store.products.v1',
  /** stock-level.changed; keyed by {@link stockKey}. */
  erpStockLevels: 'ledgerline.erp.stock-levels.v1',
  /** erp-document.recorded; keyed by {@link orderKey}, like the order it documents. */
  erpDocuments: 'ledgerline.erp.documents.v1',
  /** store-stock.requested (inventory-sync → store-gateway); keyed by {@link storeKey}. */
  inventoryStoreStock: 'ledgerline.inventory.store-stock.v1',
  /** store-stock.applied (store-gateway → inventory-sync); keyed by {@link storeKey}. */
  storeStockReports: 'ledgerline.store.stock-reports.v1',
  /** payout-booking.requested (payout-reconciliation → ERP connectors); keyed by {@link payoutKey}. */
  payoutBookings: 'ledgerline.payouts.bookings.v1',
  /** control-config.published (control plane → every service); compacted, keyed by {@link configKey}. */
  controlConfig: 'ledgerline.control.config.v1',
} as const;

/** One of the topic names in {@link Topics}. */
export type TopicName = (typeof Topics)[keyof typeof Topics];

interface Route {
  topic: TopicName;
  key(payload: unknown): string;
}

const routes = new Map<string, Route>();
function route(eventClass: CanonicalEventClass, topic: TopicName, key: (payload: unknown) => string): void {
  routes.set(eventId(eventClass.type, eventClass.schemaVersion), { topic, key });
}

const part = (payload: unknown, path: string): string => readPath(payload, path) as string;
const orderKeyAt =
  (refPath: string) =>
  (payload: unknown): string =>
    orderKey({ tenantId: part(payload, `${refPath}.tenantId`), storeId: part(payload, `${refPath}.storeId`), orderId: part(payload, `${refPath}.orderId`) });

route(OrderPlaced, Topics.storeOrders, orderKeyAt('order.orderRef'));
route(OrderUpdated, Topics.storeOrders, orderKeyAt('order.orderRef'));
route(OrderRefunded, Topics.storeOrders, orderKeyAt('orderRef'));
route(OrderCancelled, Topics.storeOrders, orderKeyAt('orderRef'));
route(CustomerUpserted, Topics.storeCustomers, (payload) =>
  customerKey({
    tenantId: part(payload, 'customerRef.tenantId'),
    storeId: part(payload, 'customerRef.storeId'),
    erpConnectionId: part(payload, 'customerRef.erpConnectionId'),
    customerId: part(payload, 'customerRef.customerId'),
  }),
);
route(ProductUpserted, Topics.storeProducts, (payload) =>
  productKey({ tenantId: part(payload, 'productRef.tenantId'), storeId: part(payload, 'productRef.storeId'), productId: part(payload, 'productRef.productId') }),
);
route(StockLevelChanged, Topics.erpStockLevels, (payload) => stockKey(part(payload, 'tenantId'), part(payload, 'sku')));
route(ErpDocumentRecorded, Topics.erpDocuments, orderKeyAt('orderRef'));
route(StoreStockRequested, Topics.inventoryStoreStock, (payload) => storeKey(part(payload, 'tenantId'), part(payload, 'storeId')));
route(StoreStockApplied, Topics.storeStockReports, (payload) => storeKey(part(payload, 'tenantId'), part(payload, 'storeId')));
route(PayoutBookingRequested, Topics.payoutBookings, (payload) =>
  payoutKey({ tenantId: part(payload, 'payoutRef.tenantId'), provider: part(payload, 'payoutRef.provider'), payoutId: part(payload, 'payoutRef.payoutId') }),
);

route(ControlConfigPublished, Topics.controlConfig, (payload) => configKey(part(payload, 'tenantId'), part(payload, 'kind'), part(payload, 'subjectId')));

function routeFor(type: string, schemaVersion: number, eventIdForError?: string): Route {
  const found = routes.get(eventId(type, schemaVersion));
  if (found) return found;
  const known = registeredEvents()
    .map((eventClass) => `${eventClass.type} v${eventClass.schemaVersion}`)
    .join(', ');
  throw new ContractViolationError({
    code: 'CONTRACT_EVENT_TYPE_UNKNOWN',
    eventType: type,
    eventId: eventIdForError,
    schemaVersion,
    problems: [`type: ${type} v${schemaVersion} has no topic; known events are ${known}`],
  });
}

/**
 * Gives the topic that events of `type` (at `schemaVersion`, default 1) are published on.
 * Throws ContractViolationError (`CONTRACT_EVENT_TYPE_UNKNOWN`) for an event that is not registered.
 */
export function topicFor(type: string, schemaVersion = 1): TopicName {
  return routeFor(type, schemaVersion).topic;
}

/**
 * Gives the Kafka message key for a valid envelope, derived from its payload (never from the envelope), so
 * every event about one order, customer, product family or tenant SKU lands on one partition in order.
 * Throws ContractViolationError for an unregistered event, and Error when the payload lacks a key part.
 */
export function keyFor(env: EventEnvelope): string {
  return routeFor(env.type, env.schemaVersion, env.id).key(env.payload);
}

/**
 * Gives `topic` with a test-isolation suffix, e.g. `ledgerline.store.orders.v1.t-abc123`, so parallel test files
 * never share a topic. Accepts only names from {@link Topics}; the suffix may hold letters, digits, `.`, `_`, `-`.
 */
export function withSuffix(topic: TopicName, suffix: string): string {
  const names: readonly string[] = Object.values(Topics);
  if (!names.includes(topic)) {
    throw new Error(`withSuffix: "${String(topic)}" is not a Ledgerline topic; use one of Topics (${names.join(', ')})`);
  }
  if (!/^[A-Za-z0-9._-]+$/.test(suffix)) {
    throw new Error(`withSuffix: suffix ${JSON.stringify(suffix)} must be non-empty and hold only letters, digits, ".", "_" and "-" (Kafka's topic alphabet)`);
  }
  const name = `${topic}.${suffix}`;
  if (name.length > 249) throw new Error(`withSuffix: "${name}" is ${name.length} characters; Kafka allows 249`);
  return name;
}

/**
 * Gives the topic a deployment uses: `topic` itself, or `topic` with `suffix` when one is configured (tests and
 * side-by-side demos isolate their streams with a suffix; production runs without one).
 */
export function deploymentTopic(topic: TopicName, suffix: string): string {
  return suffix ? withSuffix(topic, suffix) : topic;
}

/**
 * Gives a consumer group name `ledgerline.<service>.<stream>` (STYLE.md §3), with the deployment's topic suffix
 * appended when one is configured, so an isolated stream also gets its own offsets.
 */
export function consumerGroup(service: string, stream: string, suffix = ''): string {
  const group = `ledgerline.${service}.${stream}`;
  return suffix ? `${group}.${suffix}` : group;
}

// Parts are escaped, not refused: SKUs legitimately contain ":" and "%". Escaping keeps keys unique and
// the part count unambiguous (customerKey relies on that to tell store from ERP customers).
function keyOf(builder: string, parts: Array<[name: string, value: unknown]>): string {
  return parts
    .map(([name, value]) => {
      if (typeof value !== 'string' || value.length === 0) {
        throw new Error(`${builder}: ${name} must be a non-empty string (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`);
      }
      return value.replace(/%/g, '%25').replace(/:/g, '%3A');
    })
    .join(':');
}

/**
 * Gives the key of everything about one order: `tenant:store:order`, e.g. `acme:nordic-shop:727`.
 * Any ":" or "%" inside a part is percent-escaped (`%3A`, `%25`); empty parts throw.
 */
export function orderKey(ref: { tenantId: string; storeId: string; orderId: string }): string {
  return keyOf('orderKey', [
    ['tenantId', ref.tenantId],
    ['storeId', ref.storeId],
    ['orderId', ref.orderId],
  ]);
}

/**
 * Gives the key of one customer record: `tenant:store:customer` for a store's customer, or
 * `tenant:erp:connection:customer` for an ERP's. Exactly one of `storeId` and `erpConnectionId` must be set.
 */
export function customerKey(ref: { tenantId: string; customerId: string; storeId?: string | null; erpConnectionId?: string | null }): string {
  const inStore = ref.storeId !== null && ref.storeId !== undefined;
  const inErp = ref.erpConnectionId !== null && ref.erpConnectionId !== undefined;
  if (inStore === inErp) {
    throw new Error('customerKey: set exactly one of storeId (a store customer) and erpConnectionId (an ERP customer)');
  }
  return inStore
    ? keyOf('customerKey', [
        ['tenantId', ref.tenantId],
        ['storeId', ref.storeId],
        ['customerId', ref.customerId],
      ])
    : keyOf('customerKey', [
        ['tenantId', ref.tenantId],
        ['source', 'erp'],
        ['erpConnectionId', ref.erpConnectionId],
        ['customerId', ref.customerId],
      ]);
}

/**
 * Gives the key of a product family: `tenant:store:product`. Variations use their parent's productId, so a
 * variable product and its variations stay in order on one partition.
 */
export function productKey(ref: { tenantId: string; storeId: string; productId: string }): string {
  return keyOf('productKey', [
    ['tenantId', ref.tenantId],
    ['storeId', ref.storeId],
    ['productId', ref.productId],
  ]);
}

/** Gives the key of a tenant's SKU across all ERP warehouses: `tenant:sku`, e.g. `acme:TS-ORG-001`. */
export function stockKey(tenantId: string, sku: string): string {
  return keyOf('stockKey', [
    ['tenantId', tenantId],
    ['sku', sku],
  ]);
}

/** Gives the key of everything about one store as a whole (its stock requests and reports): `tenant:store`. */
export function storeKey(tenantId: string, storeId: string): string {
  return keyOf('storeKey', [
    ['tenantId', tenantId],
    ['storeId', storeId],
  ]);
}

/** Gives the key of one payout's bookings: `tenant:provider:payout`, e.g. `acme:stripe:po_1OaB`. */
export function payoutKey(ref: { tenantId: string; provider: string; payoutId: string }): string {
  return keyOf('payoutKey', [
    ['tenantId', ref.tenantId],
    ['provider', ref.provider],
    ['payoutId', ref.payoutId],
  ]);
}

/**
 * Gives the key of one configuration record: `tenant:kind:subject`, e.g. `acme:store:nordic-shop`. The config topic
 * is compacted on it, so the latest record per key is what a service materialises.
 */
export function configKey(tenantId: string, kind: string, subjectId: string): string {
  return keyOf('configKey', [
    ['tenantId', tenantId],
    ['kind', kind],
    ['subjectId', subjectId],
  ]);
}
