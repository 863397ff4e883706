import { Decimal, RoundingMode } from '@ledgerline/money';
import { addDays, isoDate } from '../common/dates';
import { major, toMinorUnit } from '../common/money';
import { Prng } from '../common/prng';
import { CONVERTIBLE_CURRENCIES, ExchangeRates } from './fx';
import type { CapturedPayment, GroundTruthLine, GroundTruthLineType, GroundTruthPayout, Provider, SettleMonthOptions } from './psp-types';

/** Something that moved money for one order, in the order's (presentment) currency. */
export interface MoneyEvent {
  /** `uncaptured`: the part of a Stripe authorisation not captured (partial capture). */
  kind: 'capture' | 'uncaptured' | 'refund' | 'chargeback' | 'chargeback-reversal';
  payment: CapturedPayment;
  at: Date;
  /** Magnitude in the presentment currency. */
  amount: Decimal;
  /** 1-based number of this capture or refund of the order. */
  seq: number;
  /** Captures the order is settled in (2 for a split partial capture). */
  of: number;
  /** For a Stripe partial capture, the amount captured (the authorisation is `amount`). */
  captured?: Decimal;
}

/** An event in the payout currency. */
export interface Converted {
  /** Magnitude in the settlement currency. */
  amount: Decimal;
  rate: Decimal | null;
  currency: string;
}

/** One provider record in a payout, with the line it contributes to the ground truth. */
export interface SettlementRecord<T> {
  at: Date;
  line: GroundTruthLine;
  data: T;
}

/** A payout the sandbox paid, in the provider's terms; `data` holds the provider's own fields. */
export interface Payout<T, P = unknown> {
  provider: Provider;
  merchantAccount: string;
  payoutId: string;
  currency: string;
  arrivalDate: string;
  amount: Decimal;
  bankReference: string;
  createdAt: Date;
  records: Array<SettlementRecord<T>>;
  data: P;
}

/** What a provider contributes: its payout calendar, its records and fees, its ids. */
export interface ProviderBook<T, P> {
  readonly provider: Provider;
  /** The payout date an event on `date` is paid in. */
  payoutDate(date: string): string;
  /** The records one money event produces (a Klarna sale is a SALE and two FEE rows). */
  records(event: MoneyEvent, settled: Converted): Array<SettlementRecord<T>>;
  /** A rolling-reserve hold (positive `amount` held back) or release. */
  reserve(kind: 'reserve' | 'reserve-release', amount: Decimal, currency: string, at: Date, payoutDate: string): SettlementRecord<T>;
  /** Batch-level records added when a payout closes (Adyen's Fee row). */
  closingRecords(records: ReadonlyArray<SettlementRecord<T>>, currency: string, payoutDate: string): Array<SettlementRecord<T>>;
  /** Gives the payout its ids and the provider's own payout-level data. */
  open(currency: string, arrivalDate: string, amount: Decimal, records: Array<SettlementRecord<T>>): Payout<T, P>;
}

/** Builds a {@link GroundTruthLine} with `net = gross − fee`, all in `currency`. */
export function line(
  currency: string,
  fields: { lineId: string; type: GroundTruthLineType; payment: CapturedPayment | null; gross: Decimal; fee: Decimal; providerType: string; presentment?: { amount: Decimal; currency: string; rate: Decimal | null } },
): GroundTruthLine {
  const p = fields.payment;
  const conv = fields.presentment && fields.presentment.rate ? fields.presentment : null;
  return {
    lineId: fields.lineId,
    type: fields.type,
    orderNumber: p?.orderNumber ?? null,
    orderId: p?.orderId ?? null,
    transactionId: p?.transactionId ?? null,
    gross: major(fields.gross, currency),
    fee: major(fields.fee, currency),
    net: major(fields.gross.sub(fields.fee), currency),
    providerType: fields.providerType,
    presentmentAmount: conv ? major(conv.amount, conv.currency) : null,
    presentmentCurrency: conv ? conv.currency : null,
    exchangeRate: conv?.rate ? conv.rate.toString() : null,
  };
}

