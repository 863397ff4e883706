// Canonical payloads transcribed by hand from the WooCommerce contract files in ../shared/contracts/woocommerce/
// (read 2024 docs + constructed examples; see SOURCE.md there). Test-only: not exported from the library.
// Mapping applied, as store-gateway's mappers will: `*_gmt` dates + "Z", "" -> null, ids as strings,
// customer_id 0 -> null, refund line signs flipped, HTML entities decoded.
import type { CanonicalOrder } from '../orders/canonical-order.v1';
import type { OrderRefunded } from '../orders/order-refunded.v1';
import type { CustomerUpserted } from '../customers/customer-upserted.v1';
import type { ProductUpserted } from '../products/product-upserted.v1';
import type { StockLevelChanged } from '../stock-levels/stock-level-changed.v1';

export const TENANT = 'acme';
export const US_STORE = 'us-store';
export const DE_STORE = 'de-store';

const usd = (amount: string) => ({ amount, currency: 'USD' });
const eur = (amount: string) => ({ amount, currency: 'EUR' });

/** order.json: order 727, USD, guest, prices excluding tax, one tax rate, flat-rate shipping. */
export function order727(): CanonicalOrder {
  const address = {
    firstName: 'John',
    lastName: 'Doe',
    company: null,
    address1: '969 Market',
    address2: null,
    city: 'San Francisco',
    state: 'CA',
    postcode: '94103',
    country: 'US',
  };
  return {
    orderRef: { tenantId: TENANT, storeId: US_STORE, orderId: '727', orderNumber: '727' },
    status: 'processing',
    currency: 'USD',
    pricesIncludeTax: false,
    createdAt: '2017-03-22T19:28:02.000Z',
    modifiedAt: '2017-03-22T19:28:08.000Z',
    customer: {
      customerId: null,
      email: 'john.doe@example.com',
      firstName: 'John',
      lastName: 'Doe',
      company: null,
      vatNumber: null,
      phone: '(555) 555-5555',
    },
    billingAddress: { ...address, phone: '(555) 555-5555' },
    shippingAddress: { ...address, phone: null },
    lines: [
      {
        lineId: '315',
        productId: '93',
        variationId: null,
        sku: null,
        name: 'Woo Single #1',
        quantity: '2',
        taxClass: null,
        unitPrice: usd('3'),
        subtotal: usd('6.00'),
        subtotalTax: usd('0.45'),
        total: usd('6.00'),
        totalTax: usd('0.45'),
        taxes: [{ rateId: '75', total: usd('0.45'), subtotal: usd('0.45') }],
      },
      {
        lineId: '316',
        productId: '22',
        variationId: '23',
        sku: 'Bar3',
        name: 'Ship Your Idea – Color: Black, Size: M Test',
        quantity: '1',
        taxClass: null,
        unitPrice: usd('12'),
        subtotal: usd('12.00'),
        subtotalTax: usd('0.90'),
        total: usd('12.00'),
        totalTax: usd('0.90'),
        taxes: [{ rateId: '75', total: usd('0.9'), subtotal: usd('0.9') }],
      },
    ],
    shippingLines: [
      { lineId: '317', methodId: 'flat_rate', instanceId: null, title: 'Flat Rate', total: usd('10.00'), totalTax: usd('0.00'), taxes: [] },
    ],
    feeLines: [],
    couponLines: [],
    taxLines: [
      {
        lineId: '318',
        rateId: '75',
        rateCode: 'US-CA-STATE TAX',
        label: 'State Tax',
        compound: false,
        ratePercent: null, // order.json (docs example) has no rate_percent
        taxTotal: usd('1.35'),
        shippingTaxTotal: usd('0.00'),
      },
    ],
    totals: {
      discount: usd('0.00'),
      discountTax: usd('0.00'),
      shipping: usd('10.00'),
      shippingTax: usd('0.00'),
      totalTax: usd('1.35'),
      total: usd('29.35'),
    },
    paymentMethod: { id: 'bacs', title: 'Direct Bank Transfer', transactionId: null },
    paidAt: '2017-03-22T19:28:08.000Z',
  };
}

