import { refund1290, refund726 } from '../__fixtures__/woocommerce';
import { violationOf } from '../__fixtures__/violations';
import { envelope, parseEnvelope } from '../envelope';
import { OrderCancelled } from './order-cancelled.v1';
import { OrderRefunded } from './order-refunded.v1';

const ctx = (refund: OrderRefunded) => ({ tenantId: refund.orderRef.tenantId, storeId: refund.orderRef.storeId });

describe('order.refunded v1', () => {
  it('accepts a line refund of one tote bag with its tax, pointing at the original order line', () => {
    const env = envelope.of(new OrderRefunded(refund1290()), ctx(refund1290()));

    const parsed = parseEnvelope(JSON.stringify(env)).payload as OrderRefunded;

    expect(parsed.lines[0]).toMatchObject({ orderLineId: '902', quantity: '1', totalTax: { amount: '2.00', currency: 'EUR' } });
  });

  it('accepts an amount-only refund without lines', () => {
    expect(() => envelope.of(new OrderRefunded(refund726()), ctx(refund726()))).not.toThrow();
  });

  it("rejects WooCommerce's negative refund line values and says to flip the sign", () => {
    const refund = refund1290();
    refund.lines[0].total = { amount: '-10.50', currency: 'EUR' };

    const error = violationOf(() => envelope.of(new OrderRefunded(refund), ctx(refund)));

    expect(error.problems).toEqual([
      `payload.lines[0].total: must be zero or more (refund amounts are positive; flip the sign of the store's negative refund values) (got {"amount":"-10.50","currency":"EUR"})`,
    ]);
  });

  it('rejects amountOnly when the refund does name lines', () => {
    const refund = { ...refund1290(), amountOnly: true };

    const error = violationOf(() => envelope.of(new OrderRefunded(refund), ctx(refund)));

    expect(error.problems).toEqual(['payload.amountOnly: must be true exactly when lines, shippingLines and feeLines are all empty (got true)']);
  });

  it('names the refund and its order for the operator', () => {
    const refund = { ...refund1290(), currency: 'SEK' };

    const error = violationOf(() => envelope.of(new OrderRefunded(refund), ctx(refund)));

    expect(error.operatorMessage).toContain('for refund 1290 of order 1287 (tenant "acme", store "de-store")');
    expect(error.problems[0]).toBe(
      'payload.amount.currency: is "EUR" but the event is in "SEK" (payload.currency); every amount in one event must use that currency',
    );
  });
});

describe('order.cancelled v1', () => {
  it('accepts an order reference with a reason and the cancellation time', () => {
    const event = new OrderCancelled({
      orderRef: { tenantId: 'acme', storeId: 'us-store', orderId: '727', orderNumber: '727' },
      reason: null,
      cancelledAt: '2017-03-23T10:00:00.000Z',
    });

    expect(envelope.of(event, { tenantId: 'acme', storeId: 'us-store' }).type).toBe('order.cancelled');
  });

  it('rejects a cancellation without order reference', () => {
    const event = new OrderCancelled({ reason: 'fraud', cancelledAt: '2017-03-23T10:00:00.000Z' } as OrderCancelled);

    const error = violationOf(() => envelope.of(event, { tenantId: 'acme', storeId: 'us-store' }));

    expect(error.problems).toEqual([
      'payload.orderRef: is missing; it must be an object like {"tenantId": "...", "storeId": "...", "orderId": "727", "orderNumber": "727"}',
    ]);
  });
});