/** Thrown for a settleMonth request the sandbox cannot honour; the message names the option to change. */
export class SettleOptionsError extends Error {}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Checks the options, naming every problem and how to fix it. */
export function checkSettleOptions(o: SettleMonthOptions, orders: number): void {
  const problems: string[] = [];
  const whole = (name: string, v: unknown, required: boolean) => {
    if (v === undefined && !required) return;
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) problems.push(`${name} must be a whole number >= 0, got ${JSON.stringify(v)}`);
  };
  if (typeof o.month !== 'string' || !MONTH.test(o.month)) problems.push(`month must be YYYY-MM like "2026-10", got ${JSON.stringify(o.month)}`);
  whole('seed', o.seed, true);
  whole('refunds', o.refunds, true);
  whole('chargebacks', o.chargebacks, true);
  whole('partialCaptures', o.partialCaptures, false);
  whole('reserveReleaseDays', o.reserveReleaseDays, false);
  if (o.reserveReleaseDays !== undefined && o.reserveReleaseDays < 1) problems.push('reserveReleaseDays must be at least 1');
  if (o.settlementCurrency !== undefined && !CONVERTIBLE_CURRENCIES.includes(o.settlementCurrency)) {
    problems.push(`settlementCurrency ${JSON.stringify(o.settlementCurrency)} is not one the sandbox converts to; use one of ${CONVERTIBLE_CURRENCIES.join(', ')}`);
  }
  if (o.reservePercent !== undefined && !(typeof o.reservePercent === 'string' && /^\d{1,2}(\.\d{1,2})?$/.test(o.reservePercent))) {
    problems.push(`reservePercent must be a decimal string from "0" to "99.99" like "10", got ${JSON.stringify(o.reservePercent)}`);
  }
  const wanted = (o.refunds ?? 0) + (o.chargebacks ?? 0) + (o.partialCaptures ?? 0);
  if (problems.length === 0 && wanted > orders) {
    problems.push(`refunds + chargebacks + partialCaptures (${wanted}) exceed the ${orders} orders captured in ${o.month}; each picks a different order, so capture more orders or ask for fewer`);
  }
  if (problems.length > 0) throw new SettleOptionsError(`settleMonth: invalid options:\n- ${problems.join('\n- ')}`);
}

/** The payments of `month` and what happens to them, deterministic for the seed. */
export function monthEvents(payments: readonly CapturedPayment[], o: SettleMonthOptions, splitPartialCaptures: boolean): MoneyEvent[] {
  const random = Prng.from('settle', payments[0]?.provider ?? '', payments[0]?.merchantAccount ?? '', o.month, o.seed);
  const ordered = [...payments].sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime() || a.orderId.localeCompare(b.orderId, 'en', { numeric: true }));
  const picks = random.shuffle(ordered.map((_, i) => i));
  const chargebacks = new Set(picks.slice(0, o.chargebacks));
  const refunds = new Set(picks.slice(o.chargebacks, o.chargebacks + o.refunds));
  const partials = new Set(picks.slice(o.chargebacks + o.refunds, o.chargebacks + o.refunds + (o.partialCaptures ?? 0)));
  const firstChargeback = [...chargebacks].sort((a, b) => a - b)[0];
  const hours = (h: number) => h * 3_600_000;
  const [y, m] = o.month.split('-').map(Number);
  const monthEnd = Date.UTC(y, m, 1) - hours(2);
  // Follow-ups are booked inside the month (compressed for orders paid late in it), so every payout of the
  // month is built from this month's events alone; see README "Known limits".
  const within = (from: Date, offsetMs: number) => new Date(Math.max(from.getTime() + 60_000, Math.min(from.getTime() + offsetMs, monthEnd)));

  const events: MoneyEvent[] = [];
  ordered.forEach((payment, i) => {
    const minor = payment.total.scale;
    if (partials.has(i)) {
      const percent = random.int(10, 40);
      const part = toMinorUnit(payment.total.mul(percent).div(100, Math.max(minor, 2) + 2, RoundingMode.HALF_UP), payment.currency);
      if (splitPartialCaptures) {
        events.push({ kind: 'capture', payment, at: payment.paidAt, amount: payment.total.sub(part), seq: 1, of: 2 });
        events.push({ kind: 'capture', payment, at: within(payment.paidAt, hours(random.int(48, 144))), amount: part, seq: 2, of: 2 });
      } else {
        events.push({ kind: 'capture', payment, at: payment.paidAt, amount: payment.total, seq: 1, of: 1, captured: payment.total.sub(part) });
        events.push({ kind: 'uncaptured', payment, at: new Date(payment.paidAt.getTime() + 5 * 60_000), amount: part, seq: 1, of: 1 });
      }
      return;
    }
    events.push({ kind: 'capture', payment, at: payment.paidAt, amount: payment.total, seq: 1, of: 1 });
    if (refunds.has(i)) {
      const full = random.chance(0.3);
      const amount = full ? payment.total : toMinorUnit(payment.total.mul(random.int(10, 90)).div(100, 6, RoundingMode.HALF_UP), payment.currency);
      events.push({ kind: 'refund', payment, at: within(payment.paidAt, hours(random.int(24, 20 * 24))), amount, seq: 1, of: 1 });
    }
    if (chargebacks.has(i)) {
      const at = within(payment.paidAt, hours(random.int(5 * 24, 25 * 24)));
      events.push({ kind: 'chargeback', payment, at, amount: payment.total, seq: 1, of: 1 });
      if (i === firstChargeback) events.push({ kind: 'chargeback-reversal', payment, at: within(at, hours(random.int(10 * 24, 20 * 24))), amount: payment.total, seq: 1, of: 1 });
    }
  });
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

