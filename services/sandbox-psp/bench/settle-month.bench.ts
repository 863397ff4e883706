/**
 * Prints how long capture, settleMonth, a full Stripe read-back over HTTP and the report files take for a
 * month of N orders per provider. Run: node -r ./scripts/register.cjs services/sandbox-psp/bench/settle-month.bench.ts [N]
 */
import { PspSandbox, type CaptureOrder, type Provider } from '../src';

const n = Number(process.argv[2] ?? 10_000);
const currencies = ['SEK', 'EUR', 'NOK', 'USD', 'DKK'];
const orders: CaptureOrder[] = Array.from({ length: n }, (_, i) => ({
  orderId: String(i + 1),
  orderNumber: String(i + 1),
  total: `${10 + ((i * 37) % 2000)}.${String((i * 13) % 100).padStart(2, '0')}`,
  currency: currencies[i % currencies.length],
  paidAt: new Date(Date.UTC(2026, 9, 1) + Math.floor((i * 31 * 86_400_000) / n)).toISOString(),
}));

async function main(): Promise<void> {
  const psp = await PspSandbox.start();
  try {
    for (const provider of ['stripe', 'klarna', 'adyen'] as Provider[]) {
      let t = performance.now();
      psp.capture(provider, 'Bench', orders);
      const captureMs = performance.now() - t;
      t = performance.now();
      const truth = psp.settleMonth(provider, 'Bench', { month: '2026-10', seed: 1, refunds: Math.round(n / 20), chargebacks: 5, partialCaptures: 10, settlementCurrency: 'SEK', reservePercent: '10' });
      const settleMs = performance.now() - t;
      t = performance.now();
      let bytes = 0;
      for (const p of truth.payouts) bytes += psp.reportCsv(provider, 'Bench', p.payoutId).length;
      const reportMs = performance.now() - t;
      const lines = truth.payouts.reduce((a, p) => a + p.lines.length, 0);
      console.log(`${provider}: ${n} orders -> ${truth.payouts.length} payouts, ${lines} lines; capture ${captureMs.toFixed(0)} ms, settleMonth ${settleMs.toFixed(0)} ms, all reports ${reportMs.toFixed(0)} ms (${(bytes / 1e6).toFixed(1)} MB)`);
    }
    const auth = { authorization: `Bearer ${psp.credentials('stripe', 'Bench').secretKey}` };
    const t = performance.now();
    let requests = 0;
    let txns = 0;
    const payouts = (await (await fetch(`${psp.stripe.url}/v1/payouts?limit=100`, { headers: auth })).json()) as { data: Array<{ id: string }> };
    requests++;
    for (const p of payouts.data) {
      for (let after: string | null = null; ; ) {
        const page = (await (await fetch(`${psp.stripe.url}/v1/balance_transactions?payout=${p.id}&limit=100&expand[]=data.source${after ? `&starting_after=${after}` : ''}`, { headers: auth })).json()) as { data: Array<{ id: string }>; has_more: boolean };
        requests++;
        txns += page.data.length;
        if (!page.has_more) break;
        after = page.data[page.data.length - 1].id;
      }
    }
    const ms = performance.now() - t;
    console.log(`stripe HTTP read-back: ${txns} balance transactions (expanded sources) in ${requests} requests, ${ms.toFixed(0)} ms (${(ms / requests).toFixed(1)} ms/request)`);
  } finally {
    await psp.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
