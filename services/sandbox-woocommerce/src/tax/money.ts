/**
 * Integer money arithmetic. Rounded amounts are integer cents; the unrounded tax amounts that
 * WooCommerce stores in `taxes[].total` are integer micros (10^-6), the precision its cart keeps
 * (4 decimals of cents). Rounding is half away from zero, like PHP `round()`.
 */

export const MICROS_PER_CENT = 10_000;

/** Integer division of a by b (b > 0), rounded half away from zero. */
export function divRound(a: bigint, b: bigint): bigint {
  const negative = a < 0n;
  const abs = negative ? -a : a;
  let q = abs / b;
  if ((abs % b) * 2n >= b) q += 1n;
  return negative ? -q : q;
}

/** Rounds micros to whole cents. */
export function microsToCents(micros: number): number {
  return Number(divRound(BigInt(micros), BigInt(MICROS_PER_CENT)));
}

/** "12.50" / "-3" / "0.9" -> cents; throws on anything else. */
export function parseCents(value: string | number): number {
  const s = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not an amount: ${JSON.stringify(value)}`);
  const frac = (m[3] ?? '').padEnd(3, '0');
  const cents = Number(m[2] || '0') * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
  return m[1] ? -cents : cents;
}

/** Like {@link parseCents} but returns null for values that are not amounts. */
export function tryParseCents(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    return parseCents(value);
  } catch {
    return null;
  }
}

/** Cents -> "12.50" (WooCommerce's `wc_format_decimal($v, 2)`); `dp` other than 2 rounds or pads. */
export function formatCents(cents: number, dp = 2): string {
  const negative = cents < 0;
  let abs = Math.abs(cents);
  if (dp < 2) abs = Number(divRound(BigInt(abs), BigInt(10 ** (2 - dp)))) * 10 ** (2 - dp);
  const whole = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  const fracOut = dp === 0 ? '' : dp <= 2 ? frac.slice(0, dp) : frac + '0'.repeat(dp - 2);
  const out = fracOut === '' ? String(whole) : `${whole}.${fracOut}`;
  return negative && abs !== 0 ? `-${out}` : out;
}

/**
 * Micros -> the raw string WooCommerce keeps in `taxes[].total` (`wc_format_decimal` without a
 * precision trims trailing zeros): 2000000 -> "2", 900000 -> "0.9", 833333 -> "0.833333".
 */
export function formatMicros(micros: number): string {
  const negative = micros < 0;
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / 1_000_000);
  const frac = String(abs % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  const out = frac === '' ? String(whole) : `${whole}.${frac}`;
  return negative && abs !== 0 ? `-${out}` : out;
}

/** A money string re-rounded to `dp` decimals, as the `dp` request parameter asks. */
export function reformat(value: string, dp: number): string {
  if (dp === 2) return value;
  const cents = tryParseCents(value);
  return cents === null ? value : formatCents(cents, dp);
}
