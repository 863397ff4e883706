import { startFortnoxSandbox, type FortnoxSandbox } from '../src';
import { callApi, requestToken } from './fortnox-http';

describe('sandbox-fortnox control API over HTTP', () => {
  let sandbox: FortnoxSandbox;

  beforeAll(async () => {
    sandbox = await startFortnoxSandbox();
  });
  afterAll(() => sandbox.close());

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  it('creates a tenant whose code, stock, faults and counters are driven over HTTP, and resets everything', async () => {
    const tenant = await control('POST', '/tenants', { name: 'Http AB' });
    expect(tenant.status).toBe(201);
    expect(tenant.body).toEqual({ tenantId: expect.any(String), authorizationCode: expect.any(String) });
    const token = (await requestToken(sandbox, { grant_type: 'authorization_code', code: tenant.body.authorizationCode })).body.access_token;

    const stock = await control('PUT', `/tenants/${tenant.body.tenantId}/stock`, { itemId: 'SKU-9', inStock: 4 });
    expect(stock.body).toEqual({ itemId: 'SKU-9', stockPointCode: 'MAIN', inStock: 4, availableStock: 4 });
    expect((await callApi(sandbox, token, 'GET', '/api/warehouse/status-v1/stockbalance?itemIds=SKU-9')).body).toEqual([stock.body]);

    expect((await control('POST', '/faults', { failNext: { count: 1, status: 500, match: 'GET /3/customers' } })).status).toBe(204);
    expect((await callApi(sandbox, token, 'GET', '/3/customers')).status).toBe(500);
    expect((await callApi(sandbox, token, 'GET', '/3/customers')).status).toBe(200);

    expect((await control('DELETE', `/tenants/${tenant.body.tenantId}/accounts/3001`)).status).toBe(204);
    await callApi(sandbox, token, 'POST', '/3/customers', { Customer: { Name: 'K' } });
    const noAccount = await callApi(sandbox, token, 'POST', '/3/invoices', { Invoice: { CustomerNumber: '1', InvoiceRows: [{ Description: 'X', Price: 1, DeliveredQuantity: 1, VAT: 25 }] } });
    expect(noAccount.body.ErrorInformation.code).toBe(2001304);

    const counters = await control('GET', '/counters');
    expect(counters.body).toMatchObject({ 'GET /3/customers': 2, 'POST /oauth-v1/token': 1, fault_5xx: 1 });

    expect((await control('POST', '/reset')).status).toBe(204);
    expect((await control('GET', '/counters')).body).toEqual({});
    expect((await callApi(sandbox, token, 'GET', '/3/customers')).status).toBe(401);
  });

  it('answers 400 for malformed control requests and 404 for unknown tenants', async () => {
    expect((await control('POST', '/faults', { failNext: { count: 1, status: 404 } })).status).toBe(400);
    expect((await control('PUT', '/tenants/nope/stock', { itemId: 'X', inStock: 1 })).status).toBe(404);
    const tenant = (await control('POST', '/tenants')).body;
    expect((await control('PUT', `/tenants/${tenant.tenantId}/stock`, { itemId: 'X' })).status).toBe(400);
  });
});
