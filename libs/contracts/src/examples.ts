import type { CanonicalOrder } from './orders/canonical-order.v1';

const sek = (amount: string) => ({ amount, currency: 'SEK' });

/**
 * Gives a valid canonical order (SEK, prices including 25 % VAT, one line, shipping) for demos, benchmarks and tests
 * of the messaging machinery, where the order's content does not matter but its contract must hold.
 */
export function exampleOrder(ref: { tenantId: string; storeId: string; orderId: string; orderNumber?: string }): CanonicalOrder {
  const address = {
    firstName: 'Astrid',
    lastName: 'Lindqvist',
    company: null,
    address1: 'Drottninggatan 1',
    address2: null,
    city: 'Stockholm',
    state: null,
    postcode: '111 51',
    country: 'SE',
    phone: null,
  };
  return {
    orderRef: { tenantId: ref.tenantId, storeId: ref.storeId, orderId: ref.orderId, orderNumber: ref.orderNumber ?? ref.orderId },
    status: 'processing',
    currency: 'SEK',
    pricesIncludeTax: true,
    createdAt: '2026-11-26T09:00:00.000Z',
    modifiedAt: '2026-11-26T09:00:00.000Z',
    customer: { customerId: null, email: 'astrid@example.se', firstName: 'Astrid', lastName: 'Lindqvist', company: null, vatNumber: null, phone: null },
    billingAddress: { ...address },
    shippingAddress: { ...address },
    lines: [
      {
        lineId: '1',
        productId: '10',
        variationId: null,
        sku: 'MUG-BLUE',
        name: 'Blue mug',
        quantity: '2',
        taxClass: null,
        unitPrice: sek('100.00'),
        subtotal: sek('160.00'),
        subtotalTax: sek('40.00'),
        total: sek('160.00'),
        totalTax: sek('40.00'),
        taxes: [{ rateId: '1', total: sek('40.00'), subtotal: sek('40.00') }],
      },
    ],
    shippingLines: [{ lineId: '2', methodId: 'flat_rate', instanceId: '1', title: 'Postnord', total: sek('39.20'), totalTax: sek('9.80'), taxes: [{ rateId: '1', total: sek('9.80'), subtotal: null }] }],
    feeLines: [],
    couponLines: [],
    taxLines: [{ lineId: '3', rateId: '1', rateCode: 'SE-MOMS-1', label: 'Moms', compound: false, ratePercent: '25.0000', taxTotal: sek('40.00'), shippingTaxTotal: sek('9.80') }],
    totals: { discount: sek('0.00'), discountTax: sek('0.00'), shipping: sek('39.20'), shippingTax: sek('9.80'), totalTax: sek('49.80'), total: sek('249.00') },
    paymentMethod: { id: 'stripe', title: 'Card', transactionId: null },
    paidAt: null,
  };
}
