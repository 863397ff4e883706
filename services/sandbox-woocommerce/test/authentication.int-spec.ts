import { createHmac, randomBytes } from 'node:crypto';
import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import { startWooSandbox, type WooSandbox } from '../src';

/** Signs a request the way the WooCommerce docs describe OAuth 1.0a one-legged, without a library. */
function oauthUrl(sandbox: WooSandbox, method: string, path: string, opts: { algorithm?: 'sha1' | 'sha256'; nonce?: string; timestamp?: number; secret?: string; query?: Record<string, string> } = {}): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const params: Record<string, string> = {
    ...(opts.query ?? {}),
    oauth_consumer_key: sandbox.consumerKey,
    oauth_nonce: opts.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: opts.algorithm === 'sha1' ? 'HMAC-SHA1' : 'HMAC-SHA256',
    oauth_timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  const base = `${sandbox.apiUrl}/${path}`;
  const normalized = Object.keys(params)
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k])}`)
    .join('&');
  const signature = createHmac(opts.algorithm ?? 'sha256', `${opts.secret ?? sandbox.consumerSecret}&`)
    .update(`${method}&${enc(base)}&${enc(normalized)}`)
    .digest('base64');
  return `${base}?${normalized}&oauth_signature=${enc(signature)}`;
}

describe('authentication', () => {
  describe('over plain HTTP (is_ssl() false)', () => {
    let sandbox: WooSandbox;
    let woo: WooCommerceRestApi;

    beforeAll(async () => {
      sandbox = await startWooSandbox({ seed: 3 });
      woo = new WooCommerceRestApi({ url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, version: 'wc/v3' });
    });
    afterAll(() => sandbox.close());

    it('serves the official client (OAuth 1.0a, HMAC-SHA256): create, list, update and read products and orders', async () => {
      const product = await woo.post('products', { name: 'Organic Cotton T-Shirt', type: 'simple', regular_price: '199.00', sku: 'TS-ORG-001', manage_stock: true, stock_quantity: 10 });
      expect(product.status).toBe(201);
      expect(product.data).toMatchObject({ name: 'Organic Cotton T-Shirt', sku: 'TS-ORG-001', price: '199.00', stock_quantity: 10, stock_status: 'instock' });

      const order = await woo.post('orders', {
        payment_method: 'bacs',
        set_paid: true,
        billing: { first_name: 'Anna', last_name: 'Andersson', country: 'SE', email: 'anna@example.se' },
        shipping: { first_name: 'Anna', last_name: 'Andersson', country: 'SE' },
        line_items: [{ product_id: product.data.id, quantity: 2 }],
        shipping_lines: [{ method_id: 'flat_rate', method_title: 'Flat rate', total: '49.00' }],
      });
      expect(order.status).toBe(201);
      expect(order.data).toMatchObject({ status: 'processing', created_via: 'rest-api', total: '558.75', total_tax: '111.75', shipping_tax: '12.25', cart_tax: '99.50' });
      expect(order.data.line_items[0]).toMatchObject({ sku: 'TS-ORG-001', quantity: 2, subtotal: '398.00', total_tax: '99.50', taxes: [{ id: 1, total: '99.5', subtotal: '99.5' }], price: 199 });

      const listed = await woo.get('orders', { status: ['processing', 'completed'], per_page: 5 });
      expect(listed.data.map((o: { id: number }) => o.id)).toEqual([order.data.id]);
      expect(listed.headers['x-wp-total']).toBe('1');

      const updated = await woo.put(`orders/${order.data.id}`, { status: 'completed' });
      expect(updated.data.status).toBe('completed');
      expect(updated.data.date_completed_gmt).not.toBeNull();

      const restocked = await woo.put(`products/${product.data.id}`, { stock_quantity: 40 });
      expect(restocked.data.stock_quantity).toBe(40);
      const read = await woo.get(`products/${product.data.id}`);
      expect(read.data.total_sales).toBe(2);
      const bySku = await woo.get('products', { sku: 'TS-ORG-001' });
      expect(bySku.data).toHaveLength(1);
    });

    it('accepts HMAC-SHA1 as well, and refuses a reused nonce and a stale timestamp', async () => {
      const nonce = randomBytes(16).toString('hex');
      expect((await fetch(oauthUrl(sandbox, 'GET', 'orders', { algorithm: 'sha1', nonce }))).status).toBe(200);
      const reused = await fetch(oauthUrl(sandbox, 'GET', 'orders', { nonce }));
      expect(await reused.json()).toEqual({ code: 'woocommerce_rest_authentication_error', message: 'Invalid nonce - nonce has already been used.', data: { status: 401 } });
      const stale = await fetch(oauthUrl(sandbox, 'GET', 'orders', { timestamp: Math.floor(Date.now() / 1000) - 16 * 60 }));
      expect(stale.status).toBe(401);
      expect(await stale.json()).toMatchObject({ message: 'Invalid timestamp.' });
    });

    it('signs query parameters too: a parameter added after signing is refused', async () => {
      const signed = oauthUrl(sandbox, 'GET', 'orders', { query: { per_page: '5' } });
      expect((await fetch(signed)).status).toBe(200);
      const tampered = await fetch(`${oauthUrl(sandbox, 'GET', 'orders', { query: { per_page: '5' } })}&page=2`);
      expect(await tampered.json()).toEqual({ code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } });
    });

    it('refuses a wrong secret, an unknown key and a half-signed request with WooCommerce\'s errors', async () => {
      const wrong = new WooCommerceRestApi({ url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: 'cs_wrong', version: 'wc/v3' });
      await expect(wrong.get('orders')).rejects.toMatchObject({ response: { status: 401, data: { code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.' } } });
      const unknown = new WooCommerceRestApi({ url: sandbox.url, consumerKey: 'ck_unknown', consumerSecret: sandbox.consumerSecret, version: 'wc/v3' });
      await expect(unknown.get('orders')).rejects.toMatchObject({ response: { status: 401, data: { code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.' } } });
      const half = await fetch(`${sandbox.apiUrl}/orders?oauth_consumer_key=${sandbox.consumerKey}&oauth_nonce=x`);
      expect(await half.json()).toEqual({
        code: 'woocommerce_rest_authentication_missing_parameter',
        message: 'Missing OAuth parameters oauth_timestamp, oauth_signature, oauth_signature_method',
        data: { status: 401 },
      });
    });

    it('ignores HTTP Basic over plain HTTP, as WooCommerce does, and answers the route\'s 401', async () => {
      const basic = `Basic ${Buffer.from(`${sandbox.consumerKey}:${sandbox.consumerSecret}`).toString('base64')}`;
      const res = await fetch(`${sandbox.apiUrl}/orders`, { headers: { authorization: basic } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
      expect(res.headers.get('x-sandbox-hint')).toMatch(/OAuth 1\.0a/);
      const create = await fetch(`${sandbox.apiUrl}/products`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(await create.json()).toMatchObject({ code: 'woocommerce_rest_cannot_create' });
    });

    it('answers 404 rather than 401 for an anonymous read of a missing order, as the CRUD permission check only looks at existing objects', async () => {
      const res = await fetch(`${sandbox.apiUrl}/orders/999999`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
    });
  });

  describe('behind a TLS-terminating proxy (assumeHttps)', () => {
    let sandbox: WooSandbox;
    beforeAll(async () => {
      sandbox = await startWooSandbox({ seed: 4, assumeHttps: true });
    });
    afterAll(() => sandbox.close());

    it('accepts HTTP Basic and consumer_key/consumer_secret in the query string', async () => {
      const basic = `Basic ${Buffer.from(`${sandbox.consumerKey}:${sandbox.consumerSecret}`).toString('base64')}`;
      expect((await fetch(`${sandbox.apiUrl}/products`, { headers: { authorization: basic } })).status).toBe(200);
      expect((await fetch(`${sandbox.apiUrl}/products?consumer_key=${sandbox.consumerKey}&consumer_secret=${sandbox.consumerSecret}`)).status).toBe(200);
    });

    it('still serves the official client, which signs the http URL it can reach', async () => {
      const woo = new WooCommerceRestApi({ url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, version: 'wc/v3' });
      expect((await woo.get('orders')).status).toBe(200);
    });

    it('refuses a wrong Basic secret with "Consumer secret is invalid." and a read-only key\'s writes', async () => {
      const wrong = `Basic ${Buffer.from(`${sandbox.consumerKey}:cs_nope`).toString('base64')}`;
      const res = await fetch(`${sandbox.apiUrl}/products`, { headers: { authorization: wrong } });
      expect(await res.json()).toEqual({ code: 'woocommerce_rest_authentication_error', message: 'Consumer secret is invalid.', data: { status: 401 } });

      const readOnly = sandbox.control.addApiKey('read');
      const ro = `Basic ${Buffer.from(`${readOnly.consumerKey}:${readOnly.consumerSecret}`).toString('base64')}`;
      expect((await fetch(`${sandbox.apiUrl}/products`, { headers: { authorization: ro } })).status).toBe(200);
      const write = await fetch(`${sandbox.apiUrl}/products`, { method: 'POST', headers: { authorization: ro, 'content-type': 'application/json' }, body: '{"name":"x"}' });
      expect(await write.json()).toEqual({ code: 'woocommerce_rest_authentication_error', message: 'The API key provided does not have write permissions.', data: { status: 401 } });
    });
  });
});
