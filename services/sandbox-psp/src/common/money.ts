import { Decimal, minorUnitsOf, RoundingMode } from '@ledgerline/money';

/** Rounds to the currency's minor unit, half up (what card schemes and PSP fee engines use; guessed for each PSP). */
export function toMinorUnit(value: Decimal, currency: string): Decimal {
  return value.round(minorUnitsOf(currency), RoundingMode.HALF_UP);
}

/** The amount in minor units as a JS integer (Stripe and Klarna APIs); throws if the amount has more digits. */
export function minorUnits(value: Decimal, currency: string): number {
  const digits = minorUnitsOf(currency);
  const scaled = value.mul(Decimal.fromUnscaled(10n ** BigInt(digits), 0));
  if (!scaled.isInteger()) throw new Error(`${value.toString()} ${currency} has more fraction digits than the currency's minor unit (${digits})`);
  return Number(scaled.toString());
}

/** Major units with exactly the currency's fraction digits, e.g. `54.76`, `-12.50`, `1000` for JPY. */
export function major(value: Decimal, currency: string): string {
  return value.toFixed(minorUnitsOf(currency));
}
