/* eslint-disable @typescript-eslint/no-explicit-any -- tests read WooCommerce JSON and outbox rows field by field in assertions; typing every shape would only restate the contract files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envelope, OrderPlaced, OrderRefunded } from '@ledgerline/contracts';
import { MappingRefusedError } from './mapping-refused.error';
import { toCanonicalOrder } from './order.mapper';
import { toOrderRefunded } from './refund.mapper';

// Byte copies of ../shared/contracts/woocommerce files (test/fixtures/SOURCE.md), so tests need nothing outside the repo.
const CONTRACTS = join(__dirname, '../../test/fixtures');
const contract = (file: string): any => JSON.parse(readFileSync(join(CONTRACTS, file), 'utf8'));
const US = { tenantId: 'acme', storeId: 'us-store' };
const DE = { tenantId: 'acme', storeId: 'de-store' };

describe('order mapper', () => {
  it('maps order.json (order 727) as the contracts fixture does: gmt dates, guest customer, entities decoded, "" as null', () => {
    const order = toCanonicalOrder(US, contract('order.json'));
    expect(order).toMatchObject({
      orderRef: { tenantId: 'acme', storeId: 'us-store', orderId: '727', orderNumber: '727' },
      status: 'processing',
      createdAt: '2017-03-22T19:28:02.000Z',
      modifiedAt: '2017-03-22T19:28:08.000Z',
      customer: { customerId: null, email: 'john.doe@example.com', company: null, phone: '(555) 555-5555' },
      shippingAddress: { address1: '969 Market', address2: null, phone: null },
      totals: { total: { amount: '29.35', currency: 'USD' }, totalTax: { amount: '1.35', currency: 'USD' } },
      paymentMethod: { id: 'bacs', title: 'Direct Bank Transfer', transactionId: null },
      paidAt: '2017-03-22T19:28:08.000Z',
    });
    expect(order.lines[1]).toEqual({
      lineId: '316', productId: '22', variationId: '23', sku: 'Bar3', name: 'Ship Your Idea \u2013 Color: Black, Size: M Test', quantity: '1', taxClass: null,
      unitPrice: { amount: '12', currency: 'USD' }, subtotal: { amount: '12.00', currency: 'USD' }, subtotalTax: { amount: '0.90', currency: 'USD' },
      total: { amount: '12.00', currency: 'USD' }, totalTax: { amount: '0.90', currency: 'USD' },
      taxes: [{ rateId: '75', total: { amount: '0.9', currency: 'USD' }, subtotal: { amount: '0.9', currency: 'USD' } }],
    });
    expect(order.taxLines[0]).toMatchObject({ rateId: '75', rateCode: 'US-CA-STATE TAX', ratePercent: null });
    // The contract's own validation accepts it.
    expect(() => envelope.of(new OrderPlaced({ order }), US)).not.toThrow();
  });

  it('maps the constructed EUR order (1287) with fee, coupon and shipping tax shares without subtotals', () => {
    const order = toCanonicalOrder(DE, contract('order-constructed-fees-coupons-refund.json'));
    expect(order.shippingLines[0]).toMatchObject({ methodId: 'flat_rate', instanceId: '3', taxes: [{ rateId: '1', total: { amount: '0.78', currency: 'EUR' }, subtotal: null }] });
    expect(order.feeLines[0]).toMatchObject({ name: 'Gift wrapping', taxStatus: 'taxable', total: { amount: '2.00', currency: 'EUR' } });
    expect(order.couponLines[0]).toMatchObject({ code: 'tshirt5', discountType: 'fixed_product' });
    expect(order.lines[0]?.unitPrice).toEqual({ amount: '14.695', currency: 'EUR' });
    expect(order.customer.customerId).toBe('57');
    expect(() => envelope.of(new OrderPlaced({ order }), DE)).not.toThrow();
  });

  it('refuses an order without billing e-mail with a code and a message naming the order and the fix', () => {
    const raw = contract('order.json');
    raw.billing.email = '';
    expect(() => toCanonicalOrder(US, raw)).toThrow(MappingRefusedError);
    try {
      toCanonicalOrder(US, raw);
    } catch (err) {
      expect((err as MappingRefusedError).code).toBe('STORE_ORDER_EMAIL_MISSING');
      expect((err as MappingRefusedError).operatorMessage).toMatch(/^WooCommerce order #727 of store "us-store" \(tenant "acme"\) has no billing e-mail/);
    }
  });
});

describe('refund mapper', () => {
  it('maps refund 1290 of order 1287 with positive amounts and the refunded order line', () => {
    const order = contract('order-constructed-fees-coupons-refund.json');
    const refund = toOrderRefunded(DE, order, contract('order-refund-constructed-with-line-items.json'));
    expect(refund).toMatchObject({
      refundId: '1290',
      orderRef: { orderId: '1287', orderNumber: '1287' },
      amount: { amount: '12.50', currency: 'EUR' },
      reason: 'Returned item',
      amountOnly: false,
      refundedPayment: true,
      createdAt: '2024-06-10T07:01:40.000Z',
    });
    expect(refund.lines).toEqual([
      {
        lineId: '1291', orderLineId: '902', productId: '202', variationId: '205', sku: 'TOTE-CV-NAT', name: 'Canvas Tote Bag - Natural', quantity: '1',
        total: { amount: '10.50', currency: 'EUR' }, totalTax: { amount: '2.00', currency: 'EUR' },
        taxes: [{ rateId: '1', total: { amount: '2', currency: 'EUR' }, subtotal: { amount: '2', currency: 'EUR' } }],
      },
    ]);
    expect(() => envelope.of(new OrderRefunded(refund), DE)).not.toThrow();
  });

  it('maps an amount-only refund (order-refund.json) with amountOnly true', () => {
    const order = { ...contract('order.json'), id: 723, number: '723' };
    const refund = toOrderRefunded(US, order, contract('order-refund.json'));
    expect(refund).toMatchObject({ refundId: '726', amount: { amount: '10.00', currency: 'USD' }, amountOnly: true, lines: [], refundedPayment: false });
  });
});
