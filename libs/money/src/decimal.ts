import { MoneyError } from './money.error';
import { assertRoundingMode, divideAndRound, type RoundingMode } from './rounding-mode';
import { show } from './show-value';

/**
 * Anything {@link Decimal.of} takes: a decimal string, a `bigint`, a safe-integer `number`, or a `Decimal`.
 * Fractional numbers are refused because a binary float cannot hold most decimal amounts exactly.
 */
export type DecimalInput = Decimal | string | bigint | number;

// The same form as the event contract (libs/contracts/src/money.ts) without its limit on fraction digits:
// no exponent, no plus sign, no leading or trailing point, no spaces or separators.
const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;
const DECIMAL_FORM = 'digits with an optional leading "-" and an optional "." fraction, like "12.50" or "-0.001"';

const POWERS_OF_TEN: bigint[] = [1n];

/** Returns 10^exponent as a bigint; memoised because scales repeat constantly. */
export function pow10(exponent: number): bigint {
  for (let next = POWERS_OF_TEN.length; next <= exponent; next++) POWERS_OF_TEN.push(POWERS_OF_TEN[next - 1] * 10n);
  return POWERS_OF_TEN[exponent];
}

/**
 * An immutable exact decimal number: `unscaled × 10^-scale` on a `bigint`, so no amount is ever a float.
 *
 * Values are kept normalised (no trailing fraction zeros), so equal values have equal fields and equal
 * strings: `Decimal.of('12.50').toString()` is `"12.5"`; use {@link Decimal.toFixed} for a fixed number of
 * digits. Using a `Decimal` with `+`, `<` or `==` throws, because JavaScript would silently compare or
 * concatenate strings; use the methods instead. Template literals and `String()` work.
 */
export class Decimal {
  /** Zero. */
  static readonly ZERO = new Decimal(0n, 0);
  /** One. */
  static readonly ONE = new Decimal(1n, 0);

  /** The integer the value is made of: the value is `unscaled × 10^-scale`. */
  readonly unscaled: bigint;
  /** The number of fraction digits the value needs (0 for integers); never negative. */
  readonly scale: number;

  private constructor(unscaled: bigint, scale: number) {
    // Normalising here is the invariant compare, eq and toString rely on: one representation per value.
    while (scale > 0 && unscaled % 10n === 0n) {
      unscaled /= 10n;
      scale--;
    }
    this.unscaled = unscaled;
    this.scale = scale;
    Object.freeze(this);
  }

