import { PspSandbox } from '../src';
import { basic, fromMinor } from './psp-test-kit';

describe('sandbox-psp control API', () => {
  let psp: PspSandbox;
  beforeAll(async () => {
    psp = await PspSandbox.start();
  });
  afterAll(() => psp?.close());

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${psp.url}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { message: string; length: number; payouts: Array<{ payoutId: string; amount: string }> } };
  };

  it('captures and settles over HTTP, and the payout is then served on the provider face', async () => {
    const orders = Array.from({ length: 12 }, (_, i) => ({ orderId: String(i + 1), orderNumber: `#${i + 1}`, total: '49.90', currency: 'EUR', paidAt: `2026-10-${String(i + 1).padStart(2, '0')}T12:00:00Z` }));
    const captured = await post('klarna/K777/capture', { orders });
    expect(captured.status).toBe(200);
    expect(captured.body).toHaveLength(12);
    const settled = await post('klarna/K777/settle-month', { month: '2026-10', seed: 2, refunds: 2, chargebacks: 1 });
    expect(settled.status).toBe(200);
    const creds = (await (await fetch(`${psp.url}/__sandbox/klarna/credentials?merchantAccount=K777`)).json()) as { username: string; password: string };
    const ref = settled.body.payouts[0].payoutId;
    const res = await fetch(`${psp.klarna.url}/settlements/v1/payouts/${ref}`, { headers: { authorization: basic(creds.username, creds.password) } });
    expect(res.status).toBe(200);
    expect(fromMinor(((await res.json()) as { totals: { settlement_amount: number } }).totals.settlement_amount).toFixed(2)).toBe(settled.body.payouts[0].amount);
  });

  it('answers 400 with the reasons when the request cannot be honoured', async () => {
    const bad = await post('adyen/ShopX/capture', { orders: [{ orderId: '1', orderNumber: '1', total: '-5', currency: 'EUR', paidAt: '2026-10-01T00:00:00Z' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/order\[0\] id 1: total "-5" must be a positive decimal string/);
    const unknown = await post('paypal/ShopX/capture', { orders: [] });
    expect(unknown.status).toBe(404);
  });
});
