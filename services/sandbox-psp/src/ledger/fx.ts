import { Decimal, RoundingMode } from '@ledgerline/money';
import { Prng } from '../common/prng';
import { toMinorUnit } from '../common/money';

/**
 * Units of each currency per 1 EUR, roughly mid-2026 market levels. Sandbox figures, not market data:
 * a day's rate moves from these by a seeded ±0.50 %.
 */
const PER_EUR: Readonly<Record<string, string>> = {
  EUR: '1',
  USD: '1.0850',
  GBP: '0.8550',
  SEK: '11.4500',
  NOK: '11.7000',
  DKK: '7.4600',
  CHF: '0.9400',
  PLN: '4.3000',
  JPY: '160.00',
};

/** Currencies the sandbox can convert between. */
export const CONVERTIBLE_CURRENCIES = Object.keys(PER_EUR);

/** Converts presentment amounts into the settlement currency at a deterministic daily rate. */
export class ExchangeRates {
  constructor(private readonly seed: number) {}

  /** Units of `to` per unit of `from` on `date` (6 decimals), or null when no conversion happens. */
  rate(from: string, to: string, date: string): Decimal | null {
    if (from === to) return null;
    const base = Decimal.of(PER_EUR[to]).div(PER_EUR[from], 10, RoundingMode.HALF_EVEN);
    const basisPoints = Prng.from('fx', this.seed, from, to, date).int(-50, 50);
    return base.mul(Decimal.of(10_000 + basisPoints)).div(10_000, 6, RoundingMode.HALF_EVEN);
  }

  /** `amount` (in `from`) in `to` on `date`, rounded to `to`'s minor unit, and the rate used. */
  convert(amount: Decimal, from: string, to: string, date: string): { amount: Decimal; rate: Decimal | null } {
    const rate = this.rate(from, to, date);
    return { amount: rate ? toMinorUnit(amount.mul(rate), to) : amount, rate };
  }

  /** A fee fixed in EUR (price lists) expressed in `currency` at the base rate, rounded to its minor unit. */
  static fromEur(eur: string, currency: string): Decimal {
    return toMinorUnit(Decimal.of(eur).mul(PER_EUR[currency]), currency);
  }
}
