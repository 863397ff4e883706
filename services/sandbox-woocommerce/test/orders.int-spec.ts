import { startWooSandbox, type WooSandbox } from '../src';
import { basicAuth, rest, type RestAnswer } from './woo-http';

describe('orders and refunds over REST', () => {
  let sandbox: WooSandbox;
  let clock = new Date('2024-06-03T12:00:00Z');
  const get = (path: string): Promise<RestAnswer> => rest(sandbox, 'GET', path);
  const send = (method: string, path: string, body: unknown): Promise<RestAnswer> => rest(sandbox, method, path, body);

  beforeAll(async () => {
    // Site time zone UTC+2, so local and GMT dates differ.
    sandbox = await startWooSandbox({ assumeHttps: true, seed: 11, utcOffsetMinutes: 120, now: () => clock });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('pages with X-WP-Total, X-WP-TotalPages and Link, keeping the query', async () => {
    sandbox.control.generateOrders(25, { webhooks: false, refundShare: 0 });
    const first = await get('orders?per_page=10&orderby=id&order=asc');
    expect(first.headers.get('x-wp-total')).toBe('25');
    expect(first.headers.get('x-wp-totalpages')).toBe('3');
    expect(first.headers.get('link')).toBe(`<${sandbox.apiUrl}/orders?per_page=10&orderby=id&order=asc&page=2>; rel="next"`);
    const second = await get('orders?per_page=10&orderby=id&order=asc&page=2');
    expect(second.headers.get('link')).toBe(`<${sandbox.apiUrl}/orders?per_page=10&orderby=id&order=asc&page=1>; rel="prev", <${sandbox.apiUrl}/orders?per_page=10&orderby=id&order=asc&page=3>; rel="next"`);
    expect(second.json[0].id).toBeGreaterThan(first.json[9].id);
    const offset = await get('orders?per_page=3&offset=10&orderby=id&order=asc');
    expect(offset.json.map((o: { id: number }) => o.id)).toEqual(second.json.slice(0, 3).map((o: { id: number }) => o.id));
  });

  it('defaults to 10 per page, refuses more than 100 with rest_invalid_param, and answers an empty page past the end', async () => {
    sandbox.control.generateOrders(12, { webhooks: false });
    expect((await get('orders')).json).toHaveLength(10);
    const tooMany = await get('orders?per_page=101');
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toEqual({
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): per_page',
      data: {
        status: 400,
        params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
        details: { per_page: { code: 'rest_out_of_bounds', message: 'per_page must be between 1 (inclusive) and 100 (inclusive)', data: null } },
      },
    });
    const past = await get('orders?page=9');
    expect([past.status, past.json]).toEqual([200, []]);
  });

  it('filters by modified_after strictly, in GMT with dates_are_gmt and in site time without', async () => {
    const { json: a } = await send('POST', 'orders', {});
    clock = new Date('2024-06-03T12:05:00Z');
    const { json: b } = await send('POST', 'orders', {});
    clock = new Date('2024-06-03T12:10:00Z');
    await send('PUT', `orders/${a.id}`, { customer_note: 'changed' });
    expect(b.date_modified_gmt).toBe('2024-06-03T12:05:00');
    expect(b.date_modified).toBe('2024-06-03T14:05:00');

    const ids = async (q: string): Promise<number[]> => (await get(`orders?orderby=modified&order=asc&${q}`)).json.map((o: { id: number }) => o.id);
    expect(await ids('modified_after=2024-06-03T12:05:00&dates_are_gmt=true')).toEqual([a.id]);
    expect(await ids('modified_after=2024-06-03T12:04:59&dates_are_gmt=true')).toEqual([b.id, a.id]);
    expect(await ids('modified_after=2024-06-03T14:04:59')).toEqual([b.id, a.id]);
    // The classic mistake: a GMT time without dates_are_gmt is read as site time, two hours off.
    expect(await ids('modified_after=2024-06-03T12:06:00&dates_are_gmt=true')).toEqual([a.id]);
    expect(await ids('modified_after=2024-06-03T12:06:00')).toEqual([b.id, a.id]);
    expect(await ids('modified_before=2024-06-03T12:06:00&dates_are_gmt=true')).toEqual([b.id]);
    expect(await ids('after=2024-06-03T12:00:00&dates_are_gmt=true')).toEqual([b.id]);
    expect((await get('orders?modified_after=yesterday')).json.data.params).toEqual({ modified_after: 'Invalid date.' });
  });

  it('filters by status as a comma list or an array, and leaves trashed orders out of "any"', async () => {
    const { json: a } = await send('POST', 'orders', { status: 'processing' });
    const { json: b } = await send('POST', 'orders', { status: 'on-hold' });
    const { json: c } = await send('POST', 'orders', { status: 'completed' });
    sandbox.control.trashOrder(c.id);
    const ids = async (q: string): Promise<number[]> => (await get(`orders?orderby=id&order=asc&${q}`)).json.map((o: { id: number }) => o.id);
    expect(await ids('status=processing,on-hold')).toEqual([a.id, b.id]);
    expect(await ids('status[]=on-hold&status[]=processing')).toEqual([a.id, b.id]);
    expect(await ids('')).toEqual([a.id, b.id]);
    expect(await ids('status=trash')).toEqual([c.id]);
    expect(await ids(`include=${b.id},${a.id}&orderby=include`)).toEqual([b.id, a.id]);
    expect((await get('orders?status=shipped')).json.data.params).toEqual({ status: 'status[0] is not one of any, trash, pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft.' });
  });

  it('answers 404 woocommerce_rest_shop_order_invalid_id for a missing order, and 400 for updating one', async () => {
    expect(await get('orders/424242')).toMatchObject({ status: 404, json: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } } });
    expect(await send('PUT', 'orders/424242', { status: 'completed' })).toMatchObject({ status: 400, json: { code: 'woocommerce_rest_shop_order_invalid_id' } });
  });

  it('creates line refunds as negative items with _refunded_item_id, keeps order.total, and shows negative summaries', async () => {
    const { json: product } = await send('POST', 'products', { name: 'Canvas Tote Bag', regular_price: '100.00', sku: 'TOTE-1' });
    const { json: order } = await send('POST', 'orders', {
      payment_method: 'stripe',
      set_paid: true,
      shipping: { country: 'DE' },
      line_items: [{ product_id: product.id, quantity: 3 }],
      fee_lines: [{ name: 'Gift wrapping', total: '5.00' }],
      coupon_lines: [{ code: 'summer10' }],
    });
    expect(order).toMatchObject({ total: '327.25', discount_total: '30.00', discount_tax: '5.70', total_tax: '52.25' });
    const line = order.line_items[0];

    const { status, json: refund } = await send('POST', `orders/${order.id}/refunds`, {
      amount: '107.10',
      reason: 'Returned item',
      line_items: [{ id: String(line.id), quantity: 1, refund_total: 90, refund_tax: [{ id: String(line.taxes[0].id), refund_total: 17.1 }] }],
    });
    expect(status).toBe(201);
    expect(refund).toMatchObject({ amount: '107.10', reason: 'Returned item', refunded_payment: true, refunded_by: 1 });
    expect(refund.line_items[0]).toMatchObject({ product_id: product.id, quantity: -1, subtotal: '-90.00', total: '-90.00', total_tax: '-17.10', taxes: [{ id: line.taxes[0].id, total: '-17.1', subtotal: '-17.1' }], price: -90 });
    expect(refund.line_items[0].meta_data).toEqual([expect.objectContaining({ key: '_refunded_item_id', value: String(line.id) })]);

    const { json: amountOnly } = await send('POST', `orders/${order.id}/refunds`, { amount: '20', api_refund: false });
    expect(amountOnly).toMatchObject({ amount: '20.00', line_items: [], refunded_payment: false });

    const { json: after } = await get(`orders/${order.id}`);
    expect(after.total).toBe('327.25');
    expect(after.status).toBe('processing');
    expect(after.refunds).toEqual([
      { id: amountOnly.id, reason: '', total: '-20.00' },
      { id: refund.id, reason: 'Returned item', total: '-107.10' },
    ]);
    const listed = await get(`orders/${order.id}/refunds`);
    expect(listed.json.map((r: { id: number }) => r.id)).toEqual([amountOnly.id, refund.id]);
    expect(listed.headers.get('x-wp-total')).toBe('2');

    const tooMuch = await send('POST', `orders/${order.id}/refunds`, { amount: '300.00', api_refund: false });
    expect(tooMuch).toEqual({ status: 500, headers: expect.anything(), json: { code: 'woocommerce_rest_cannot_create_order_refund', message: 'Invalid refund amount.', data: { status: 500 } } });

    const rest = await send('POST', `orders/${order.id}/refunds`, { amount: '200.15', api_refund: false });
    expect(rest.status).toBe(201);
    expect((await get(`orders/${order.id}`)).json.status).toBe('refunded');
  });

  it('recalculates totals when an update changes line items, and keeps only the _fields asked for', async () => {
    const { json: mug } = await send('POST', 'products', { name: 'Mug', regular_price: '80.00', sku: 'MUG' });
    const { json: book } = await send('POST', 'products', { name: 'Cookbook', regular_price: '212.00', sku: 'BOOK', tax_class: 'super-reduced-rate' });
    const { json: order } = await send('POST', 'orders', { shipping: { country: 'SE' }, line_items: [{ sku: 'MUG', quantity: 1 }] });
    expect([order.total, order.total_tax]).toEqual(['100.00', '20.00']);
    // Like WooCommerce's prepare_line_items on update: a new quantity alone keeps the line's totals.
    const { json: quantityOnly } = await send('PUT', `orders/${order.id}`, { line_items: [{ id: order.line_items[0].id, quantity: 2 }] });
    expect([quantityOnly.line_items[0].quantity, quantityOnly.line_items[0].total, quantityOnly.total]).toEqual([2, '80.00', '100.00']);
    const { json: updated } = await send('PUT', `orders/${order.id}`, {
      line_items: [
        { id: order.line_items[0].id, quantity: 2, subtotal: '160.00', total: '160.00' },
        { product_id: book.id, quantity: 1 },
      ],
    });
    expect(updated.line_items.map((l: { sku: string; quantity: number; total: string }) => [l.sku, l.quantity, l.total])).toEqual([
      ['MUG', 2, '160.00'],
      ['BOOK', 1, '212.00'],
    ]);
    expect(updated.tax_lines.map((t: { rate_percent: number; tax_total: string }) => [t.rate_percent, t.tax_total])).toEqual([
      [25, '40.00'],
      [6, '12.72'],
    ]);
    expect(updated.total).toBe('424.72');
    expect(mug.id).toBe(updated.line_items[0].product_id);
    const trimmed = await get(`orders/${order.id}?_fields=id,status,billing.email`);
    expect(trimmed.json).toEqual({ id: order.id, status: 'pending', billing: { email: '' } });
  });

  it('refuses an api_refund through a gateway without refund support, as WooCommerce does by default', async () => {
    const { json: order } = await send('POST', 'orders', { payment_method: 'bacs', set_paid: true, fee_lines: [{ name: 'Service', total: '10.00' }] });
    const res = await send('POST', `orders/${order.id}/refunds`, { amount: '5.00' });
    expect(res).toEqual({ status: 500, headers: expect.anything(), json: { code: 'woocommerce_rest_cannot_create_order_refund', message: 'The payment gateway for this order does not support automatic refunds.', data: { status: 500 } } });
    expect((await get(`orders/${order.id}`)).json.refunds).toEqual([]);
  });

  it('answers the route 404 for ids that are not numbers and methods a route does not have', async () => {
    expect((await get('orders/abc')).json.code).toBe('rest_no_route');
    expect((await send('PATCH', 'orders', {})).json).toEqual({ code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${sandbox.apiUrl}/orders`, { method: 'POST', headers: { authorization: basicAuth(sandbox), 'content-type': 'application/json' }, body: '{"status":' });
    expect(await res.json()).toEqual({ code: 'rest_invalid_json', message: 'Invalid JSON body passed.', data: { status: 400, json_error_code: 4, json_error_message: 'Syntax error' } });
  });
});

