import { erpInvoice, feeBooking, stockReport, stockRequest } from './__fixtures__/events';
import { customer25, order727, product794, refund1290, stockLevel, variation732 } from './__fixtures__/woocommerce';
import { violationOf } from './__fixtures__/violations';
import { ControlConfigPublished } from './control/control-config-published.v1';
import { CustomerUpserted } from './customers/customer-upserted.v1';
import { envelope } from './envelope';
import { OrderCancelled } from './orders/order-cancelled.v1';
import { OrderPlaced } from './orders/order-placed.v1';
import { OrderRefunded } from './orders/order-refunded.v1';
import { OrderUpdated } from './orders/order-updated.v1';
import { ProductUpserted } from './products/product-upserted.v1';
import { registeredEvents } from './registry';
import { StockLevelChanged } from './stock-levels/stock-level-changed.v1';
import { Topics, configKey, consumerGroup, customerKey, deploymentTopic, keyFor, orderKey, productKey, stockKey, topicFor, withSuffix } from './topics';

describe('Topics', () => {
  it('names every topic ledgerline.<context>.<stream>.v<major>', () => {
    for (const topic of Object.values(Topics)) expect(topic).toMatch(/^ledgerline\.[a-z]+\.[a-z-]+\.v[1-9][0-9]*$/);
  });
});

describe('topicFor', () => {
  it('gives every registered event a topic', () => {
    for (const eventClass of registeredEvents()) {
      expect(Object.values(Topics)).toContain(topicFor(eventClass.type, eventClass.schemaVersion));
    }
  });

  it('puts everything about an order on the one orders stream', () => {
    expect(['order.placed', 'order.updated', 'order.refunded', 'order.cancelled'].map((type) => topicFor(type))).toEqual(
      Array(4).fill('ledgerline.store.orders.v1'),
    );
  });

  it('routes customers, products and ERP stock levels to their own streams', () => {
    expect(topicFor('customer.upserted')).toBe('ledgerline.store.customers.v1');
    expect(topicFor('product.upserted')).toBe('ledgerline.store.products.v1');
    expect(topicFor('stock-level.changed')).toBe('ledgerline.erp.stock-levels.v1');
  });

  it('refuses an unknown event type or version', () => {
    expect(violationOf(() => topicFor('order.shipped')).code).toBe('CONTRACT_EVENT_TYPE_UNKNOWN');
    expect(violationOf(() => topicFor('order.placed', 2)).problems[0]).toMatch(/^type: order\.placed v2 has no topic; known events are order\.placed v1, /);
  });
});

describe('key builders', () => {
  it('colon-joins tenant, store and order', () => {
    expect(orderKey({ tenantId: 'acme', storeId: 'us-store', orderId: '727' })).toBe('acme:us-store:727');
  });

  it('percent-escapes colons and percent signs inside parts, so keys stay unique and splittable', () => {
    expect(stockKey('acme', 'BOLT:M6%')).toBe('acme:BOLT%3AM6%25');
    expect(stockKey('acme', 'BOLT%3AM6')).not.toBe(stockKey('acme', 'BOLT:M6'));
  });

  it('refuses an empty or missing part, naming it', () => {
    expect(() => orderKey({ tenantId: 'acme', storeId: '', orderId: '727' })).toThrow('orderKey: storeId must be a non-empty string (got "")');
    expect(() => stockKey('acme', undefined as unknown as string)).toThrow('stockKey: sku must be a non-empty string (got nothing)');
  });

  it('keys store customers by store and ERP customers by ERP connection', () => {
    expect(customerKey({ tenantId: 'acme', storeId: 'us-store', customerId: '25' })).toBe('acme:us-store:25');
    expect(customerKey({ tenantId: 'acme', erpConnectionId: 'fortnox-1', customerId: '1042' })).toBe('acme:erp:fortnox-1:1042');
    expect(() => customerKey({ tenantId: 'acme', customerId: '25' })).toThrow('set exactly one of storeId');
  });

  it('keys a product family by its parent product', () => {
    expect(productKey({ tenantId: 'acme', storeId: 'us-store', productId: '22' })).toBe('acme:us-store:22');
  });
});

