import { MoneyError } from './money.error';
import { show } from './show-value';

/**
 * The rounding modes every rounding operation takes; pass them as `RoundingMode.HALF_UP` or the plain string.
 *
 * - `HALF_UP`: to nearest, ties away from zero (2.5 → 3, -2.5 → -3). What WooCommerce (PHP `round`) does.
 * - `HALF_EVEN`: to nearest, ties to the even neighbour (2.5 → 2, 3.5 → 4). Bankers' rounding.
 * - `HALF_DOWN`: to nearest, ties toward zero (2.5 → 2, -2.5 → -2).
 * - `UP`: away from zero (2.1 → 3, -2.1 → -3).
 * - `DOWN`: toward zero, i.e. truncation (2.9 → 2, -2.9 → -2).
 * - `CEILING`: toward positive infinity (2.1 → 3, -2.9 → -2).
 * - `FLOOR`: toward negative infinity (2.9 → 2, -2.1 → -3).
 */
export const RoundingMode = {
  HALF_UP: 'HALF_UP',
  HALF_EVEN: 'HALF_EVEN',
  HALF_DOWN: 'HALF_DOWN',
  UP: 'UP',
  DOWN: 'DOWN',
  CEILING: 'CEILING',
  FLOOR: 'FLOOR',
} as const;

/** One of the {@link RoundingMode} names. */
export type RoundingMode = (typeof RoundingMode)[keyof typeof RoundingMode];

const MODES: ReadonlySet<string> = new Set(Object.values(RoundingMode));

/** Throws unless `mode` is a {@link RoundingMode}; plain-JS callers can pass anything. */
export function assertRoundingMode(mode: unknown): asserts mode is RoundingMode {
  if (typeof mode !== 'string' || !MODES.has(mode)) {
    throw new MoneyError(
      'MONEY_ARGUMENT_INVALID',
      `Unknown rounding mode ${show(mode)}: use one of ${[...MODES].join(', ')}.`,
    );
  }
}

/**
 * Returns `numerator / denominator` rounded to an integer with `mode`. The single rounding primitive:
 * every rounding in this library reduces to it, so the modes behave the same everywhere.
 */
export function divideAndRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  assertRoundingMode(mode);
  if (denominator === 0n) {
    throw new MoneyError('MONEY_DIVISION_BY_ZERO', `Cannot divide ${numerator} by zero.`);
  }
  // BigInt division truncates toward zero and the remainder takes the numerator's sign.
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;

  const sign = numerator < 0n === denominator < 0n ? 1n : -1n;
  const twiceRemainder = abs(remainder) * 2n;
  const absDenominator = abs(denominator);
  const half = twiceRemainder === absDenominator ? 0 : twiceRemainder > absDenominator ? 1 : -1;

  switch (mode) {
    case 'DOWN':
      return quotient;
    case 'UP':
      return quotient + sign;
    case 'CEILING':
      return sign > 0n ? quotient + 1n : quotient;
    case 'FLOOR':
      return sign < 0n ? quotient - 1n : quotient;
    case 'HALF_UP':
      return half >= 0 ? quotient + sign : quotient;
    case 'HALF_DOWN':
      return half > 0 ? quotient + sign : quotient;
    case 'HALF_EVEN':
      return half > 0 || (half === 0 && quotient % 2n !== 0n) ? quotient + sign : quotient;
  }
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}
