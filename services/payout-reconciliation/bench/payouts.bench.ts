/* eslint-disable @typescript-eslint/no-non-null-assertion -- tests index into fixtures and answers known to hold the element; a wrong index fails the assertion. */
// bench:payouts — settlement lines matched per second for a 100,000-line Stripe itemized report against real
// PostgreSQL, and the bookings emitted per second when those payouts are booked through the outbox.
// Usage (from the repo root, infra running): node -r ./scripts/register.cjs services/payout-reconciliation/bench/payouts.bench.ts
// Settings: BENCH_LINES (default 100000), BENCH_PAYOUTS (default 50), BENCH_BOOK (default "on").
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { Decimal } from '@ledgerline/money';
import { PspSandbox, type Provider } from '@ledgerline/sandbox-psp';
import { ensureMessagingSchema, OutboxWriter } from '@ledgerline/messaging';
import { runMigrations } from '@ledgerline/persistence';
import { createTestDatabase } from '@ledgerline/testing';
import { SettlementStore } from '../src/ingest/settlement-store';
import { MappingsRepository } from '../src/mappings/mappings.repository';
import { Reconciler } from '../src/matching/reconciler';
import { migrations } from '../src/persistence/migrations';
import { parseAdyenReport } from '../src/settlements/adyen.parser';
import { parseKlarnaReport } from '../src/settlements/klarna.parser';
import { parseStripeReport } from '../src/settlements/stripe.parser';

const LINES = Number(process.env['BENCH_LINES'] ?? 100_000);
const PAYOUTS = Number(process.env['BENCH_PAYOUTS'] ?? 50);
const BOOK = (process.env['BENCH_BOOK'] ?? 'on') === 'on';

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')}/s`;

