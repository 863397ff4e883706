import customer from './__fixtures__/customer.json';
import constructedOrder from './__fixtures__/order-constructed-fees-coupons-refund.json';
import constructedRefund from './__fixtures__/order-refund-constructed-with-line-items.json';
import refundsList from './__fixtures__/order-refunds-list.json';
import ordersList from './__fixtures__/orders-list.json';
import variation from './__fixtures__/product-variation.json';
import product from './__fixtures__/product.json';
import productsBatch from './__fixtures__/products-batch-response.json';
import webhook from './__fixtures__/webhook.json';
import type { WooBatchResponse, WooCustomer, WooOrder, WooProduct, WooRefund, WooVariation, WooWebhook } from './woocommerce.types';

// The assignments are the test that matters: `tsc` fails when a contract payload stops fitting its type.
const orders: WooOrder[] = [constructedOrder, ...ordersList];
const refunds: WooRefund[] = [constructedRefund, ...refundsList];
const products: WooProduct[] = [product];
const variations: WooVariation[] = [variation];
const customers: WooCustomer[] = [customer];
const webhooks: WooWebhook[] = [webhook];
const batch: WooBatchResponse<WooProduct> = productsBatch;

describe('WooCommerce types against the contract payloads', () => {
  it('types line price as a number while money stays in strings and tax arrays keep raw strings', () => {
    const order = orders[0] as WooOrder;
    expect(order.line_items.map((l) => l.price)).toEqual([14.695, 10.5]);
    expect(order.line_items[1]?.taxes[0]?.total).toBe('2');
    expect(order.total).toBe('54.76');
    expect(order.tax_lines[0]?.rate_id).toBe(1);
  });

  it('carries refunds negative inside the order and positive on the refund, with either reason key', () => {
    expect(orders[0]?.refunds).toEqual([{ id: 1290, reason: 'Returned item', total: '-12.50' }]);
    expect(ordersList[1]?.refunds[0]).toEqual({ id: 726, refund: '', total: '-10.00' });
    expect(refunds[0]?.amount).toBe('12.50');
    expect(refunds[0]?.line_items[0]).toMatchObject({ quantity: -1, total: '-10.50', meta_data: [{ key: '_refunded_item_id', value: '902' }] });
  });

  it('keeps dates without an offset, GMT in the _gmt fields', () => {
    for (const o of orders) expect(o.date_modified_gmt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(products[0]?.date_modified_gmt).toBe('2017-03-23T20:01:14');
    expect(variations[0]?.stock_quantity).toBeNull();
    expect(customers[0]?.email).toBe('john.doe@example.com');
    expect(webhooks[0]?.topic).toBe('order.updated');
    expect(batch.delete?.[0]).toMatchObject({ id: 794 });
  });
});
