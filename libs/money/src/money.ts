import { minorUnitsOf } from './currencies';
import { Decimal, pow10, type DecimalInput } from './decimal';
import { MoneyError } from './money.error';
import type { RoundingMode } from './rounding-mode';
import { show } from './show-value';

/**
 * Money as events carry it: `{ amount: "12.50", currency: "SEK" }`. Structurally the same as `Money` in
 * `@ledgerline/contracts`, which this library does not import so that it stays free of validation code.
 */
export interface MoneyShape {
  readonly amount: string;
  readonly currency: string;
}

/** The event contract allows at most this many fraction digits (libs/contracts/src/money.ts). */
export const CONTRACT_MAX_FRACTION_DIGITS = 4;

/**
 * An immutable amount in one currency: an exact {@link Decimal} plus an ISO 4217 code with a known minor unit.
 *
 * The amount may carry more digits than the minor unit (unit prices like 0.0825 EUR, unrounded VAT); only the
 * methods that need whole minor units ({@link Money.toMinor}, allocation, reconciliation) insist on them.
 * Arithmetic and ordering refuse to mix currencies. Like `Decimal`, it throws when used with `+` or `<`.
 */
export class Money {
  /** The exact amount. */
  readonly amount: Decimal;
  /** The upper-case ISO 4217 code. */
  readonly currency: string;

  private constructor(amount: Decimal, currency: string) {
    this.amount = amount;
    this.currency = currency;
    Object.freeze(this);
  }

  /**
   * Returns `amount` in `currency`: `Money.of('12.50', 'SEK')`.
   *
   * @throws MoneyError `MONEY_AMOUNT_INVALID` for a float or malformed amount, `MONEY_CURRENCY_UNKNOWN` for a
   * code without an ISO 4217 minor unit (lower-case codes included).
   */
  static of(amount: DecimalInput, currency: string): Money {
    minorUnitsOf(currency);
    return new Money(Decimal.of(amount), currency);
  }

  /** Returns zero in `currency`. */
  static zero(currency: string): Money {
    return Money.of(Decimal.ZERO, currency);
  }

  /**
   * Returns the amount that `minor` minor units make: `Money.fromMinor(1250n, 'SEK')` is 12.50 SEK,
   * `Money.fromMinor(1250n, 'JPY')` is 1250 JPY. `minor` is a bigint or a safe integer.
   */
  static fromMinor(minor: bigint | number, currency: string): Money {
    const units = Decimal.of(minor);
    if (!units.isInteger()) {
      throw new MoneyError('MONEY_AMOUNT_INVALID', `Minor units must be a whole number, got ${show(minor)}.`);
    }
    return new Money(Decimal.fromUnscaled(units.unscaled, minorUnitsOf(currency)), currency);
  }

  /**
   * Returns the Money an event carries. The amount must be a string; a JSON number is refused even when it
   * looks whole, because the producer broke the contract and may have lost digits already.
   */
  static fromContract(value: MoneyShape): Money {
    if (value === null || typeof value !== 'object') {
      throw new MoneyError('MONEY_AMOUNT_INVALID', `Expected money like {"amount": "12.50", "currency": "EUR"}, got ${show(value)}.`);
    }
    if (typeof value.amount !== 'string') {
      throw new MoneyError(
        'MONEY_AMOUNT_INVALID',
        `Money amount must be a decimal string like "12.50", got ${show(value.amount)} (currency ${show(value.currency)}).`,
      );
    }
    return Money.of(value.amount, value.currency);
  }

  /**
   * Returns the sum of `values`. `currency` is required for an empty list and, when given, every value must
   * be in it.
   */
  static sum(values: readonly Money[], currency?: string): Money {
    const first = values[0];
    if (first === undefined && currency === undefined) {
      throw new MoneyError('MONEY_ARGUMENT_INVALID', 'Money.sum of an empty list needs a currency for its zero.');
    }
    return values.reduce<Money>((total, value) => total.add(value), Money.zero(currency ?? first.currency));
  }

  /** Returns the smallest of `values` (all in one currency; at least one). */
  static min(...values: Money[]): Money {
    return pickMoney(values, 'min', (candidate, best) => candidate.lt(best));
  }

  /** Returns the largest of `values` (all in one currency; at least one). */
  static max(...values: Money[]): Money {
    return pickMoney(values, 'max', (candidate, best) => candidate.gt(best));
  }

  /** Returns the number of fraction digits of this currency's minor unit (2 for SEK, 0 for JPY). */
  get minorUnits(): number {
    return minorUnitsOf(this.currency);
  }

  /** Returns whether the amount is a whole number of minor units (12.50 SEK is, 12.505 SEK is not). */
  isWholeMinorUnits(): boolean {
    return this.amount.scale <= this.minorUnits;
  }

  /**
   * Returns the amount as an integer count of minor units: 12.50 SEK → `1250n`. Without `mode`, an amount
   * with digits below the minor unit is refused rather than silently rounded.
   *
   * @throws MoneyError `MONEY_PRECISION_LOSS` when rounding is needed and `mode` is not given.
   */
  toMinor(mode?: RoundingMode): bigint {
    const minorUnits = this.minorUnits;
    if (!this.isWholeMinorUnits() && mode === undefined) {
      throw new MoneyError(
        'MONEY_PRECISION_LOSS',
        `${this} is not a whole number of minor units (${this.currency} has ${minorUnits} fraction digits): pass a rounding mode or round it first.`,
      );
    }
    const amount = mode === undefined ? this.amount : this.amount.round(minorUnits, mode);
    return amount.unscaled * pow10(minorUnits - amount.scale);
  }

