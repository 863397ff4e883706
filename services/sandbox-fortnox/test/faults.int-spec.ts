import { startFortnoxSandbox, type FortnoxSandbox } from '../src';
import { callApi, connectTenant, type TenantConnection } from './fortnox-http';

describe('sandbox-fortnox fault injection', () => {
  let sandbox: FortnoxSandbox;
  let t: TenantConnection;

  beforeAll(async () => {
    sandbox = await startFortnoxSandbox({ rateLimit: { requests: 10_000, windowMs: 5000 } });
    t = await connectTenant(sandbox);
    await t.call('POST', '/3/customers', { Customer: { Name: 'Kund AB' } });
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(() => sandbox.close());

  const invoiceBody = (ref: string) => ({ Invoice: { CustomerNumber: '1', ExternalInvoiceReference1: ref, InvoiceRows: [{ Description: 'X', Price: 100, DeliveredQuantity: 1 }] } });
  const findByRef = async (ref: string) => (await t.call('GET', `/3/invoices?externalinvoicereference1=${ref}`)).body.Invoices as Record<string, unknown>[];

  it('answers the next N requests with the chosen 5xx and stores nothing, then recovers', async () => {
    sandbox.faults.failNext(2, { status: 502 });
    const first = await t.call('POST', '/3/invoices', invoiceBody('fail-before-1'));
    expect(first.status).toBe(502);
    expect(first.body).toEqual({ ErrorInformation: { error: 1, message: 'System exception', code: 1000003 } });
    expect((await t.call('GET', '/3/invoices')).status).toBe(502);
    expect((await t.call('POST', '/3/invoices', invoiceBody('fail-before-2'))).status).toBe(201);

    expect(await findByRef('fail-before-1')).toEqual([]);
    expect(sandbox.control.counters().fault_5xx).toBe(2);
  });

  it('fails only the endpoint a fault names', async () => {
    sandbox.faults.failNext(1, { match: 'POST /3/invoices' });
    expect((await t.call('GET', '/3/invoices')).status).toBe(200);
    expect((await t.call('POST', '/3/invoices', invoiceBody('matched'))).status).toBe(503);
  });

  it('can store the document and still answer 5xx, so a retry would duplicate it', async () => {
    sandbox.faults.failNext(1, { status: 500, afterStore: true, match: 'POST /3/invoices' });
    expect((await t.call('POST', '/3/invoices', invoiceBody('fail-after-1'))).status).toBe(500);
    expect(await findByRef('fail-after-1')).toHaveLength(1);
  });

  it('adds latency to API requests', async () => {
    sandbox.faults.setLatency(150);
    const started = performance.now();
    expect((await t.call('GET', '/3/invoices')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('times out after store: the client never gets an answer, yet the invoice is there under its external reference', async () => {
    sandbox.faults.timeoutAfterStore(1, { match: 'POST /3/invoices' });
    const attempt = fetch(`${sandbox.url}/3/invoices`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.tokens.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(invoiceBody('woo-timeout-1')),
      signal: AbortSignal.timeout(300),
    });
    await expect(attempt).rejects.toThrow(/aborted|timeout/i);

    const found = await findByRef('woo-timeout-1');
    expect(found).toEqual([expect.objectContaining({ ExternalInvoiceReference1: 'woo-timeout-1', Total: 125 })]);
    expect(sandbox.control.counters().fault_timeout_after_store).toBe(1);
  });

  it('times out after store by destroying the connection after a delay', async () => {
    sandbox.faults.timeoutAfterStore(1, { destroyAfterMs: 50 });
    await expect(callApi(sandbox, t.tokens.access_token, 'POST', '/3/invoices', invoiceBody('woo-destroyed-1'))).rejects.toThrow(/fetch failed/);
    expect(await findByRef('woo-destroyed-1')).toHaveLength(1);
  });

  it('leaves the OAuth endpoints alone unless a fault names them', async () => {
    sandbox.faults.failNext(1);
    const { authorizationCode } = sandbox.control.createTenant();
    const basic = Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64');
    const token = (code: string) =>
      fetch(`${sandbox.url}/oauth-v1/token`, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=authorization_code&code=${code}`,
      });
    expect((await token(authorizationCode)).status).toBe(200);

    sandbox.faults.clear();
    sandbox.faults.failNext(1, { match: 'POST /oauth-v1/token', status: 500 });
    expect((await token(sandbox.control.createTenant().authorizationCode)).status).toBe(500);
  });
});