interface Group<T> {
  date: string;
  currency: string;
  records: Array<SettlementRecord<T>>;
  /** Payment gross the reserve is taken from. */
  reservable: Decimal;
}

/**
 * Settles a month: events → provider records → payouts by date and currency, with rolling-reserve holds
 * and releases, and negative payouts carried into the next one (no bank transfer, as Adyen and Klarna do).
 * Every payout's record nets sum to its amount; a defect otherwise.
 */
export function settle<T, P>(book: ProviderBook<T, P>, events: readonly MoneyEvent[], o: SettleMonthOptions): Array<Payout<T, P>> {
  const rates = new ExchangeRates(o.seed);
  const groups = new Map<string, Group<T>>();
  const groupFor = (date: string, currency: string): Group<T> => {
    const key = `${date}|${currency}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { date, currency, records: [], reservable: Decimal.ZERO }));
    return g;
  };
  // Payout date of each payment's (last) capture: refunds and chargebacks always land in a later payout.
  const capturePayout = new Map<string, string>();
  for (const e of events) {
    const currency = o.settlementCurrency ?? e.payment.currency;
    const eventDate = isoDate(e.at);
    const conv = rates.convert(e.amount, e.payment.currency, currency, eventDate);
    let date = book.payoutDate(eventDate);
    const captured = capturePayout.get(e.payment.transactionId);
    if (e.kind === 'capture' || e.kind === 'uncaptured') capturePayout.set(e.payment.transactionId, captured && captured > date ? captured : date);
    else while (captured !== undefined && date <= captured) date = book.payoutDate(date);
    const g = groupFor(date, currency);
    const records = book.records(e, { ...conv, currency });
    g.records.push(...records);
    if (e.kind === 'capture') g.reservable = g.reservable.add(conv.amount);
  }

  const reservePercent = o.reservePercent ? Decimal.of(o.reservePercent) : Decimal.ZERO;
  const releaseDays = o.reserveReleaseDays ?? 7;
  const payouts: Array<Payout<T, P>> = [];
  const done = new Set<string>();
  const nextKey = () => [...groups.keys()].filter((k) => !done.has(k)).sort()[0];
  for (let key = nextKey(); key !== undefined; key = nextKey()) {
    done.add(key);
    const g = groups.get(key) as Group<T>;
    if (reservePercent.isPositive() && g.reservable.isPositive()) {
      const hold = toMinorUnit(g.reservable.mul(reservePercent).div(100, 8, RoundingMode.HALF_UP), g.currency);
      if (hold.isPositive()) {
        const at = new Date(`${g.date}T02:00:00Z`);
        g.records.push(book.reserve('reserve', hold, g.currency, at, g.date));
        const releaseDate = addDays(g.date, releaseDays);
        const later = groupFor(book.payoutDate(addDays(releaseDate, -1)), g.currency);
        later.records.push(book.reserve('reserve-release', hold, g.currency, new Date(`${releaseDate}T02:00:00Z`), later.date));
      }
    }
    if (g.records.length === 0) continue;
    const closing = book.closingRecords(g.records, g.currency, g.date);
    const net = Decimal.sum([...g.records, ...closing].map((r) => r.line.net));
    const nextKeyOf = [...groups.keys()].filter((k) => !done.has(k) && (groups.get(k) as Group<T>).currency === g.currency && (groups.get(k) as Group<T>).records.length > 0).sort()[0];
    if (!net.isPositive() && nextKeyOf !== undefined) {
      // No transfer for a zero or negative balance: it moves to the next payout in this currency. The last
      // payout of a month is paid even when negative (the provider debits the merchant's bank account).
      (groups.get(nextKeyOf) as Group<T>).records.unshift(...g.records);
      continue;
    }
    g.records.push(...closing);
    g.records.sort((a, b) => a.at.getTime() - b.at.getTime());
    payouts.push(book.open(g.currency, g.date, net, g.records));
  }
  for (const p of payouts) {
    const sum = Decimal.sum(p.records.map((r) => r.line.net));
    if (!sum.eq(p.amount)) throw new Error(`sandbox-psp defect: ${p.provider} payout ${p.payoutId} lines sum to ${sum.toString()}, not ${p.amount.toString()}`);
  }
  return payouts;
}

/** The provider-neutral ground truth of a payout. */
export function groundTruth<T, P>(p: Payout<T, P>): GroundTruthPayout {
  return {
    provider: p.provider,
    payoutId: p.payoutId,
    merchantAccount: p.merchantAccount,
    currency: p.currency,
    amount: major(p.amount, p.currency),
    arrivalDate: p.arrivalDate,
    bankReference: p.bankReference,
    lines: p.records.map((r) => ({ ...r.line })),
  };
}
