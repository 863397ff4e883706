import { order1287, order727 } from '../__fixtures__/woocommerce';
import { violationOf } from '../__fixtures__/violations';
import { assertValidEnvelope, envelope, parseEnvelope } from '../envelope';
import type { CanonicalOrder } from './canonical-order.v1';
import { OrderPlaced } from './order-placed.v1';
import { OrderUpdated } from './order-updated.v1';

function problemsOf(order: CanonicalOrder): string[] {
  const { tenantId, storeId } = order.orderRef;
  return violationOf(() => envelope.of(new OrderPlaced({ order }), { tenantId, storeId })).problems;
}

/** Puts a damaged JSON copy of a valid order through parseEnvelope, as a consumer would receive it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the copy is damaged on purpose, past what its type allows
function problemsOfJson(damage: (order: Record<string, any>) => void): string[] {
  const env = JSON.parse(JSON.stringify(envelope.of(new OrderPlaced({ order: order727() }), { tenantId: 'acme', storeId: 'us-store' })));
  damage(env.payload.order);
  return violationOf(() => parseEnvelope(JSON.stringify(env))).problems;
}

describe('order.placed v1', () => {
  it('accepts order 727 from the WooCommerce docs (USD, guest, prices excluding tax)', () => {
    const env = envelope.of(new OrderPlaced({ order: order727() }), { tenantId: 'acme', storeId: 'us-store' });

    expect(parseEnvelope(JSON.stringify(env)).payload).toEqual(new OrderPlaced({ order: order727() }));
  });

  it('accepts order 1287 with coupon, fee, shipping tax, 19 % VAT and a Stripe transaction', () => {
    expect(() => envelope.of(new OrderPlaced({ order: order1287() }), { tenantId: 'acme', storeId: 'de-store' })).not.toThrow();
  });

  it('accepts a subscription renewal marker', () => {
    const order = { ...order727(), metadata: { subscriptionRenewal: { subscriptionId: '4711' } } };

    expect(() => envelope.of(new OrderPlaced({ order }), { tenantId: 'acme', storeId: 'us-store' })).not.toThrow();
  });

  it('rejects a float amount and names the field', () => {
    expect(problemsOfJson((order) => (order.lines[1].total.amount = 12))).toEqual([
      'payload.order.lines[1].total.amount: must be a decimal string with at most 4 fraction digits, like "12.50" (got number 12)',
    ]);
  });

  it('rejects a bare number where an amount object belongs', () => {
    expect(problemsOfJson((order) => (order.totals.total = 29.35))).toEqual([
      'payload.order.totals.total: must be an amount object like {"amount": "12.50", "currency": "EUR"} (got number 29.35)',
    ]);
  });

  it('rejects amounts with more than 4 fraction digits', () => {
    expect(problemsOfJson((order) => (order.lines[0].taxes[0].total.amount = '0.833333'))).toEqual([
      'payload.order.lines[0].taxes[0].total.amount: must be a decimal string with at most 4 fraction digits, like "12.50" (got "0.833333")',
    ]);
  });

  it('rejects a line amount in another currency than the order', () => {
    const order = order727();
    order.lines[0].total = { amount: '6.00', currency: 'EUR' };

    expect(problemsOf(order)).toEqual([
      'payload.order.lines[0].total.currency: is "EUR" but the event is in "USD" (payload.order.currency); every amount in one event must use that currency',
    ]);
  });

  it('rejects an order without customer email', () => {
    expect(problemsOfJson((order) => delete order.customer.email)).toEqual([
      'payload.order.customer.email: is missing; it must be an email address, like "jane@example.com"',
    ]);
  });

  it('rejects an empty string where the convention is null', () => {
    const order = order727();
    order.customer.company = '';

    expect(problemsOf(order)).toEqual(['payload.order.customer.company: must be a non-empty string, or null (got "")']);
  });

  it('refuses, when produced, a field the contract does not have, naming the event and version', () => {
    const env = JSON.parse(JSON.stringify(envelope.of(new OrderPlaced({ order: order727() }), { tenantId: 'acme', storeId: 'us-store' })));
    env.payload.order.lines[0].price = 3;
    expect(violationOf(() => assertValidEnvelope(env)).problems).toEqual([
      'payload.order.lines[0].price: is not part of order.placed v1; remove it, or add the field to the contract in libs/contracts first (additive fields stay in v1)',
    ]);
  });

  it('rejects a WooCommerce site-local date without time zone', () => {
    expect(problemsOfJson((order) => (order.modifiedAt = '2017-03-22T16:28:08'))).toEqual([
      'payload.order.modifiedAt: must be a UTC timestamp as written by Date.toISOString(), like "2024-06-10T07:01:44.000Z" (got "2017-03-22T16:28:08")',
    ]);
  });

  it('rejects a lower-case country and a number as store id', () => {
    expect(
      problemsOfJson((order) => {
        order.billingAddress.country = 'us';
        order.lines[0].productId = 93;
      }),
    ).toEqual([
      'payload.order.billingAddress.country: must be an ISO 3166-1 alpha-2 country code in upper case, like "SE" (got "us")',
      'payload.order.lines[0].productId: must be a non-empty string, or null (got number 93)',
    ]);
  });

  it('lists every problem of one event in a single error that names the event type and id', () => {
    const env = JSON.parse(JSON.stringify(envelope.of(new OrderPlaced({ order: order727() }), { tenantId: 'acme', storeId: 'us-store' })));
    env.payload.order.lines[1].total.amount = 12.0;
    env.payload.order.taxLines[0].taxTotal.currency = 'usd';
    env.payload.order.shippingLines = 'flat_rate';

    const error = violationOf(() => parseEnvelope(JSON.stringify(env)));

    expect(error.problems).toHaveLength(3);
    expect(error.message.split('\n')).toEqual([
      `order.placed ${env.id} payload.order.lines[1].total.amount: must be a decimal string with at most 4 fraction digits, like "12.50" (got number 12)`,
      `order.placed ${env.id} payload.order.shippingLines: must be a list of shipping lines (got "flat_rate")`,
      `order.placed ${env.id} payload.order.taxLines[0].taxTotal.currency: must be an ISO 4217 currency code of three upper-case letters, like "EUR" (got "usd")`,
    ]);
  });

  it('rejects a non-object item in a list with its index', () => {
    expect(problemsOfJson((order) => order.couponLines.push('tshirt5'))).toEqual(['payload.order.couponLines[0]: must be a coupon line object (got "tshirt5")']);
  });
});

describe('order.updated v1', () => {
  it('carries the same canonical order as order.placed', () => {
    const env = envelope.of(new OrderUpdated({ order: order1287() }), { tenantId: 'acme', storeId: 'de-store' });

    expect(env.type).toBe('order.updated');
    expect(parseEnvelope(JSON.stringify(env)).payload).toEqual(new OrderUpdated({ order: order1287() }));
  });
});