/** order-constructed-fees-coupons-refund.json: order 1287, EUR, prices including 19 % VAT, coupon, fee, Stripe. */
export function order1287(): CanonicalOrder {
  const address = {
    firstName: 'Erika',
    lastName: 'Mustermann',
    company: null,
    address1: 'Heidestrasse 17',
    address2: null,
    city: 'Koeln',
    state: null,
    postcode: '51147',
    country: 'DE',
    phone: null,
  };
  return {
    orderRef: { tenantId: TENANT, storeId: DE_STORE, orderId: '1287', orderNumber: '1287' },
    status: 'completed',
    currency: 'EUR',
    pricesIncludeTax: true,
    createdAt: '2024-06-03T12:12:09.000Z',
    modifiedAt: '2024-06-10T07:01:44.000Z',
    customer: {
      customerId: '57',
      email: 'erika.mustermann@example.com',
      firstName: 'Erika',
      lastName: 'Mustermann',
      company: null,
      vatNumber: null,
      phone: null,
    },
    billingAddress: { ...address },
    shippingAddress: { ...address },
    lines: [
      {
        lineId: '901',
        productId: '101',
        variationId: null,
        sku: 'TS-ORG-001',
        name: 'Organic Cotton T-Shirt',
        quantity: '2',
        taxClass: null,
        unitPrice: eur('14.695'),
        subtotal: eur('33.60'),
        subtotalTax: eur('6.38'),
        total: eur('29.39'),
        totalTax: eur('5.59'),
        taxes: [{ rateId: '1', total: eur('5.59'), subtotal: eur('6.38') }],
      },
      {
        lineId: '902',
        productId: '202',
        variationId: '205',
        sku: 'TOTE-CV-NAT',
        name: 'Canvas Tote Bag - Natural',
        quantity: '1',
        taxClass: null,
        unitPrice: eur('10.5'),
        subtotal: eur('10.50'),
        subtotalTax: eur('2.00'),
        total: eur('10.50'),
        totalTax: eur('2.00'),
        taxes: [{ rateId: '1', total: eur('2'), subtotal: eur('2') }],
      },
    ],
    shippingLines: [
      {
        lineId: '903',
        methodId: 'flat_rate',
        instanceId: '3',
        title: 'Flat rate',
        total: eur('4.12'),
        totalTax: eur('0.78'),
        taxes: [{ rateId: '1', total: eur('0.78'), subtotal: null }],
      },
    ],
    feeLines: [
      {
        lineId: '904',
        name: 'Gift wrapping',
        taxClass: null,
        taxStatus: 'taxable',
        total: eur('2.00'),
        totalTax: eur('0.38'),
        taxes: [{ rateId: '1', total: eur('0.38'), subtotal: null }],
      },
    ],
    couponLines: [{ lineId: '906', code: 'tshirt5', discount: eur('4.21'), discountTax: eur('0.79'), discountType: 'fixed_product' }],
    taxLines: [
      {
        lineId: '905',
        rateId: '1',
        rateCode: 'DE-MWST.-1',
        label: 'MwSt.',
        compound: false,
        ratePercent: '19',
        taxTotal: eur('7.97'),
        shippingTaxTotal: eur('0.78'),
      },
    ],
    totals: {
      discount: eur('4.21'),
      discountTax: eur('0.79'),
      shipping: eur('4.12'),
      shippingTax: eur('0.78'),
      totalTax: eur('8.75'),
      total: eur('54.76'),
    },
    paymentMethod: { id: 'stripe', title: 'Credit / Debit Card', transactionId: 'ch_3PNa1b2C3d4E5f6G0x1y2z3A' },
    paidAt: '2024-06-03T12:12:15.000Z',
  };
}

