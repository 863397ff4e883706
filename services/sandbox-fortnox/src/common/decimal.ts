/**
 * Exact decimal arithmetic for the sandbox's own totals: amounts are bigint counts of millionths, so
 * 0.1 + 0.2 is 0.3 and rounding is decided by us, not by binary floats. The sandbox deliberately does
 * not use @ledgerline/money: a stand-in that shares the connector's arithmetic would hide its bugs.
 */
export type Micros = bigint;

const SCALE = 1_000_000n;
const SCALE_DIGITS = 6;

/** Parses a JSON number or numeric string ("12", "-3.5", "1e2") into micros; undefined when it is not a number. */
export function parseDecimal(value: unknown): Micros | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === 'string' && value.trim() !== '') {
    text = value.trim();
  } else {
    return undefined;
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '') || '0';
  // value = digits * 10^(exp - fraction.length); we want value * 10^6 rounded half away from zero.
  const shift = Number(exponent) - fraction.length + SCALE_DIGITS;
  let micros: bigint;
  if (shift >= 0) {
    micros = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    micros = divRound(BigInt(digits), 10n ** BigInt(-shift));
  }
  return sign === '-' ? -micros : micros;
}

/** Micros from a whole or decimal number that is known to be valid (constants, test data). */
export function dec(value: number | string): Micros {
  const parsed = parseDecimal(value);
  if (parsed === undefined) throw new Error(`"${value}" is not a decimal number`);
  return parsed;
}

/** Divides and rounds half away from zero, the way Swedish invoices round öre and kronor. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new Error('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (d * 2n);
  return negative ? -q : q;
}

/** a × b, rounded half away from zero to micros. */
export function mul(a: Micros, b: Micros): Micros {
  return divRound(a * b, SCALE);
}

/** a ÷ b, rounded half away from zero to micros. */
export function div(a: Micros, b: Micros): Micros {
  return divRound(a * SCALE, b);
}

/** Rounds to `decimals` places (0 = whole kronor, 2 = öre), half away from zero. */
export function round(a: Micros, decimals: number): Micros {
  const unit = 10n ** BigInt(SCALE_DIGITS - decimals);
  return divRound(a, unit) * unit;
}

/** The value as a JS number, for JSON responses (Fortnox returns amounts as numbers). */
export function toNumber(a: Micros): number {
  return Number(toFixed(a, SCALE_DIGITS));
}

/** The value as a string with exactly `decimals` places, rounded half away from zero. */
export function toFixed(a: Micros, decimals: number): string {
  const rounded = divRound(a, 10n ** BigInt(SCALE_DIGITS - decimals));
  const negative = rounded < 0n;
  const digits = (negative ? -rounded : rounded).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** Sum of a list of micros. */
export function sum(values: Iterable<Micros>): Micros {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

export const ZERO: Micros = 0n;
export const ONE: Micros = SCALE;
export const HUNDRED: Micros = 100n * SCALE;
