// How fast connector-fortnox turns a backlog of orders into Fortnox invoices under Fortnox's rate limit, and how long
// one order takes from order.placed to the invoice when nothing is queued. Figures only, no assertions.
//
//   npm run bench:fortnox                      # BENCH_ORDERS=2000 BENCH_LATENCY_ORDERS=50
//   BENCH_ORDERS=100 npm run bench:fortnox     # 2,000 orders take ≥ 13 min at 25 requests / 5 s
//
// In one process: sandbox-fortnox (25 requests / 5 s sliding, per client + company, HTTP 429 above it, as Fortnox),
// the connector's Nest app on a fresh schema and topic suffix, and a producer (outbox + relay on a schema of its own)
// that publishes canonical order.placed events (exampleOrder: one article row + shipping, one customer e-mail).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { envelope, exampleOrder, orderKey, OrderPlaced, Topics, withSuffix, type CanonicalOrder } from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import type { FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import { startConnector } from '../test/connector.harness';
import { externalRefOf } from '../src/orders/invoice.mapper';

const BACKLOG = Number(process.env.BENCH_ORDERS ?? 2000);
const LATENCY_ORDERS = Number(process.env.BENCH_LATENCY_ORDERS ?? 50);
const RATE = { requests: 25, windowMs: 5000 };
const STORE_ID = 'bench-shop';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** Requests to the API (OAuth is not rate limited and not counted), 429 answers, from the sandbox's counters. */
function traffic(sandbox: FortnoxSandbox): { api: number; rateLimited: number; byEndpoint: Record<string, number> } {
  const c = sandbox.control.counters();
  const byEndpoint = Object.fromEntries(Object.entries(c).filter(([k]) => /^(GET|POST|PUT|DELETE) \/(3|api)\//.test(k)));
  return { api: Object.values(byEndpoint).reduce((a, b) => a + b, 0), rateLimited: c['rate_limited'] ?? 0, byEndpoint };
}

async function main(): Promise<void> {
  const { sandbox, db, producerDb, base, suffix, close } = await startConnector(
    'bench',
    { FORTNOX_RATE_LIMIT_REQUESTS: String(RATE.requests), FORTNOX_RATE_LIMIT_WINDOW_MS: String(RATE.windowMs) },
    // Production defaults otherwise, except a worker that looks for due intents every 50 ms instead of every second.
    { sandboxOptions: { rateLimit: RATE }, relayIdleDelayMs: 10, productionTimings: true, logErrors: true },
  );
  const topic = withSuffix(Topics.storeOrders, suffix);

  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  const company = sandbox.control.createTenant('Bench AB');
  const tenantId = `bench-${randomUUID().slice(0, 8)}`;
  await call('POST', '/connections', { tenantId, authorizationCode: company.authorizationCode });
  await call('PUT', `/tenants/${tenantId}/mappings`, {
    taxCodes: { 'SE:25': { vat: 25, account: 3001 }, 'SE:12': { vat: 12, account: 3002 }, 'SE:6': { vat: 6, account: 3003 }, 'SE:0': { vat: 0, account: 3004 } },
    paymentMethods: { stripe: { modeOfPayment: 'KORT' }, bacs: { modeOfPayment: 'BG' } },
  });
  const invoices = sandbox.state.tenant(company.tenantId).invoices;
  const writer = new OutboxWriter(producerDb.schema);
  const orderOf = (n: number): CanonicalOrder => exampleOrder({ tenantId, storeId: STORE_ID, orderId: String(100_000 + n), orderNumber: String(100_000 + n) });
  const publish = (orders: CanonicalOrder[]) =>
    withTransaction(producerDb.pool, async (tx) => {
      for (const order of orders) await writer.append(tx, envelope.of(new OrderPlaced({ order }), { tenantId, storeId: STORE_ID }), { topic, key: orderKey(order.orderRef) });
    });
  const openIntents = async () => {
    const { rows } = await db.pool.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM ${db.schema}.document_intents GROUP BY status`);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  };

  // 1. Backlog: every order published at once, then drained.
  const before = traffic(sandbox);
  const started = performance.now();
  for (let i = 0; i < BACKLOG; i += 500) await publish(Array.from({ length: Math.min(500, BACKLOG - i) }, (_, k) => orderOf(i + k)));
  const published = performance.now();
  let lastReport = started;
  while (invoices.size < BACKLOG) {
    await sleep(200);
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      process.stderr.write(`# ${invoices.size}/${BACKLOG} invoices after ${((lastReport - published) / 1000).toFixed(0)} s\n`);
    }
  }
  // The drain is timed from the commit that made the backlog visible to the relay (the appends themselves are not the
  // connector's work).
  const elapsedMs = performance.now() - published;
  const after = traffic(sandbox);
  const used = after.api - before.api;
  const rejected = after.rateLimited - before.rateLimited;
  const accepted = used - rejected;
  // The most a sliding 25 / 5 s window lets through in that time: 25 per started window.
  const quota = RATE.requests * Math.ceil(elapsedMs / RATE.windowMs);
  const endpoints = Object.entries(after.byEndpoint)
    .map(([k, v]) => [k, v - (before.byEndpoint[k] ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

  // 2. Latency with nothing queued: one order at a time, publish (outbox commit) → invoice stored in Fortnox.
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_ORDERS; i++) {
    const order = orderOf(BACKLOG + i);
    const ref = externalRefOf(order.orderRef);
    const known = invoices.size;
    const t0 = performance.now();
    await publish([order]);
    while (invoices.size === known) await sleep(5);
    latencies.push(performance.now() - t0);
    const last = [...invoices.values()].at(-1);
    if (last?.data['ExternalInvoiceReference1'] !== ref) throw new Error(`unexpected invoice ${JSON.stringify(last?.data['ExternalInvoiceReference1'])}, expected ${ref}`);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const end = traffic(sandbox);
  const intents = await openIntents();

  console.log(`connector-fortnox bench (${new Date().toISOString()}; sandbox-fortnox ${RATE.requests} req / ${RATE.windowMs / 1000} s; one company)`);
  console.log(`backlog: ${BACKLOG} order.placed published in ${ms(published - started)}; all ${BACKLOG} invoices in Fortnox ${(elapsedMs / 1000).toFixed(1)} s after that commit (${((BACKLOG * 1000) / elapsedMs).toFixed(2)} invoices/s)`);
  console.log(`  Fortnox API requests: ${used} (${(used / BACKLOG).toFixed(2)} per order; ${endpoints})`);
  console.log(`  accepted ${accepted} of a quota of ${quota} in that time (${RATE.requests} × ⌈${(elapsedMs / 1000).toFixed(1)} s / ${RATE.windowMs / 1000} s⌉): share ${((100 * accepted) / quota).toFixed(1)} %`);
  console.log(`  429 answers: ${rejected}`);
  console.log(`  extrapolated to 2,000 orders at this rate: ${((2000 * elapsedMs) / BACKLOG / 60_000).toFixed(1)} min (floor at ${(used / BACKLOG).toFixed(2)} requests/order and 5 req/s: ${((2000 * used) / BACKLOG / 5 / 60).toFixed(1)} min)`);
  console.log(`latency, no backlog, ${LATENCY_ORDERS} orders one at a time (outbox commit → invoice stored): p50 ${ms(pct(sorted, 50))}, p99 ${ms(pct(sorted, 99))}, min ${ms(sorted[0] ?? NaN)}, max ${ms(sorted.at(-1) ?? NaN)}`);
  console.log(`  429 answers during the latency run: ${end.rateLimited - after.rateLimited}; document intents by status: ${JSON.stringify(intents)}`);

  await close();
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