  /**
   * Returns `value` as a Decimal. Strings must be plain decimals (`"12.5"`, `"-0.001"`, `"007"`);
   * numbers must be safe integers.
   *
   * @throws MoneyError `MONEY_AMOUNT_INVALID` naming the input, for `"1e3"`, `"12,50"`, `" 1"`, `0.1`, `NaN`, `null`.
   */
  static of(value: DecimalInput): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === 'string') return Decimal.parse(value);
    if (typeof value === 'bigint') return new Decimal(value, 0);
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) return new Decimal(BigInt(value), 0);
      throw new MoneyError(
        'MONEY_AMOUNT_INVALID',
        `Cannot take the JS number ${value} as an exact decimal: only safe integers are accepted, because a float ` +
          `cannot hold most decimal amounts exactly. Pass the amount as a decimal string, like "12.50", as it came from the source.`,
      );
    }
    throw new MoneyError(
      'MONEY_AMOUNT_INVALID',
      `Expected a decimal string, bigint, safe integer or Decimal, got ${show(value)}.`,
    );
  }

  /**
   * Returns the Decimal a plain decimal string denotes.
   *
   * @throws MoneyError `MONEY_AMOUNT_INVALID` naming the input when it is not digits with an optional leading `-`
   * and an optional `.` fraction.
   */
  static parse(text: string): Decimal {
    const match = typeof text === 'string' ? DECIMAL_PATTERN.exec(text) : null;
    if (!match) {
      throw new MoneyError('MONEY_AMOUNT_INVALID', `${show(text)} is not a decimal amount: write ${DECIMAL_FORM}.`);
    }
    const [, minus, whole, fraction = ''] = match;
    const magnitude = BigInt(whole + fraction);
    return new Decimal(minus ? -magnitude : magnitude, fraction.length);
  }

  /** Returns the Decimal `unscaled × 10^-scale`; `fromUnscaled(1250n, 2)` is 12.5. `scale` must be a non-negative integer. */
  static fromUnscaled(unscaled: bigint, scale: number): Decimal {
    assertScale(scale, 'fromUnscaled');
    return new Decimal(unscaled, scale);
  }

  /** Returns the exact sum of `values`; zero for an empty list. */
  static sum(values: readonly DecimalInput[]): Decimal {
    return values.reduce<Decimal>((total, value) => total.add(value), Decimal.ZERO);
  }

  /** Returns the smallest of `values`. At least one value is required. */
  static min(...values: DecimalInput[]): Decimal {
    return pick(values, 'min', (candidate, best) => candidate.lt(best));
  }

  /** Returns the largest of `values`. At least one value is required. */
  static max(...values: DecimalInput[]): Decimal {
    return pick(values, 'max', (candidate, best) => candidate.gt(best));
  }

  /** Returns `this + other`, exactly. */
  add(other: DecimalInput): Decimal {
    const [a, b, scale] = align(this, Decimal.of(other));
    return new Decimal(a + b, scale);
  }

  /** Returns `this - other`, exactly. */
  sub(other: DecimalInput): Decimal {
    const [a, b, scale] = align(this, Decimal.of(other));
    return new Decimal(a - b, scale);
  }

  /** Returns `this × other`, exactly (the scales add up; nothing is rounded). */
  mul(other: DecimalInput): Decimal {
    const factor = Decimal.of(other);
    return new Decimal(this.unscaled * factor.unscaled, this.scale + factor.scale);
  }

  /**
   * Returns `this / divisor` rounded to `scale` fraction digits with `mode`. Both are required because most
   * quotients (10 / 3) have no exact decimal form.
   *
   * @throws MoneyError `MONEY_DIVISION_BY_ZERO` when `divisor` is zero.
   */
  div(divisor: DecimalInput, scale: number, mode: RoundingMode): Decimal {
    const by = Decimal.of(divisor);
    assertScale(scale, 'div');
    assertRoundingMode(mode);
    if (by.isZero()) throw new MoneyError('MONEY_DIVISION_BY_ZERO', `Cannot divide ${this} by zero.`);
    // this / by = (u1 / u2) × 10^(s2 - s1); the result's unscaled value is that × 10^scale.
    const shift = scale + by.scale - this.scale;
    const numerator = shift >= 0 ? this.unscaled * pow10(shift) : this.unscaled;
    const denominator = shift >= 0 ? by.unscaled : by.unscaled * pow10(-shift);
    return new Decimal(divideAndRound(numerator, denominator, mode), scale);
  }

  /** Returns this value rounded to at most `scale` fraction digits with `mode`; unchanged if it already fits. */
  round(scale: number, mode: RoundingMode): Decimal {
    assertScale(scale, 'round');
    assertRoundingMode(mode);
    if (this.scale <= scale) return this;
    return new Decimal(divideAndRound(this.unscaled, pow10(this.scale - scale), mode), scale);
  }

  /**
   * Returns the value as a string with exactly `digits` fraction digits: `Decimal.of('12.5').toFixed(2)` is
   * `"12.50"`. Without `mode`, a value with more digits is refused rather than silently rounded.
   *
   * @throws MoneyError `MONEY_PRECISION_LOSS` when rounding is needed and `mode` is not given.
   */
  toFixed(digits: number, mode?: RoundingMode): string {
    assertScale(digits, 'toFixed');
    if (this.scale > digits && mode === undefined) {
      throw new MoneyError(
        'MONEY_PRECISION_LOSS',
        `${this} has ${this.scale} fraction digits and cannot be written with ${digits} without rounding: pass a rounding mode.`,
      );
    }
    const value = mode === undefined ? this : this.round(digits, mode);
    return format(value.unscaled * pow10(digits - value.scale), digits);
  }

  /** Returns -1, 0 or 1 as this value is less than, equal to or greater than `other`. */
  compare(other: DecimalInput): -1 | 0 | 1 {
    const [a, b] = align(this, Decimal.of(other));
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Returns whether this value equals `other` numerically (`"1.50"` equals `"1.5"`). */
  eq(other: DecimalInput): boolean {
    return this.compare(other) === 0;
  }

  /** Returns whether this value is less than `other`. */
  lt(other: DecimalInput): boolean {
    return this.compare(other) < 0;
  }

  /** Returns whether this value is less than or equal to `other`. */
  lte(other: DecimalInput): boolean {
    return this.compare(other) <= 0;
  }

  /** Returns whether this value is greater than `other`. */
  gt(other: DecimalInput): boolean {
    return this.compare(other) > 0;
  }

  /** Returns whether this value is greater than or equal to `other`. */
  gte(other: DecimalInput): boolean {
    return this.compare(other) >= 0;
  }

  /** Returns whether the value is zero. */
  isZero(): boolean {
    return this.unscaled === 0n;
  }

  /** Returns whether the value is below zero. */
  isNegative(): boolean {
    return this.unscaled < 0n;
  }

  /** Returns whether the value is above zero. */
  isPositive(): boolean {
    return this.unscaled > 0n;
  }

  /** Returns -1, 0 or 1 by the sign of the value. */
  sign(): -1 | 0 | 1 {
    return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
  }

  /** Returns whether the value has no fraction. */
  isInteger(): boolean {
    return this.scale === 0;
  }

  /** Returns the absolute value. */
  abs(): Decimal {
    return this.unscaled < 0n ? new Decimal(-this.unscaled, this.scale) : this;
  }

  /** Returns the value with its sign flipped. */
  neg(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }

  /** Returns the canonical string: no exponent, no trailing fraction zeros, no `-0` (`"12.5"`, `"-0.001"`, `"0"`). */
  toString(): string {
    return format(this.unscaled, this.scale);
  }

  /** Returns {@link Decimal.toString}, so JSON carries the exact string and never a float. */
  toJSON(): string {
    return this.toString();
  }

  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw new TypeError(
      `Decimal ${this.toString()} cannot be used with +, -, <, > or ==: JavaScript would compare or concatenate ` +
        `strings. Use add, sub, compare, eq or toString instead.`,
    );
  }
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.unscaled, b.unscaled, a.scale];
  if (a.scale > b.scale) return [a.unscaled, b.unscaled * pow10(a.scale - b.scale), a.scale];
  return [a.unscaled * pow10(b.scale - a.scale), b.unscaled, b.scale];
}

function format(unscaled: bigint, scale: number): string {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const sign = unscaled < 0n ? '-' : '';
  if (scale === 0) return sign + digits;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function assertScale(scale: number, operation: string): void {
  if (!Number.isSafeInteger(scale) || scale < 0) {
    throw new MoneyError(
      'MONEY_ARGUMENT_INVALID',
      `Decimal.${operation} needs a number of fraction digits that is a non-negative integer, got ${show(scale)}.`,
    );
  }
}

function pick(values: DecimalInput[], name: string, better: (candidate: Decimal, best: Decimal) => boolean): Decimal {
  if (values.length === 0) {
    throw new MoneyError('MONEY_ARGUMENT_INVALID', `Decimal.${name} needs at least one value.`);
  }
  return values.map((value) => Decimal.of(value)).reduce((best, candidate) => (better(candidate, best) ? candidate : best));
}