function report(lines: number): string {
  const header = 'automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description,customer_facing_amount,customer_facing_currency,charge_id,payment_intent_id,payment_metadata[order_id]';
  const rows = [header];
  for (let i = 0; i < lines; i++) {
    const payout = `po_bench${String(i % PAYOUTS).padStart(6, '0')}`;
    const cents = 1000 + ((i * 7919) % 50_000);
    const fee = 25 + Math.floor(cents * 0.014);
    const money = (c: number) => `${Math.trunc(c / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
    rows.push(
      [payout, '2026-10-31 00:00:00', `txn_bench${i}`, '2026-10-20 10:00:00', '2026-10-31 00:00:00', 'eur', money(cents), money(fee), money(cents - fee), 'charge', `ch_bench${i}`, `Order ${100000 + i}`, money(cents), 'eur', `ch_bench${i}`, '', String(100000 + i)].join(','),
    );
  }
  return rows.join('\n');
}

const ACCOUNTS: Record<Provider, string> = { stripe: 'acct_month', klarna: 'K777001', adyen: 'ShopMonthECOM' };

/**
 * The match rate on a sandbox month: 2,050 orders (every seventh in SEK, settled in EUR), 100 refunds, 5 chargebacks,
 * partial captures and a rolling reserve; every payout's report parsed and stored, orders, refunds and documents
 * written as the consumers would, then one matching pass. Returns matched / lines that need an order.
 */
async function sandboxMatchRate(pool: Pool, schema: string, mappings: MappingsRepository, provider: Provider): Promise<string> {
  const psp = await PspSandbox.start();
  try {
    const account = ACCOUNTS[provider];
    const orders = Array.from({ length: 2050 }, (_, i) => ({
      orderId: String(5000 + i),
      orderNumber: String(5000 + i),
      total: i % 7 === 0 ? `${100 + (i % 400)}.${String((i * 13) % 100).padStart(2, '0')}` : `${10 + (i % 180)}.${String((i * 29) % 100).padStart(2, '0')}`,
      currency: i % 7 === 0 ? 'SEK' : 'EUR',
      paidAt: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
    }));
    const txn = new Map(psp.capture(provider, account, orders).map((c) => [c.orderId, c.transactionId]));
    const truth = psp.settleMonth(provider, account, { month: '2026-10', seed: 7, refunds: 100, chargebacks: 5, partialCaptures: 10, settlementCurrency: 'EUR', reservePercent: '10', reserveReleaseDays: 7 });
    const tenant = `month-${provider}`;
    await mappings.upsert({ provider, merchantAccount: account, tenantId: tenant, erp: 'fortnox', erpConnectionId: 'f', accounts: { clearing: '1580', fee: '6570', bank: '1930', reserve: '1589', chargeback: '6390', adjustment: '3740' }, modeOfPayment: 'X', gateways: [provider], credentials: {} });
    const store = new SettlementStore(pool, schema, mappings);
    for (const p of truth.payouts) {
      const csv = psp.reportCsv(provider, account, p.payoutId);
      const parsed = provider === 'stripe' ? parseStripeReport(csv, account) : provider === 'klarna' ? parseKlarnaReport(csv) : parseAdyenReport(csv, `settlement_detail_report_batch_${p.payoutId}.csv`);
      await store.ingestFile(parsed, { name: p.payoutId, bytes: Buffer.from(csv), source: 'bench' });
    }
    for (const o of orders) {
      await pool.query(`INSERT INTO ${schema}.orders (tenant_id, store_id, order_id, order_number, gateway, transaction_id, currency, total, modified_at) VALUES ($1,'shop',$2,$3,$4,$5,$6,$7,now())`, [tenant, o.orderId, o.orderNumber, provider, txn.get(o.orderId), o.currency, o.total]);
      await pool.query(`INSERT INTO ${schema}.erp_documents (tenant_id, store_id, order_id, kind, source_id, document_number, erp, erp_connection_id, total, currency, recorded_at) VALUES ($1,'shop',$2,'invoice',$2,'F'||$2,'fortnox','f',$3,$4,now())`, [tenant, o.orderId, o.total, o.currency]);
    }
    let n = 0;
    const byId = new Map(orders.map((o) => [o.orderId, o]));
    for (const l of truth.payouts.flatMap((p) => p.lines)) {
      if (l.type !== 'refund' || !l.orderId) continue;
      const o = byId.get(l.orderId)!;
      const amount = l.presentmentAmount && l.presentmentCurrency === o.currency ? Decimal.of(l.presentmentAmount).abs() : Decimal.of(l.gross).abs();
      const refundId = String(900000 + n++);
      await pool.query(`INSERT INTO ${schema}.order_refunds (tenant_id, store_id, order_id, refund_id, amount, currency, created_at) VALUES ($1,'shop',$2,$3,$4,$5,now())`, [tenant, o.orderId, refundId, amount.toFixed(2), o.currency]);
      await pool.query(`INSERT INTO ${schema}.erp_documents (tenant_id, store_id, order_id, kind, source_id, document_number, erp, erp_connection_id, total, currency, recorded_at) VALUES ($1,'shop',$2,'credit-invoice',$3,'C'||$3,'fortnox','f',$4,$5,now())`, [tenant, o.orderId, refundId, amount.toFixed(2), o.currency]);
    }
    const reconciler = new Reconciler(pool, schema, mappings, new OutboxWriter(schema.replace(/"/g, '')), 'ledgerline.payouts.bookings.v1.bench');
    await reconciler.runOnce({ book: false });
    const { rows } = await pool.query<{ needed: string; matched: string }>(
      `SELECT count(*) FILTER (WHERE kind IN ('payment','refund','chargeback','chargeback-reversal','capture-reversal'))::text AS needed,
              count(*) FILTER (WHERE kind IN ('payment','refund','chargeback','chargeback-reversal','capture-reversal') AND status = 'matched')::text AS matched
         FROM ${schema}.settlement_lines WHERE tenant_id = $1`,
      [tenant],
    );
    const { needed, matched } = rows[0]!;
    return `${provider}: ${truth.payouts.length} payouts, ${matched}/${needed} order lines matched (${((100 * Number(matched)) / Number(needed)).toFixed(2)} %)`;
  } finally {
    await psp.close();
  }
}

async function main(): Promise<void> {
  const db = await createTestDatabase('payout_bench', 8);
  const schema = `"${db.schema}"`;
  try {
    await ensureMessagingSchema(db.pool, db.schema);
    await runMigrations(db.pool, db.schema, migrations);
    const mappings = new MappingsRepository(db.pool, schema, randomBytes(32));
    await mappings.upsert({
      provider: 'stripe',
      merchantAccount: 'acct_bench',
      tenantId: 'bench',
      erp: 'fortnox',
      erpConnectionId: 'fortnox-bench',
      accounts: { clearing: '1580', fee: '6570', bank: '1930', reserve: '1589', chargeback: '6390', adjustment: '3740' },
      modeOfPayment: 'STRIPE',
      gateways: ['stripe'],
      credentials: {},
    });
    // The orders and invoices the consumers would have stored, written in bulk.
    await db.pool.query(
      `INSERT INTO ${schema}.orders (tenant_id, store_id, order_id, order_number, gateway, transaction_id, currency, total, modified_at)
       SELECT 'bench', 'shop', (100000 + g)::text, (100000 + g)::text, 'stripe', 'ch_bench' || g, 'EUR', 100, now() FROM generate_series(0, $1 - 1) g`,
      [LINES],
    );
    await db.pool.query(
      `INSERT INTO ${schema}.erp_documents (tenant_id, store_id, order_id, kind, source_id, document_number, erp, erp_connection_id, total, currency, recorded_at)
       SELECT 'bench', 'shop', (100000 + g)::text, 'invoice', (100000 + g)::text, 'F' || g, 'fortnox', 'fortnox-bench', 100, 'EUR', now() FROM generate_series(0, $1 - 1) g`,
      [LINES],
    );
    const csv = Buffer.from(report(LINES));

    let t0 = process.hrtime.bigint();
    const parsed = parseStripeReport(csv.toString('utf8'), 'acct_bench');
    const parseS = seconds(t0);

    const store = new SettlementStore(db.pool, schema, mappings);
    t0 = process.hrtime.bigint();
    const stored = await store.ingestFile(parsed, { name: 'bench.csv', bytes: csv, source: 'bench' });
    const storeS = seconds(t0);

    const reconciler = new Reconciler(db.pool, schema, mappings, new OutboxWriter(db.schema), 'ledgerline.payouts.bookings.v1.bench');
    t0 = process.hrtime.bigint();
    const matched = await reconciler.runOnce({ book: false });
    const matchS = seconds(t0);

    let bookLine = 'booking: skipped (BENCH_BOOK=off)';
    if (BOOK) {
      t0 = process.hrtime.bigint();
      const booked = await reconciler.runOnce();
      const bookS = seconds(t0);
      bookLine = `booking: ${booked.payoutsBooked} payouts, ${booked.bookingsEmitted.toLocaleString('en-US')} bookings appended to the outbox in ${bookS.toFixed(1)} s (${rate(booked.bookingsEmitted, bookS)})`;
    }
    const total = parseS + storeS + matchS;
    console.log(`payout-reconciliation bench, ${LINES.toLocaleString('en-US')} Stripe report lines in ${PAYOUTS} payouts (${(csv.length / 1e6).toFixed(1)} MB)`);
    console.log(`parse:  ${parseS.toFixed(2)} s (${rate(LINES, parseS)})`);
    console.log(`store:  ${storeS.toFixed(2)} s (${rate(stored.linesStored, storeS)}), ${stored.linesStored.toLocaleString('en-US')} lines stored`);
    console.log(`match:  ${matchS.toFixed(2)} s (${rate(matched.matched, matchS)}), ${matched.matched.toLocaleString('en-US')} matched, ${matched.stillWaiting} waiting`);
    console.log(`parse + store + match: ${total.toFixed(2)} s → ${rate(matched.matched, total)} settlement lines matched per second`);
    console.log(bookLine);
    if ((process.env['BENCH_SANDBOX'] ?? 'on') === 'on') {
      for (const provider of ['stripe', 'klarna', 'adyen'] as const) console.log(`match rate, sandbox month — ${await sandboxMatchRate(db.pool, schema, mappings, provider)}`);
    }
  } finally {
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
