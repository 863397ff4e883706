import { Decimal } from '@ledgerline/money';
import { unix } from '../common/dates';
import { minorUnits } from '../common/money';
import { stripeError } from '../http/psp-http.error';
import type { PspRuntime, Scope } from '../psp-runtime';
import type { CapturedPayment } from '../ledger/psp-types';
import { balanceTransactionJson, payoutJson, type StripePayout, type StripeTxnEntry } from './stripe.render';

const LIST_PARAMS = new Set(['limit', 'starting_after', 'ending_before', 'expand[]', 'expand']);

/** Stripe list semantics over the sandbox's payouts: newest first, cursor pagination, `expand[]`. */
export class StripeApi {
  constructor(private readonly runtime: PspRuntime) {}

  private payouts(scope: Scope): StripePayout[] {
    return this.runtime.payouts('stripe', scope);
  }

  private entries(scope: Scope): StripeTxnEntry[] {
    const out: StripeTxnEntry[] = [];
    for (const payout of this.payouts(scope)) {
      for (const r of payout.records) out.push({ payout, at: r.at, txn: r.data });
      out.push({ payout, at: payout.createdAt, txn: payout.data.txn });
    }
    return out;
  }

  listPayouts(scope: Scope, q: URLSearchParams) {
    checkParams(q, new Set([...LIST_PARAMS, 'status', ...rangeParams('created'), ...rangeParams('arrival_date')]));
    const created = rangeFilter(q, 'created');
    const arrival = rangeFilter(q, 'arrival_date');
    const all = this.payouts(scope)
      .filter((p) => (!q.get('status') || q.get('status') === 'paid') && created(unix(p.createdAt)) && arrival(unix(new Date(`${p.arrivalDate}T00:00:00Z`))))
      .map((p) => ({ id: p.payoutId, created: unix(p.createdAt), value: p }));
    return page(all, q, '/v1/payouts', (p) => payoutJson(p));
  }

  payout(scope: Scope, id: string) {
    const p = this.payouts(scope).find((x) => x.payoutId === id);
    return p ? payoutJson(p) : null;
  }

  listBalanceTransactions(scope: Scope, q: URLSearchParams) {
    checkParams(q, new Set([...LIST_PARAMS, 'payout', 'type', 'source', 'currency', ...rangeParams('created')]));
    const created = rangeFilter(q, 'created');
    const payoutId = q.get('payout');
    if (payoutId !== null && !this.payouts(scope).some((p) => p.payoutId === payoutId)) throw stripeError(404, `No such payout: '${payoutId}'`, { code: 'resource_missing', param: 'payout' });
    const expand = expansions(q);
    const entries = this.entries(scope).filter(
      (e) =>
        (payoutId === null || e.payout.payoutId === payoutId) &&
        (!q.get('type') || e.txn.type === q.get('type')) &&
        (!q.get('source') || e.txn.sourceId === q.get('source')) &&
        (!q.get('currency') || e.txn.currency.toLowerCase() === q.get('currency')?.toLowerCase()) &&
        created(unix(e.at)),
    );
    const all = entries.map((e) => ({ id: e.txn.id, created: unix(e.at), value: e }));
    const byCharge = expand.has('data.source') ? this.byCharge(scope) : new Map<string, StripeTxnEntry[]>();
    return page(all, q, '/v1/balance_transactions', (e) => balanceTransactionJson(e, expand.has('data.source') ? this.source(byCharge, e) : null));
  }

  balanceTransaction(scope: Scope, id: string, q: URLSearchParams) {
    const e = this.entries(scope).find((x) => x.txn.id === id);
    return e ? balanceTransactionJson(e, expansions(q).has('source') ? this.source(this.byCharge(scope), e) : null) : null;
  }

  charge(scope: Scope, id: string) {
    const entries = this.entries(scope).filter((e) => e.txn.payment?.transactionId === id);
    const payment = entries[0]?.txn.payment;
    return payment ? this.chargeJson(payment, entries) : null;
  }

  /** Every transaction of each charge, by charge id. */
  private byCharge(scope: Scope): Map<string, StripeTxnEntry[]> {
    const out = new Map<string, StripeTxnEntry[]>();
    for (const e of this.entries(scope)) {
      const id = e.txn.payment?.transactionId;
      if (id) out.set(id, [...(out.get(id) ?? []), e]);
    }
    return out;
  }

  /** The expanded `source` of a balance transaction. */
  private source(byCharge: Map<string, StripeTxnEntry[]>, e: StripeTxnEntry): unknown {
    const t = e.txn;
    const p = t.payment;
    if (t.sourceObject === 'payout') return payoutJson(e.payout);
    if (!p || !t.sourceId) return null;
    const related = byCharge.get(p.transactionId) ?? [];
    if (t.sourceObject === 'charge') return this.chargeJson(p, related);
    if (t.sourceObject === 'refund') {
      return {
        id: t.sourceId,
        object: 'refund',
        amount: minorUnits((t.customerFacing ?? Decimal.ZERO).abs(), p.currency),
        balance_transaction: t.id,
        charge: p.transactionId,
        created: unix(e.at),
        currency: p.currency.toLowerCase(),
        metadata: {},
        payment_intent: p.secondaryId,
        reason: t.reportingCategory === 'partial_capture_reversal' ? null : 'requested_by_customer',
        status: 'succeeded',
      };
    }
    const disputeTxns = related.filter((x) => x.txn.sourceId === t.sourceId);
    return {
      id: t.sourceId,
      object: 'dispute',
      amount: minorUnits(p.total, p.currency),
      balance_transactions: disputeTxns.map((x) => x.txn.id),
      charge: p.transactionId,
      created: unix(disputeTxns[0]?.at ?? e.at),
      currency: p.currency.toLowerCase(),
      is_charge_refundable: false,
      metadata: {},
      payment_intent: p.secondaryId,
      reason: 'fraudulent',
      status: disputeTxns.some((x) => x.txn.reportingCategory === 'dispute_reversal') ? 'won' : 'lost',
    };
  }

