import { ControlConfigPublished } from './control/control-config-published.v1';
import { CustomerUpserted } from './customers/customer-upserted.v1';
import { ErpDocumentRecorded } from './erp-documents/erp-document-recorded.v1';
import { StoreStockApplied } from './inventory/store-stock-applied.v1';
import { StoreStockRequested } from './inventory/store-stock-requested.v1';
import { OrderCancelled } from './orders/order-cancelled.v1';
import { OrderPlaced } from './orders/order-placed.v1';
import { OrderRefunded } from './orders/order-refunded.v1';
import { OrderUpdated } from './orders/order-updated.v1';
import { PayoutBookingRequested } from './payouts/payout-booking-requested.v1';
import { ProductUpserted } from './products/product-upserted.v1';
import { StockLevelChanged } from './stock-levels/stock-level-changed.v1';
import { readPath } from './validation/read-path';

/** A canonical event class: its instances are payloads, its statics name the event. */
export interface CanonicalEventClass<T extends object = object> {
  new (...args: never[]): T;
  /** The event type, e.g. `'order.placed'`. */
  readonly type: string;
  /** The major schema version; a breaking change makes a new class with the next number. */
  readonly schemaVersion: number;
}

/** What the envelope checks need to know about one event, beyond its payload schema. */
export interface EventDefinition {
  eventClass: CanonicalEventClass;
  /** Payload path whose value the envelope's `tenantId` must equal. */
  tenantPath: string;
  /** Payload path whose value (a store id, or null) the envelope's `storeId` must equal; null: the event belongs to no store. */
  storePath: string | null;
  /** Payload path of the currency every amount in the event must use; absent for events without money. */
  currencyPath?: string;
  /**
   * Payload paths of amounts that carry a currency of their own and are exempt from the one-currency check, e.g. a
   * booked document's amount in the document's currency when the payout was converted.
   */
  ownCurrencyPaths?: readonly string[];
  /** Names the business object for operators, e.g. `order 727`; reads defensively because the payload may be invalid. */
  describe(payload: unknown): string | undefined;
}

const text = (payload: unknown, path: string): string | undefined => {
  const value = readPath(payload, path);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

const describeOrderAt =
  (refPath: string) =>
  (payload: unknown): string | undefined => {
    const order = text(payload, `${refPath}.orderNumber`) ?? text(payload, `${refPath}.orderId`);
    return order && `order ${order}`;
  };
const describeOrder = describeOrderAt('orderRef');

// Adding an event: write its class under src/<stream>/, add it here and give it a route in topics.ts.
const definitions: readonly EventDefinition[] = [
  {
    eventClass: OrderPlaced,
    tenantPath: 'order.orderRef.tenantId',
    storePath: 'order.orderRef.storeId',
    currencyPath: 'order.currency',
    describe: describeOrderAt('order.orderRef'),
  },
  {
    eventClass: OrderUpdated,
    tenantPath: 'order.orderRef.tenantId',
    storePath: 'order.orderRef.storeId',
    currencyPath: 'order.currency',
    describe: describeOrderAt('order.orderRef'),
  },
  {
    eventClass: OrderRefunded,
    tenantPath: 'orderRef.tenantId',
    storePath: 'orderRef.storeId',
    currencyPath: 'currency',
    describe: (payload) => {
      const refund = text(payload, 'refundId');
      const order = describeOrder(payload);
      return refund && order ? `refund ${refund} of ${order}` : order;
    },
  },
  { eventClass: OrderCancelled, tenantPath: 'orderRef.tenantId', storePath: 'orderRef.storeId', describe: describeOrder },
  {
    eventClass: CustomerUpserted,
    tenantPath: 'customerRef.tenantId',
    storePath: 'customerRef.storeId',
    describe: (payload) => {
      const id = text(payload, 'customerRef.customerId');
      return id && `customer ${id}`;
    },
  },
  {
    eventClass: ProductUpserted,
    tenantPath: 'productRef.tenantId',
    storePath: 'productRef.storeId',
    currencyPath: 'currency',
    describe: (payload) => {
      const id = text(payload, 'productRef.productId');
      const variation = text(payload, 'variationId');
      return id && (variation ? `product ${id} variation ${variation}` : `product ${id}`);
    },
  },
  {
    eventClass: StockLevelChanged,
    tenantPath: 'tenantId',
    storePath: null,
    describe: (payload) => {
      const sku = text(payload, 'sku');
      return sku && `SKU "${sku}"`;
    },
  },
  {
    eventClass: ErpDocumentRecorded,
    tenantPath: 'orderRef.tenantId',
    storePath: 'orderRef.storeId',
    currencyPath: 'currency',
    describe: (payload) => {
      const number = text(payload, 'documentNumber');
      const kind = text(payload, 'kind') ?? 'document';
      const order = describeOrder(payload);
      return number && order ? `${kind} ${number} of ${order}` : order;
    },
  },
  {
    eventClass: StoreStockRequested,
    tenantPath: 'tenantId',
    storePath: 'storeId',
    describe: (payload) => {
      const id = text(payload, 'requestId');
      return id && `stock request ${id}`;
    },
  },
  {
    eventClass: StoreStockApplied,
    tenantPath: 'tenantId',
    storePath: 'storeId',
    describe: (payload) => {
      const id = text(payload, 'requestId');
      return id && `stock report for request ${id}`;
    },
  },
  {
    eventClass: PayoutBookingRequested,
    tenantPath: 'payoutRef.tenantId',
    storePath: null,
    currencyPath: 'currency',
    ownCurrencyPaths: ['document.documentAmount'],
    describe: (payload) => {
      const booking = text(payload, 'bookingId');
      const payout = text(payload, 'payoutRef.payoutId');
      const provider = text(payload, 'payoutRef.provider');
      return booking && payout ? `booking ${booking} of ${provider ?? 'payout'} payout ${payout}` : booking;
    },
  },
  {
    eventClass: ControlConfigPublished,
    tenantPath: 'tenantId',
    storePath: null,
    describe: (payload) => {
      const kind = text(payload, 'kind');
      const subject = text(payload, 'subjectId');
      return kind && subject && `${kind} configuration of "${subject}"`;
    },
  },
];

const byTypeAndVersion = new Map<string, EventDefinition>();
for (const definition of definitions) {
  const id = eventId(definition.eventClass.type, definition.eventClass.schemaVersion);
  if (byTypeAndVersion.has(id)) throw new Error(`@ledgerline/contracts registers ${id} twice; each (type, schemaVersion) needs exactly one class`);
  byTypeAndVersion.set(id, definition);
}

/** Gives the `type@version` string used to key per-event tables. */
export function eventId(type: string, schemaVersion: number): string {
  return `${type}@${schemaVersion}`;
}

/** Gives the definition registered for (type, schemaVersion), or undefined. */
export function definitionFor(type: string, schemaVersion: number): EventDefinition | undefined {
  return byTypeAndVersion.get(eventId(type, schemaVersion));
}

/** Gives the definition registered for exactly this class (a subclass or look-alike does not count), or undefined. */
export function definitionForClass(candidate: unknown): EventDefinition | undefined {
  return definitions.find((definition) => definition.eventClass === candidate);
}

/** Gives every registered canonical event class (each has static `type` and `schemaVersion`), in a stable order. */
export function registeredEvents(): ReadonlyArray<CanonicalEventClass> {
  return definitions.map((definition) => definition.eventClass);
}
