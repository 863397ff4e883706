// How fast connector-fortnox books a backlog of payout bookings under Fortnox's rate limit, and what each kind costs in
// requests. Figures only, no assertions.
//
//   node -r ./scripts/register.cjs services/connector-fortnox/bench/payouts.bench.ts   # BENCH_PAYOUTS=8 BENCH_PAYMENTS=5
//
// In one process: sandbox-fortnox (25 requests / 5 s, as Fortnox), the connector's Nest app on a fresh schema and topic
// suffix, and a producer (outbox + relay) publishing payout-booking.requested. Setup creates and books the invoices
// through the sandbox API first (timed apart); each payout then has BENCH_PAYMENTS invoice payments, a fee and a bank
// payout.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { envelope, exampleOrder, payoutKey, PayoutBookingRequested, Topics, withSuffix } from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { Decimal } from '@ledgerline/money';
import { startConnector } from '../test/connector.harness';

const PAYOUTS = Number(process.env.BENCH_PAYOUTS ?? 8);
const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 5);
const RATE = { requests: 25, windowMs: 5000 };

async function main(): Promise<void> {
  const { sandbox, db, producerDb, base, suffix, close } = await startConnector(
    'bench_payouts',
    { CONNECTOR_FORTNOX_STOCK_POLL_MS: '0' },
    { sandboxOptions: { rateLimit: RATE }, relayIdleDelayMs: 10, productionTimings: true, logErrors: true },
  );

  const company = sandbox.control.createTenant('Bench AB');
  const tenantId = `bench-${randomUUID().slice(0, 8)}`;
  const res = await fetch(`${base}/connections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId, authorizationCode: company.authorizationCode }) });
  if (res.status !== 201) throw new Error(`connect: ${res.status}`);

  // Setup through the sandbox API with a token of the bench's own (same company, same rate window, before timing).
  const token = await fetch(`${sandbox.url}/oauth-v1/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: sandbox.control.authorizationCode(company.tenantId) }).toString(),
  }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
  const api = async (method: string, path: string, body?: unknown): Promise<Record<string, Record<string, unknown>>> => {
    for (;;) {
      const r = await fetch(`${sandbox.url}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      if (r.status === 429) {
        await sleep(500);
        continue;
      }
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as Record<string, Record<string, unknown>>;
    }
  };
  await api('POST', '/3/customers', { Customer: { Name: 'Bench Kund', CustomerNumber: '1' } });
  const invoiceNumbers: string[] = [];
  for (let i = 0; i < PAYOUTS * PAYMENTS; i++) {
    const { Invoice } = await api('POST', '/3/invoices', { Invoice: { CustomerNumber: '1', VATIncluded: true, InvoiceRows: [{ Description: 'Mugg', Price: 249, DeliveredQuantity: 1 }] } });
    await api('PUT', `/3/invoices/${String(Invoice?.DocumentNumber)}/bookkeep`);
    invoiceNumbers.push(String(Invoice?.DocumentNumber));
  }
  await sleep(RATE.windowMs + 500); // an empty window before timing

  const counters = () => sandbox.control.counters();
  const before = counters();
  const topic = withSuffix(Topics.payoutBookings, suffix);
  const writer = new OutboxWriter(producerDb.schema);
  const bookings: PayoutBookingRequested[] = [];
  for (let p = 0; p < PAYOUTS; p++) {
    const payoutId = `po_bench_${p}`;
    const common = {
      payoutRef: { tenantId, provider: 'stripe' as const, merchantAccount: 'acct_bench', payoutId },
      currency: 'SEK',
      erp: 'fortnox',
      erpConnectionId: `fortnox-${tenantId}`,
      bookingDate: '2026-11-26',
      requestedAt: new Date().toISOString(),
    };
    let net = Decimal.ZERO;
    for (let k = 0; k < PAYMENTS; k++) {
      const number = invoiceNumbers[p * PAYMENTS + k] as string;
      const order = exampleOrder({ tenantId, storeId: 'bench-shop', orderId: `o${number}`, orderNumber: number });
      bookings.push(new PayoutBookingRequested({ ...common, bookingId: `${payoutId}:pay:${number}`, kind: 'invoice-payment', amount: { amount: '249.00', currency: 'SEK' }, document: { orderRef: order.orderRef, documentNumber: number, documentAmount: null }, accounts: { clearing: '1580', counter: null, modeOfPayment: 'KORT' }, providerReference: `ch_${number}`, description: `Stripe payment, payout ${payoutId}` }));
      net = net.add('249.00');
    }
    const fee = Decimal.of('-3.75').mul(PAYMENTS);
    bookings.push(new PayoutBookingRequested({ ...common, bookingId: `${payoutId}:fee`, kind: 'fee', amount: { amount: fee.toFixed(2), currency: 'SEK' }, document: null, accounts: { clearing: '1580', counter: '6570', modeOfPayment: null }, providerReference: payoutId, description: `Stripe fees, payout ${payoutId}` }));
    bookings.push(new PayoutBookingRequested({ ...common, bookingId: `${payoutId}:bank`, kind: 'bank-payout', amount: { amount: net.add(fee).toFixed(2), currency: 'SEK' }, document: null, accounts: { clearing: '1580', counter: '1930', modeOfPayment: null }, providerReference: payoutId, description: `Stripe payout ${payoutId}` }));
  }
  const started = performance.now();
  await withTransaction(producerDb.pool, async (tx) => {
    for (const b of bookings) await writer.append(tx, envelope.of(b, { tenantId, storeId: null }), { topic, key: payoutKey(b.payoutRef) });
  });
  const settled = async () => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.payout_bookings`)).rows[0]?.n ?? 0);
  while ((await settled()) < bookings.length) await sleep(200);
  const elapsedMs = performance.now() - started;
  const after = counters();
  const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  const api3 = Object.keys(after).filter((k) => /^(GET|POST|PUT) \/3\//.test(k));
  const used = api3.reduce((n, k) => n + delta(k), 0);
  const rejected = delta('rate_limited');
  const quota = RATE.requests * Math.ceil(elapsedMs / RATE.windowMs);

  const ledger = new Map<number, number>();
  for (const v of sandbox.state.tenant(company.tenantId).vouchers.values()) {
    for (const r of v.data.VoucherRows as { Account: number; Debit: number; Credit: number }[]) ledger.set(r.Account, (ledger.get(r.Account) ?? 0) + Math.round(r.Debit * 100) - Math.round(r.Credit * 100));
  }
  console.log(`connector-fortnox payout bench (${new Date().toISOString()}; sandbox-fortnox ${RATE.requests} req / ${RATE.windowMs / 1000} s; one company)`);
  console.log(`bookings: ${bookings.length} (${PAYOUTS} payouts × (${PAYMENTS} invoice payments + fee + bank payout))`);
  console.log(`drain: ${(elapsedMs / 1000).toFixed(1)} s (${(bookings.length / (elapsedMs / 1000)).toFixed(2)} bookings/s)`);
  console.log(`requests: ${used} (${(used / bookings.length).toFixed(2)} per booking), 429 answers: ${rejected}, share of quota: ${((100 * (used - rejected)) / quota).toFixed(1)} %`);
  console.log(`by endpoint: ${api3.map((k) => [k, delta(k)] as const).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`clearing 1580 after all bookings: ${(ledger.get(1580) ?? 0) / 100}; bank 1930: ${(ledger.get(1930) ?? 0) / 100}`);

  await close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
