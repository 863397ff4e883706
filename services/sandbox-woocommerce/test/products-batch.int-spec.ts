import { startWooSandbox, type WooSandbox } from '../src';
import { rest, type RestAnswer } from './woo-http';

describe('products, variations and batch endpoints', () => {
  let sandbox: WooSandbox;
  const call = (method: string, path: string, body?: unknown): Promise<RestAnswer> => rest(sandbox, method, path, body);

  beforeAll(async () => {
    sandbox = await startWooSandbox({ assumeHttps: true, seed: 5 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('accepts 100 items in one batch and counts the request and its items', async () => {
    const create = Array.from({ length: 60 }, (_, i) => ({ name: `Mug ${i}`, regular_price: '99.00', sku: `MUG-${i}`, manage_stock: true, stock_quantity: i }));
    const first = await call('POST', 'products/batch', { create });
    expect(first.status).toBe(200);
    const ids: number[] = first.json.create.map((p: { id: number }) => p.id);
    const update = ids.slice(0, 30).map((id) => ({ id, stock_quantity: 500 }));
    const del = ids.slice(50, 60);
    const second = await call('POST', 'products/batch', { create: [{ name: 'Extra', regular_price: '1.00' }], update, delete: del.slice(0, 9) });
    expect(second.status).toBe(200);
    expect(second.json.update.map((p: { stock_quantity: number }) => p.stock_quantity)).toEqual(Array(30).fill(500));
    expect(second.json.delete.map((p: { id: number }) => p.id)).toEqual(del.slice(0, 9));
    expect(sandbox.state.products.has(del[0])).toBe(false);
    const hundred = await call('POST', 'products/batch', { update: ids.slice(0, 50).map((id) => ({ id, stock_quantity: 1 })), create: Array.from({ length: 50 }, (_, i) => ({ name: `Tea ${i}` })) });
    expect(hundred.status).toBe(200);
    expect(sandbox.control.counters().batches['products/batch']).toEqual({ requests: 3, rejected: 0, items: 200, create: 111, update: 80, delete: 9, failedItems: 0 });
  });

  it('refuses 101 items with 413 woocommerce_rest_request_entity_too_large and changes nothing', async () => {
    const res = await call('POST', 'products/batch', { create: Array.from({ length: 101 }, (_, i) => ({ name: `P${i}` })) });
    expect(res.status).toBe(413);
    expect(res.json).toEqual({ code: 'woocommerce_rest_request_entity_too_large', message: 'Unable to accept more than 100 items for this request.', data: { status: 413 } });
    expect(sandbox.state.products.size).toBe(0);
    const mixed = await call('POST', 'products/batch', { create: [{ name: 'a' }], update: Array.from({ length: 50 }, (_, i) => ({ id: i + 1 })), delete: Array.from({ length: 50 }, (_, i) => i + 1) });
    expect(mixed.status).toBe(413);
    expect(sandbox.control.counters().batches['products/batch']).toMatchObject({ requests: 2, rejected: 2, items: 0 });
  });

  it('reports per-item failures inside a 200: duplicated SKU, unknown id', async () => {
    await call('POST', 'products', { name: 'Tote', sku: 'TOTE-CV-NAT', regular_price: '10.50' });
    const res = await call('POST', 'products/batch', { create: [{ name: 'Again', sku: 'TOTE-CV-NAT' }, { name: 'Fine', sku: 'FINE-1' }], update: [{ id: 999999, stock_quantity: 3 }], delete: [888888] });
    expect(res.status).toBe(200);
    expect(res.json.create[0]).toEqual({ id: 0, error: { code: 'product_invalid_sku', message: 'Invalid or duplicated SKU.', data: { status: 400, resource_id: expect.any(Number), unique_sku: 'TOTE-CV-NAT-1' } } });
    expect(res.json.create[1]).toMatchObject({ name: 'Fine', sku: 'FINE-1' });
    expect(res.json.update[0]).toEqual({ id: 999999, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } } });
    expect(res.json.delete[0]).toEqual({ id: 888888, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 404 } } });
    expect(sandbox.control.counters().batches['products/batch'].failedItems).toBe(3);
  });

  it('batches variations per parent, counted under their own endpoint', async () => {
    const { json: parent } = await call('POST', 'products', { name: 'Ship Your Idea', type: 'variable', attributes: [{ id: 6, name: 'Color', variation: true, options: ['Black', 'Green'] }] });
    const res = await call('POST', `products/${parent.id}/variations/batch`, {
      create: [
        { regular_price: '10.00', sku: 'SYI-BLK', manage_stock: true, stock_quantity: 4, attributes: [{ id: 6, option: 'Black' }] },
        { regular_price: '10.00', sku: 'SYI-GRN', attributes: [{ id: 6, option: 'Green' }] },
      ],
    });
    expect(res.json.create.map((v: { sku: string; stock_quantity: number | null }) => [v.sku, v.stock_quantity])).toEqual([
      ['SYI-BLK', 4],
      ['SYI-GRN', null],
    ]);
    expect(res.json.create[0].attributes).toEqual([{ id: 6, name: '', option: 'Black' }]);
    const black = res.json.create[0].id;
    const upd = await call('POST', `products/${parent.id}/variations/batch`, { update: [{ id: black, stock_quantity: 0 }] });
    expect(upd.json.update[0]).toMatchObject({ stock_quantity: 0, stock_status: 'outofstock' });
    const { json: read } = await call('GET', `products/${parent.id}`);
    expect(read).toMatchObject({ type: 'variable', variations: res.json.create.map((v: { id: number }) => v.id), price: '10.00', stock_status: 'instock' });
    expect(sandbox.control.counters().batches['products/{id}/variations/batch']).toMatchObject({ requests: 2, items: 3 });
    const bySku = await call('GET', 'products?sku=SYI-BLK');
    expect(bySku.json.map((p: { id: number; type: string }) => [p.id, p.type])).toEqual([[black, 'variation']]);
  });

  it('ignores stock_quantity unless stock is managed, and derives the stock status from it when it is', async () => {
    const { json: unmanaged } = await call('POST', 'products', { name: 'Candle', regular_price: '5.00', stock_quantity: 12 });
    expect(unmanaged).toMatchObject({ manage_stock: false, stock_quantity: null, stock_status: 'instock' });
    const { json: managed } = await call('PUT', `products/${unmanaged.id}`, { manage_stock: true, stock_quantity: 0, backorders: 'notify' });
    expect(managed).toMatchObject({ manage_stock: true, stock_quantity: 0, stock_status: 'onbackorder', backorders_allowed: true, backordered: true });
    const { json: delta } = await call('PUT', `products/${unmanaged.id}`, { inventory_delta: 7 });
    expect(delta.stock_quantity).toBe(7);
  });

  it('checks field types on single requests (a number for a price is refused) but not inside batches', async () => {
    const single = await call('POST', 'products', { name: 'X', regular_price: 10 });
    expect(single.json).toMatchObject({ code: 'rest_invalid_param', data: { params: { regular_price: 'regular_price is not of type string.' } } });
    const batch = await call('POST', 'products/batch', { create: [{ name: 'X', regular_price: 10 }] });
    expect(batch.json.create[0].regular_price).toBe('10');
  });

  it('trashes a product on DELETE and removes it for good with force; variations cannot be trashed', async () => {
    const { json: p } = await call('POST', 'products', { name: 'Lamp', regular_price: '300.00' });
    const trashed = await call('DELETE', `products/${p.id}`);
    expect(trashed.json.status).toBe('publish');
    expect(sandbox.state.products.get(p.id)?.status).toBe('trash');
    expect((await call('GET', 'products')).json).toEqual([]);
    expect((await call('DELETE', `products/${p.id}`)).json.code).toBe('woocommerce_rest_already_trashed');
    expect((await call('DELETE', `products/${p.id}?force=true`)).status).toBe(200);
    expect(sandbox.state.products.has(p.id)).toBe(false);
    const { json: parent } = await call('POST', 'products', { name: 'Hoodie', type: 'variable' });
    const { json: v } = await call('POST', `products/${parent.id}/variations`, { regular_price: '20.00' });
    expect(await call('DELETE', `products/${parent.id}/variations/${v.id}`)).toMatchObject({ status: 501, json: { code: 'woocommerce_rest_trash_not_supported' } });
  });

  it('lists customers by email and refuses a second account for the same address', async () => {
    const { json: c } = await call('POST', 'customers', { email: 'john.doe@example.com', first_name: 'John', last_name: 'Doe', billing: { country: 'SE', phone: '123' } });
    expect(c).toMatchObject({ email: 'john.doe@example.com', username: 'john.doe', role: 'customer', billing: { country: 'SE', phone: '123' } });
    const dup = await call('POST', 'customers', { email: 'john.doe@example.com' });
    expect(dup).toEqual({ status: 400, headers: expect.anything(), json: { code: 'registration-error-email-exists', message: 'An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>', data: { status: 400 } } });
    await call('POST', 'customers', { email: 'jane@example.com' });
    const found = await call('GET', 'customers?email=john.doe@example.com');
    expect(found.json.map((x: { id: number }) => x.id)).toEqual([c.id]);
    expect(found.headers.get('x-wp-total')).toBe('1');
    expect((await call('DELETE', `customers/${c.id}`)).status).toBe(501);
    const batch = await call('POST', 'customers/batch', { create: [{ email: 'k@example.com' }], update: [{ id: c.id, last_name: 'Smith' }] });
    expect([batch.json.create[0].email, batch.json.update[0].last_name]).toEqual(['k@example.com', 'Smith']);
  });
});