/** order-refund-constructed-with-line-items.json: refund 1290 of order 1287, one tote bag back, paid out via Stripe. */
export function refund1290(): OrderRefunded {
  return {
    refundId: '1290',
    orderRef: { tenantId: TENANT, storeId: DE_STORE, orderId: '1287', orderNumber: '1287' },
    currency: 'EUR',
    createdAt: '2024-06-10T07:01:40.000Z',
    amount: eur('12.50'),
    reason: 'Returned item',
    amountOnly: false,
    refundedPayment: true,
    lines: [
      {
        lineId: '1291',
        orderLineId: '902',
        productId: '202',
        variationId: '205',
        sku: 'TOTE-CV-NAT',
        name: 'Canvas Tote Bag - Natural',
        quantity: '1',
        total: eur('10.50'),
        totalTax: eur('2.00'),
        taxes: [{ rateId: '1', total: eur('2'), subtotal: eur('2') }],
      },
    ],
    shippingLines: [],
    feeLines: [],
  };
}

/** order-refund.json: refund 726 of order 723, amount only, recorded without a gateway refund. */
export function refund726(): OrderRefunded {
  return {
    refundId: '726',
    orderRef: { tenantId: TENANT, storeId: US_STORE, orderId: '723', orderNumber: '723' },
    currency: 'USD',
    createdAt: '2017-03-21T20:07:11.000Z',
    amount: usd('10.00'),
    reason: null,
    amountOnly: true,
    refundedPayment: false,
    lines: [],
    shippingLines: [],
    feeLines: [],
  };
}

/** customer.json: customer 25 of the US store. */
export function customer25(): CustomerUpserted {
  const address = {
    firstName: 'John',
    lastName: 'Doe',
    company: null,
    address1: '969 Market',
    address2: null,
    city: 'San Francisco',
    state: 'CA',
    postcode: '94103',
    country: 'US',
  };
  return {
    customerRef: { tenantId: TENANT, sourceSystem: 'woocommerce', storeId: US_STORE, erpConnectionId: null, customerId: '25' },
    email: 'john.doe@example.com',
    firstName: 'John',
    lastName: 'Doe',
    company: null,
    vatNumber: null,
    orgNumber: null,
    phone: '(555) 555-5555',
    billingAddress: { ...address, phone: '(555) 555-5555' },
    shippingAddress: { ...address, phone: null },
    modifiedAt: '2017-03-21T19:09:30.000Z',
  };
}

/** product.json: simple product 794, no SKU, not on sale, stock not managed. */
export function product794(): ProductUpserted {
  return {
    productRef: { tenantId: TENANT, storeId: US_STORE, productId: '794' },
    variationId: null,
    parentId: null,
    sku: null,
    name: 'Premium Quality',
    type: 'simple',
    status: 'publish',
    currency: 'USD',
    price: usd('21.99'),
    regularPrice: usd('21.99'),
    salePrice: null,
    taxClass: null,
    manageStock: false,
    stockQuantity: null,
    modifiedAt: '2017-03-23T20:01:14.000Z',
  };
}

/** product-variation.json: variation 732 of variable product 22. */
export function variation732(): ProductUpserted {
  return {
    productRef: { tenantId: TENANT, storeId: US_STORE, productId: '22' },
    variationId: '732',
    parentId: '22',
    sku: null,
    name: 'Ship Your Idea – Color: Black',
    type: 'variation',
    status: 'publish',
    currency: 'USD',
    price: usd('9.00'),
    regularPrice: usd('9.00'),
    salePrice: null,
    taxClass: null,
    manageStock: false,
    stockQuantity: null,
    modifiedAt: '2017-03-23T03:36:38.000Z',
  };
}

/** A Fortnox stock read for the T-shirt of order 1287 (no WooCommerce source: the ERP is stock master). */
export function stockLevel(): StockLevelChanged {
  return {
    tenantId: TENANT,
    sku: 'TS-ORG-001',
    warehouseCode: 'MAIN',
    quantity: '12',
    reserved: '2',
    erp: 'fortnox',
    erpConnectionId: 'fortnox-1',
    readAt: '2024-06-10T08:00:00.000Z',
  };
}