  private chargeJson(p: CapturedPayment, related: StripeTxnEntry[]) {
    const charge = related.find((x) => x.txn.type === 'charge');
    const refunded = Decimal.sum(related.filter((x) => x.txn.type === 'refund').map((x) => (x.txn.customerFacing ?? Decimal.ZERO).abs()));
    const amount = minorUnits(p.total, p.currency);
    const captured = charge?.txn.captured ? minorUnits(charge.txn.captured, p.currency) : amount;
    return {
      id: p.transactionId,
      object: 'charge',
      amount,
      amount_captured: captured,
      amount_refunded: minorUnits(refunded, p.currency),
      balance_transaction: charge?.txn.id ?? null,
      captured: true,
      created: unix(p.paidAt),
      currency: p.currency.toLowerCase(),
      description: `Order ${p.orderNumber}`,
      disputed: related.some((x) => x.txn.reportingCategory === 'dispute'),
      // WooCommerce Stripe gateway metadata (RECONCILIATION.md, "Matching WooCommerce ↔ Stripe").
      metadata: { order_id: p.orderId, order_number: p.orderNumber },
      paid: true,
      payment_intent: p.secondaryId,
      refunded: refunded.eq(p.total),
      status: 'succeeded',
    };
  }
}

function expansions(q: URLSearchParams): Set<string> {
  return new Set([...q.getAll('expand[]'), ...q.getAll('expand')]);
}

/** A timestamp filter's parameter names: `created` (exact) and `created[gt|gte|lt|lte]` (the API's deepObject style). */
function rangeParams(name: string): string[] {
  return [name, ...['gt', 'gte', 'lt', 'lte'].map((op) => `${name}[${op}]`)];
}

/** Stripe's range filter on a Unix timestamp; a value that is not an integer is refused as Stripe does. */
function rangeFilter(q: URLSearchParams, name: string): (unixSeconds: number) => boolean {
  const bound = (key: string): number | null => {
    const raw = q.get(key);
    if (raw === null) return null;
    if (!/^\d+$/.test(raw)) throw stripeError(400, `Invalid integer: ${raw}`, { param: key });
    return Number(raw);
  };
  const [eq, gt, gte, lt, lte] = [name, `${name}[gt]`, `${name}[gte]`, `${name}[lt]`, `${name}[lte]`].map(bound);
  return (t) => (eq === null || t === eq) && (gt === null || t > gt) && (gte === null || t >= gte) && (lt === null || t < lt) && (lte === null || t <= lte);
}

function checkParams(q: URLSearchParams, allowed: Set<string>): void {
  for (const key of q.keys()) {
    if (!allowed.has(key) && !/^expand\[\d+\]$/.test(key)) throw stripeError(400, `Received unknown parameter: ${key}`, { param: key });
  }
}

/** Stripe's list object: newest first, `limit` 1–100 (default 10), `starting_after` / `ending_before` cursors. */
function page<T>(all: Array<{ id: string; created: number; value: T }>, q: URLSearchParams, url: string, render: (v: T) => unknown) {
  const rawLimit = q.get('limit');
  let limit = 10;
  if (rawLimit !== null) {
    if (!/^\d+$/.test(rawLimit)) throw stripeError(400, `Invalid integer: ${rawLimit}`, { param: 'limit' });
    limit = Number(rawLimit);
    if (limit < 1 || limit > 100) throw stripeError(400, `This value must be ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}.`, { param: 'limit' });
  }
  const sorted = [...all].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const after = q.get('starting_after');
  const before = q.get('ending_before');
  let slice: typeof sorted;
  let hasMore: boolean;
  if (after) {
    const i = sorted.findIndex((x) => x.id === after);
    if (i < 0) throw stripeError(400, `No such object: '${after}'`, { code: 'resource_missing', param: 'starting_after' });
    slice = sorted.slice(i + 1, i + 1 + limit);
    hasMore = i + 1 + limit < sorted.length;
  } else if (before) {
    const i = sorted.findIndex((x) => x.id === before);
    if (i < 0) throw stripeError(400, `No such object: '${before}'`, { code: 'resource_missing', param: 'ending_before' });
    slice = sorted.slice(Math.max(0, i - limit), i);
    hasMore = i - limit > 0;
  } else {
    slice = sorted.slice(0, limit);
    hasMore = limit < sorted.length;
  }
  return { object: 'list', data: slice.map((x) => render(x.value)), has_more: hasMore, url };
}
