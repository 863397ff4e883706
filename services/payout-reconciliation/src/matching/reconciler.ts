import type { Pool, PoolClient } from 'pg';
import { envelope, payoutKey, type PaymentProvider } from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { createLogger } from '@ledgerline/observability';
import { buildBookings, PayoutSumMismatchError, type BookableLine } from '../bookings/booking.mapper';
import type { MappingsRepository } from '../mappings/mappings.repository';
import type { ProviderMapping } from '../mappings/provider-mapping';
import { bookingsEmitted, exceptionsOpen, linesMatched, matchLatency, payoutsBooked } from '../metrics';
import type { LineKind, SettlementLine } from '../settlements/settlement';
import { matchLine, type KnownOrder, type KnownRefund, type MatchContext } from './line-matcher';

interface LineRow {
  provider: PaymentProvider;
  line_id: string;
  merchant_account: string;
  payout_id: string;
  tenant_id: string | null;
  kind: LineKind;
  currency: string;
  gross: string;
  fee: string;
  net: string;
  presentment_amount: string | null;
  presentment_currency: string | null;
  exchange_rate: string | null;
  order_number: string | null;
  order_ref_id: string | null;
  transaction_id: string | null;
  alt_transaction_id: string | null;
  refund_reference: string | null;
  provider_reference: string;
  description: string;
  occurred_at: string | null;
  status: string;
  reason_code: string | null;
  reason: string | null;
  matched_store_id: string | null;
  matched_order_id: string | null;
  matched_order_number: string | null;
  document_number: string | null;
  resolution_account: string | null;
  resolution_note: string | null;
  received_at: Date;
}

interface PayoutRow {
  provider: PaymentProvider;
  merchant_account: string;
  payout_id: string;
  tenant_id: string;
  currency: string;
  amount: string | null;
  arrival_date: string;
  status: string;
}

const money = (v: string) => {
  // numeric comes back as "12.5000" or "12.5"; the mappers want the contract's plain decimal form.
  const [whole, frac = ''] = v.split('.');
  const trimmed = frac.replace(/0+$/, '');
  return trimmed.length < 2 ? `${whole}.${trimmed.padEnd(2, '0')}` : `${whole}.${trimmed}`;
};

function toLine(r: LineRow): SettlementLine {
  return {
    provider: r.provider,
    merchantAccount: r.merchant_account,
    payoutId: r.payout_id,
    lineId: r.line_id,
    kind: r.kind,
    currency: r.currency,
    gross: money(r.gross),
    fee: money(r.fee),
    net: money(r.net),
    presentmentAmount: r.presentment_amount === null ? null : money(r.presentment_amount),
    presentmentCurrency: r.presentment_currency,
    exchangeRate: r.exchange_rate,
    orderNumber: r.order_number,
    orderId: r.order_ref_id,
    transactionId: r.transaction_id,
    altTransactionId: r.alt_transaction_id,
    refundReference: r.refund_reference,
    providerReference: r.provider_reference,
    description: r.description,
    occurredAt: r.occurred_at,
  };
}

/** What one reconcile pass did. */
export interface ReconcileReport {
  promoted: number;
  matched: number;
  stillWaiting: number;
  payoutsBooked: number;
  payoutsHeld: number;
  bookingsEmitted: number;
}

const BATCH = 5000;

/**
 * Matches waiting settlement lines and books every payout whose lines all matched: line bookings, fees, then the bank
 * payout, appended to the outbox in the transaction that marks the payout booked, so a payout is booked exactly once
 * however often a pass runs and on however many replicas (the payout row is locked while it is booked).
 */