  /**
   * Returns the event-contract form, with at least the currency's minor-unit digits: `{ amount: "12.50",
   * currency: "SEK" }`, `{ amount: "1500", currency: "JPY" }`, `{ amount: "0.0825", currency: "EUR" }`.
   *
   * @throws MoneyError `MONEY_PRECISION_LOSS` when the amount has more than 4 fraction digits, which the
   * contract cannot carry: round it first.
   */
  toContract(): MoneyShape {
    if (this.amount.scale > CONTRACT_MAX_FRACTION_DIGITS) {
      throw new MoneyError(
        'MONEY_PRECISION_LOSS',
        `${this.amount} ${this.currency} has ${this.amount.scale} fraction digits but event money carries at most ` +
          `${CONTRACT_MAX_FRACTION_DIGITS}: round it before putting it in an event.`,
      );
    }
    return { amount: this.formatAmount(), currency: this.currency };
  }

  /** Returns `this + other`, exactly. Both must be in the same currency. */
  add(other: Money): Money {
    this.assertSameCurrency(other, 'add');
    return new Money(this.amount.add(other.amount), this.currency);
  }

  /** Returns `this - other`, exactly. Both must be in the same currency. */
  sub(other: Money): Money {
    this.assertSameCurrency(other, 'subtract');
    return new Money(this.amount.sub(other.amount), this.currency);
  }

  /** Returns `this × factor`, exactly and unrounded: a quantity, a rate as a fraction. Round it with {@link Money.round}. */
  mul(factor: DecimalInput): Money {
    return new Money(this.amount.mul(factor), this.currency);
  }

  /** Returns the amount rounded to the currency's minor unit with `mode`: 12.505 SEK → 12.51 SEK (HALF_UP). */
  round(mode: RoundingMode): Money {
    return new Money(this.amount.round(this.minorUnits, mode), this.currency);
  }

  /** Returns the amount with its sign flipped. */
  neg(): Money {
    return new Money(this.amount.neg(), this.currency);
  }

  /** Returns the absolute amount. */
  abs(): Money {
    return new Money(this.amount.abs(), this.currency);
  }

  /** Returns -1, 0 or 1 as this amount is less than, equal to or greater than `other` (same currency only). */
  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other, 'compare');
    return this.amount.compare(other.amount);
  }

  /** Returns whether both have the same currency and numerically equal amounts; never throws. */
  eq(other: Money): boolean {
    return this.currency === other.currency && this.amount.eq(other.amount);
  }

  /** Returns whether this amount is less than `other` (same currency only). */
  lt(other: Money): boolean {
    return this.compare(other) < 0;
  }

  /** Returns whether this amount is less than or equal to `other` (same currency only). */
  lte(other: Money): boolean {
    return this.compare(other) <= 0;
  }

  /** Returns whether this amount is greater than `other` (same currency only). */
  gt(other: Money): boolean {
    return this.compare(other) > 0;
  }

  /** Returns whether this amount is greater than or equal to `other` (same currency only). */
  gte(other: Money): boolean {
    return this.compare(other) >= 0;
  }

  /** Returns whether the amount is zero. */
  isZero(): boolean {
    return this.amount.isZero();
  }

  /** Returns whether the amount is below zero. */
  isNegative(): boolean {
    return this.amount.isNegative();
  }

  /** Returns whether the amount is above zero. */
  isPositive(): boolean {
    return this.amount.isPositive();
  }

  /** Returns -1, 0 or 1 by the sign of the amount. */
  sign(): -1 | 0 | 1 {
    return this.amount.sign();
  }

  /** Returns the amount with at least minor-unit digits and the code, for logs and messages: `"12.50 SEK"`. */
  toString(): string {
    return `${this.formatAmount()} ${this.currency}`;
  }

  /** Returns {@link Money.toContract} without the digit check, so JSON never carries a float. */
  toJSON(): MoneyShape {
    return { amount: this.formatAmount(), currency: this.currency };
  }

  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw new TypeError(
      `Money ${this.toString()} cannot be used with +, -, <, > or ==: use add, sub, compare or eq instead.`,
    );
  }

  /** Throws `MONEY_CURRENCY_MISMATCH` naming both amounts unless `other` is in this currency. */
  assertSameCurrency(other: Money, operation: string): void {
    if (!(other instanceof Money)) {
      throw new MoneyError('MONEY_ARGUMENT_INVALID', `Cannot ${operation} ${this} and ${show(other)}: expected Money.`);
    }
    if (other.currency !== this.currency) {
      throw new MoneyError(
        'MONEY_CURRENCY_MISMATCH',
        `Cannot ${operation} ${this} and ${other}: the amounts are in different currencies (${this.currency} and ${other.currency}).`,
      );
    }
  }

  private formatAmount(): string {
    return this.amount.toFixed(Math.max(this.amount.scale, this.minorUnits));
  }
}

function pickMoney(values: Money[], name: string, better: (candidate: Money, best: Money) => boolean): Money {
  if (values.length === 0) {
    throw new MoneyError('MONEY_ARGUMENT_INVALID', `Money.${name} needs at least one value.`);
  }
  return values.reduce((best, candidate) => (better(candidate, best) ? candidate : best));
}
