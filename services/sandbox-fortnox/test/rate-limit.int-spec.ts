import { startFortnoxSandbox, type FortnoxSandbox } from '../src';
import { connectTenant, manualClock } from './fortnox-http';

describe('sandbox-fortnox rate limit', () => {
  const clock = manualClock();
  let sandbox: FortnoxSandbox;

  beforeAll(async () => {
    sandbox = await startFortnoxSandbox({ now: clock.now });
  });
  afterAll(() => sandbox.close());

  it('answers the 26th request within 5 seconds with 429 and lets requests through again once the window slides', async () => {
    const t = await connectTenant(sandbox);
    const first = clock.now();
    for (let i = 0; i < 25; i++) {
      expect((await t.call('GET', '/3/invoices')).status).toBe(200);
      clock.advance(100); // 25 requests spread over 2.5 s
    }
    const limited = await t.call('GET', '/3/invoices');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ ErrorInformation: { error: 1, message: 'Too Many Requests', code: 2999429 } });

    clock.set(first + 5_000); // the first request leaves the window
    expect((await t.call('GET', '/3/invoices')).status).toBe(200);
    expect((await t.call('GET', '/3/invoices')).status).toBe(429); // the second-oldest is still inside

    clock.advance(100);
    expect((await t.call('GET', '/3/invoices')).status).toBe(200);
  });

  it('limits each tenant of a client separately and counts requests per endpoint and 429s', async () => {
    sandbox.control.reset();
    const a = await connectTenant(sandbox, 'A');
    const b = await connectTenant(sandbox, 'B');
    for (let i = 0; i < 25; i++) await a.call('GET', '/3/customers');
    expect((await a.call('POST', '/3/customers', { Customer: { Name: 'X' } })).status).toBe(429);
    expect((await b.call('GET', '/3/customers')).status).toBe(200);

    expect(sandbox.control.counters()).toEqual({
      'GET /3/customers': 26,
      'POST /3/customers': 1,
      'POST /oauth-v1/token': 2,
      rate_limited: 1,
    });
  });
});