export class Reconciler {
  private readonly log = createLogger('payout-reconciler');

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly mappings: MappingsRepository,
    private readonly outbox: OutboxWriter,
    private readonly topic: string,
  ) {}

  /** Runs one pass: adopt lines whose mapping now exists, match what waits, book what is complete (unless `book` is false). */
  async runOnce(opts: { book?: boolean } = {}): Promise<ReconcileReport> {
    const s = this.schema;
    const promoted = await this.pool.query(
      `UPDATE ${s}.settlement_lines l SET tenant_id = m.tenant_id, reason = NULL, reason_code = NULL,
              status = CASE WHEN l.kind IN ('payment','refund','chargeback','chargeback-reversal','capture-reversal') THEN 'waiting' ELSE 'matched' END,
              matched_at = CASE WHEN l.kind IN ('payment','refund','chargeback','chargeback-reversal','capture-reversal') THEN NULL ELSE now() END
         FROM ${s}.provider_mappings m WHERE l.status = 'unmapped' AND m.provider = l.provider AND m.merchant_account = l.merchant_account`,
    );
    await this.pool.query(
      `UPDATE ${s}.payouts p SET tenant_id = m.tenant_id FROM ${s}.provider_mappings m WHERE p.tenant_id IS NULL AND m.provider = p.provider AND m.merchant_account = p.merchant_account`,
    );
    let matched = 0;
    let stillWaiting = 0;
    const { rows: tenants } = await this.pool.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${s}.settlement_lines WHERE status = 'waiting'`);
    for (const { tenant_id } of tenants) {
      let after: [string, string] = ['', ''];
      for (;;) {
        // Keyset pagination on the primary key, so each batch is an index range scan, not a sort of every waiting line.
        const { rows } = await this.pool.query<LineRow>(
          `SELECT * FROM ${s}.settlement_lines WHERE status = 'waiting' AND tenant_id = $1 AND (provider, line_id) > ($2, $3) ORDER BY provider, line_id LIMIT ${BATCH}`,
          [tenant_id, after[0], after[1]],
        );
        if (rows.length === 0) break;
        const last = rows[rows.length - 1] as LineRow;
        after = [last.provider, last.line_id];
        const r = await this.matchBatch(tenant_id, rows);
        matched += r.matched;
        stillWaiting += r.waiting;
        if (rows.length < BATCH) break;
      }
    }
    const booked = opts.book === false ? { payoutsBooked: 0, payoutsHeld: 0, bookingsEmitted: 0 } : await this.bookReady();
    await this.refreshExceptionGauge();
    return { promoted: promoted.rowCount ?? 0, matched, stillWaiting, ...booked };
  }

  private async matchBatch(tenantId: string, rows: LineRow[]): Promise<{ matched: number; waiting: number }> {
    const lines = rows.map(toLine);
    const ctx = await this.loadContext(tenantId, lines);
    const mappingOf = new Map<string, ProviderMapping | null>();
    const updates: Array<{ r: LineRow; status: string; code: string | null; reason: string | null; store: string | null; order: string | null; number: string | null; refund: string | null; doc: string | null }> = [];
    let matched = 0;
    let waiting = 0;
    for (const [i, line] of lines.entries()) {
      const key = `${line.provider}\u0000${line.merchantAccount}`;
      if (!mappingOf.has(key)) mappingOf.set(key, await this.mappings.find(line.provider, line.merchantAccount));
      const mapping = mappingOf.get(key);
      const r = rows[i] as LineRow;
      if (!mapping) continue;
      const outcome = matchLine(line, mapping, ctx);
      if (outcome.status === 'waiting') waiting++;
      if (outcome.status === 'matched') {
        matched++;
        linesMatched.inc({ provider: line.provider });
        matchLatency.observe({ provider: line.provider }, (Date.now() - r.received_at.getTime()) / 1000);
        updates.push({ r, status: 'matched', code: null, reason: null, store: outcome.order.storeId, order: outcome.order.orderId, number: outcome.order.orderNumber, refund: outcome.refundId, doc: outcome.documentNumber });
      } else if (outcome.code !== r.reason_code || outcome.reason !== r.reason) {
        // Only a changed reason is written: most waiting lines wait for the same thing pass after pass.
        updates.push({ r, status: 'waiting', code: outcome.code, reason: outcome.reason, store: null, order: null, number: null, refund: null, doc: null });
      }
    }
    if (updates.length > 0) {
      await this.pool.query(
        `UPDATE ${this.schema}.settlement_lines l SET status = u.status, reason_code = u.code, reason = u.reason, matched_store_id = u.store, matched_order_id = u.ord,
                matched_order_number = u.num, matched_refund_id = u.refund, document_number = u.doc, matched_at = CASE WHEN u.status = 'matched' THEN now() END
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
             AS u(provider, line_id, status, code, reason, store, ord, num, refund, doc)
          WHERE l.provider = u.provider AND l.line_id = u.line_id AND l.status = 'waiting'`,
        [
          updates.map((u) => u.r.provider),
          updates.map((u) => u.r.line_id),
          updates.map((u) => u.status),
          updates.map((u) => u.code),
          updates.map((u) => u.reason),
          updates.map((u) => u.store),
          updates.map((u) => u.order),
          updates.map((u) => u.number),
          updates.map((u) => u.refund),
          updates.map((u) => u.doc),
        ],
      );
    }
    return { matched, waiting };
  }

  /** Loads every order, refund and document the batch's references can reach, in a handful of set queries. */
  async loadContext(tenantId: string, lines: SettlementLine[]): Promise<MatchContext> {
    const s = this.schema;
    const txns = [...new Set(lines.flatMap((l) => [l.transactionId, l.altTransactionId]).filter((v): v is string => !!v))];
    const ids = [...new Set(lines.map((l) => l.orderId).filter((v): v is string => !!v))];
    const numbers = [...new Set(lines.map((l) => l.orderNumber).filter((v): v is string => !!v))];
    const { rows: orders } = await this.pool.query<{ store_id: string; order_id: string; order_number: string; gateway: string | null; transaction_id: string | null; currency: string }>(
      `SELECT store_id, order_id, order_number, gateway, transaction_id, currency FROM ${s}.orders
        WHERE tenant_id = $1 AND (transaction_id = ANY($2) OR order_id = ANY($3) OR order_number = ANY($4))`,
      [tenantId, txns, ids, numbers],
    );
    const ctx: MatchContext = { tenantId, ordersByTransaction: new Map(), ordersById: new Map(), ordersByNumber: new Map(), invoices: new Map(), refunds: new Map(), creditInvoices: new Map(), usedRefunds: new Set() };
    const push = (map: Map<string, KnownOrder[]>, key: string | null, o: KnownOrder) => {
      if (key === null) return;
      const list = map.get(key);
      if (list) list.push(o);
      else map.set(key, [o]);
    };
    for (const r of orders) {
      const o: KnownOrder = { tenantId, storeId: r.store_id, orderId: r.order_id, orderNumber: r.order_number, gateway: r.gateway, transactionId: r.transaction_id, currency: r.currency };
      push(ctx.ordersByTransaction, r.transaction_id, o);
      push(ctx.ordersById, r.order_id, o);
      push(ctx.ordersByNumber, r.order_number, o);
    }
    if (orders.length === 0) return ctx;
    const stores = orders.map((o) => o.store_id);
    const orderIds = orders.map((o) => o.order_id);
    const { rows: docs } = await this.pool.query<{ store_id: string; order_id: string; kind: string; source_id: string; document_number: string }>(
      `SELECT d.store_id, d.order_id, d.kind, d.source_id, d.document_number FROM ${s}.erp_documents d
         JOIN unnest($2::text[], $3::text[]) AS k(store_id, order_id) ON d.store_id = k.store_id AND d.order_id = k.order_id
        WHERE d.tenant_id = $1 AND d.kind IN ('invoice', 'credit-invoice')`,
      [tenantId, stores, orderIds],
    );
    for (const d of docs) {
      if (d.kind === 'invoice') ctx.invoices.set(`${d.store_id}:${d.order_id}`, d.document_number);
      else ctx.creditInvoices.set(`${d.store_id}:${d.source_id}`, d.document_number);
    }
    if (lines.some((l) => l.kind === 'refund')) {
      const { rows: refunds } = await this.pool.query<{ store_id: string; order_id: string; refund_id: string; amount: string; currency: string; created_at: Date }>(
        `SELECT r.store_id, r.order_id, r.refund_id, r.amount::text, r.currency, r.created_at FROM ${s}.order_refunds r
           JOIN unnest($2::text[], $3::text[]) AS k(store_id, order_id) ON r.store_id = k.store_id AND r.order_id = k.order_id
          WHERE r.tenant_id = $1 ORDER BY r.created_at, r.refund_id`,
        [tenantId, stores, orderIds],
      );
      for (const r of refunds) {
        const key = `${r.store_id}:${r.order_id}`;
        const refund: KnownRefund = { refundId: r.refund_id, amount: r.amount, currency: r.currency, createdAt: r.created_at.toISOString() };
        const list = ctx.refunds.get(key);
        if (list) list.push(refund);
        else ctx.refunds.set(key, [refund]);
      }
      const { rows: used } = await this.pool.query<{ matched_store_id: string; matched_refund_id: string }>(
        `SELECT matched_store_id, matched_refund_id FROM ${s}.settlement_lines WHERE tenant_id = $1 AND matched_refund_id = ANY($2)`,
        [tenantId, refunds.map((r) => r.refund_id)],
      );
      for (const u of used) ctx.usedRefunds.add(`${u.matched_store_id}:${u.matched_refund_id}`);
    }
    return ctx;
  }

  /** Books every payout with no waiting line; returns counts. */
  private async bookReady(): Promise<{ payoutsBooked: number; payoutsHeld: number; bookingsEmitted: number }> {
    const s = this.schema;
    const { rows } = await this.pool.query<{ provider: string; merchant_account: string; payout_id: string }>(
      `SELECT p.provider, p.merchant_account, p.payout_id FROM ${s}.payouts p
        WHERE p.status = 'waiting' AND p.tenant_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${s}.settlement_lines l WHERE l.provider = p.provider AND l.merchant_account = p.merchant_account AND l.payout_id = p.payout_id AND l.status IN ('waiting', 'unmapped'))
        ORDER BY p.arrival_date, p.payout_id`,
    );
    let booked = 0;
    let held = 0;
    let emitted = 0;
    for (const p of rows) {
      const r = await withTransaction(this.pool, (tx) => this.bookPayout(tx, p.provider, p.merchant_account, p.payout_id));
      if (r === 'held') held++;
      else if (r > 0) {
        booked++;
        emitted += r;
      }
    }
    return { payoutsBooked: booked, payoutsHeld: held, bookingsEmitted: emitted };
  }

  private async bookPayout(tx: PoolClient, provider: string, merchantAccount: string, payoutId: string): Promise<number | 'held'> {
    const s = this.schema;
    const { rows } = await tx.query<PayoutRow>(
      `SELECT provider, merchant_account, payout_id, tenant_id, currency, amount::text, to_char(arrival_date, 'YYYY-MM-DD') AS arrival_date, status
         FROM ${s}.payouts WHERE provider = $1 AND merchant_account = $2 AND payout_id = $3 FOR UPDATE`,
      [provider, merchantAccount, payoutId],
    );
    const p = rows[0];
    if (!p || p.status !== 'waiting') return 0;
    const mapping = await this.mappings.find(provider, merchantAccount, { fresh: true });
    if (!mapping) return 0;
    const hold = async (code: string, reason: string): Promise<'held'> => {
      await tx.query(`UPDATE ${s}.payouts SET hold_code = $4, hold_reason = $5 WHERE provider = $1 AND merchant_account = $2 AND payout_id = $3`, [provider, merchantAccount, payoutId, code, reason]);
      payoutsBooked.inc({ provider, outcome: 'held' });
      return 'held';
    };
    const { rows: refused } = await tx.query<{ file_id: string; row_number: number; column_name: string | null; message: string; file_name: string }>(
      `SELECT r.file_id, r.row_number, r.column_name, r.message, f.file_name FROM ${s}.refused_rows r JOIN ${s}.report_files f ON f.id = r.file_id
        WHERE r.provider = $1 AND r.status = 'open' AND (r.payout_id = $2 OR (r.payout_id IS NULL AND r.file_id IN (SELECT file_id FROM ${s}.settlement_lines WHERE provider = $1 AND payout_id = $2 AND file_id IS NOT NULL)))
        ORDER BY r.id LIMIT 5`,
      [provider, payoutId],
    );
    // A refused row may have carried money of this payout. When the payout states its amount (API, Adyen MerchantPayout
    // row) the sum check below decides; when it does not (Stripe and Klarna reports), it waits for a corrected file or
    // an API poll that states the amount.
    if (refused.length > 0 && p.amount === null) {
      return hold(
        'PAYOUT_ROWS_REFUSED',
        `Payout ${payoutId} is incomplete: ${refused.map((r) => `line ${r.row_number}${r.column_name ? ` column "${r.column_name}"` : ''} of "${r.file_name}" was refused (${r.message})`).join('; ')}. Nothing was booked; upload a corrected report.`,
      );
    }
    const { rows: lineRows } = await tx.query<LineRow>(`SELECT * FROM ${s}.settlement_lines WHERE provider = $1 AND merchant_account = $2 AND payout_id = $3 ORDER BY occurred_at NULLS LAST, line_id`, [provider, merchantAccount, payoutId]);
    const lines: BookableLine[] = lineRows.map((r) => ({
      ...toLine(r),
      match:
        r.matched_store_id && r.matched_order_id && r.matched_order_number && r.document_number
          ? { orderRef: { tenantId: mapping.tenantId, storeId: r.matched_store_id, orderId: r.matched_order_id, orderNumber: r.matched_order_number }, documentNumber: r.document_number }
          : null,
      resolution: r.status === 'resolved' ? { account: r.resolution_account ?? mapping.accounts.adjustment, note: r.resolution_note ?? '' } : null,
    }));
    let bookings;
    try {
      bookings = buildBookings({ provider: p.provider, merchantAccount, payoutId, currency: p.currency, amount: p.amount === null ? null : money(p.amount), arrivalDate: p.arrival_date }, lines, mapping, new Date().toISOString());
    } catch (err) {
      if (!(err instanceof PayoutSumMismatchError)) throw err;
      this.log.warn({ provider, payoutId }, err.message);
      return hold(err.code, err.message);
    }
    const key = payoutKey({ tenantId: mapping.tenantId, provider, payoutId });
    for (const b of bookings) {
      await this.outbox.append(tx, envelope.of(b, { tenantId: mapping.tenantId, storeId: null }), { topic: this.topic, key });
      bookingsEmitted.inc({ provider, kind: b.kind });
    }
    await tx.query(`UPDATE ${s}.payouts SET status = 'booked', booked_at = now(), hold_code = NULL, hold_reason = NULL, amount = COALESCE(amount, $4) WHERE provider = $1 AND merchant_account = $2 AND payout_id = $3`, [
      provider,
      merchantAccount,
      payoutId,
      bookings.at(-1)?.amount.amount,
    ]);
    await tx.query(`UPDATE ${s}.settlement_lines SET status = 'booked' WHERE provider = $1 AND merchant_account = $2 AND payout_id = $3 AND status IN ('matched', 'resolved')`, [provider, merchantAccount, payoutId]);
    payoutsBooked.inc({ provider, outcome: 'booked' });
    return bookings.length;
  }

  private async refreshExceptionGauge(): Promise<void> {
    const { rows } = await this.pool.query<{ provider: string; code: string; n: string }>(
      `SELECT provider, COALESCE(reason_code, 'UNKNOWN') AS code, count(*)::text AS n FROM ${this.schema}.settlement_lines WHERE status IN ('waiting', 'unmapped') GROUP BY 1, 2
       UNION ALL SELECT provider, hold_code, count(*)::text FROM ${this.schema}.payouts WHERE status = 'waiting' AND hold_code IS NOT NULL GROUP BY 1, 2`,
    );
    exceptionsOpen.reset();
    for (const r of rows) exceptionsOpen.set({ provider: r.provider, code: r.code }, Number(r.n));
  }
}