describe('keyFor', () => {
  const order = (ctx = { tenantId: 'acme', storeId: 'us-store' }) => ctx;

  it('derives the order key from the payload of every order event', () => {
    const refund = refund1290();
    const cancelled = new OrderCancelled({ orderRef: order727().orderRef, reason: null, cancelledAt: '2017-03-23T10:00:00.000Z' });

    expect(keyFor(envelope.of(new OrderPlaced({ order: order727() }), order()))).toBe('acme:us-store:727');
    expect(keyFor(envelope.of(new OrderUpdated({ order: order727() }), order()))).toBe('acme:us-store:727');
    expect(keyFor(envelope.of(cancelled, order()))).toBe('acme:us-store:727');
    expect(keyFor(envelope.of(new OrderRefunded(refund), { tenantId: 'acme', storeId: 'de-store' }))).toBe('acme:de-store:1287');
  });

  it('derives customer, product and stock keys from their payloads', () => {
    expect(keyFor(envelope.of(new CustomerUpserted(customer25()), order()))).toBe('acme:us-store:25');
    expect(keyFor(envelope.of(new ProductUpserted(product794()), order()))).toBe('acme:us-store:794');
    expect(keyFor(envelope.of(new ProductUpserted(variation732()), order()))).toBe('acme:us-store:22');
    expect(keyFor(envelope.of(new StockLevelChanged(stockLevel()), { tenantId: 'acme', storeId: null }))).toBe('acme:TS-ORG-001');
  });

  it('gives every registered event a key', () => {
    const samples = [
      new OrderPlaced({ order: order727() }),
      new OrderUpdated({ order: order727() }),
      new OrderRefunded({ ...refund1290(), orderRef: order727().orderRef, currency: 'EUR' }),
      new OrderCancelled({ orderRef: order727().orderRef, reason: null, cancelledAt: '2017-03-23T10:00:00.000Z' }),
      new CustomerUpserted(customer25()),
      new ProductUpserted(product794()),
      new StockLevelChanged(stockLevel()),
      erpInvoice(),
      stockRequest(),
      stockReport(),
      feeBooking(),
      new ControlConfigPublished({
        tenantId: 'acme',
        kind: 'store',
        subjectId: 'us-store',
        version: 1,
        deleted: false,
        data: { flows: { orders: true } },
        changedBy: 'ops@acme.example',
        publishedAt: '2026-11-26T10:00:00.000Z',
      }),
    ];
    expect(samples.map((sample) => sample.constructor)).toEqual([...registeredEvents()]);
    for (const sample of samples) {
      const storeId = sample instanceof StockLevelChanged || sample instanceof ControlConfigPublished || sample === samples.at(-2) ? null : 'us-store';
      expect(keyFor(envelope.of(sample, { tenantId: 'acme', storeId }))).toMatch(/^acme:/);
    }
  });
});

describe('configKey', () => {
  it('keys a configuration record tenant:kind:subject, escaping ":" inside parts', () => {
    expect(configKey('acme', 'store', 'nordic-shop')).toBe('acme:store:nordic-shop');
    expect(configKey('acme', 'mappings', 'fortnox:1')).toBe('acme:mappings:fortnox%3A1');
    expect(() => configKey('acme', 'store', '')).toThrow('subjectId must be a non-empty string');
  });
});

describe('withSuffix', () => {
  it('appends a test suffix to a registered topic', () => {
    expect(withSuffix(Topics.storeOrders, 't-abc123')).toBe('ledgerline.store.orders.v1.t-abc123');
  });

  it('refuses names that are not in the registry and suffixes Kafka would reject', () => {
    expect(() => withSuffix('ledgerline.store.orderz.v1' as typeof Topics.storeOrders, 'x')).toThrow('is not a Ledgerline topic');
    expect(() => withSuffix(Topics.storeOrders, 'a b')).toThrow("Kafka's topic alphabet");
    expect(() => withSuffix(Topics.storeOrders, '')).toThrow('must be non-empty');
  });
});

describe('deploymentTopic and consumerGroup', () => {
  it('leave names as they are without a suffix and append the suffix when one is configured', () => {
    expect(deploymentTopic(Topics.storeOrders, '')).toBe('ledgerline.store.orders.v1');
    expect(deploymentTopic(Topics.storeOrders, 't-1')).toBe('ledgerline.store.orders.v1.t-1');
    expect(consumerGroup('connector-fortnox', 'orders')).toBe('ledgerline.connector-fortnox.orders');
    expect(consumerGroup('connector-fortnox', 'orders', 't-1')).toBe('ledgerline.connector-fortnox.orders.t-1');
  });
});
