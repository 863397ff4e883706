import { Decimal, type DecimalInput } from './decimal';
import { Money } from './money';
import { MoneyError } from './money.error';
import type { RoundingMode } from './rounding-mode';
import { show } from './show-value';

/** What {@link vatFromGross} returns: `net + vat` equals the gross exactly. */
export interface GrossSplit {
  readonly net: Money;
  readonly vat: Money;
}

/** What {@link vatFromNet} returns: `net + vat` equals `gross` exactly. */
export interface NetWithVat {
  readonly vat: Money;
  readonly gross: Money;
}

/**
 * Returns the VAT contained in a tax-inclusive amount and the net rest: 125.00 SEK at `'25'` gives
 * net 100.00 and VAT 25.00.
 *
 * The VAT (`gross × rate / (100 + rate)`) is rounded to the currency's minor unit with `mode`, and the net is
 * what is left, so `net + vat === gross` always holds, whatever the rounding. Negative amounts (refunds)
 * give negative VAT, mirrored for the symmetric modes. WooCommerce rounds half away from zero (`HALF_UP`).
 *
 * @param ratePercent the rate in percent as a decimal string (`'25'`, `'7.7'`, `'0'`); zero or more.
 */
export function vatFromGross(gross: Money, ratePercent: DecimalInput, mode: RoundingMode): GrossSplit {
  const rate = parseRate(ratePercent);
  const vatAmount = gross.amount.mul(rate).div(rate.add(100), gross.minorUnits, mode);
  const vat = Money.of(vatAmount, gross.currency);
  return { net: gross.sub(vat), vat };
}

/**
 * Returns the VAT on a tax-exclusive amount and the gross: 100.00 SEK at `'25'` gives VAT 25.00 and gross
 * 125.00. The VAT (`net × rate / 100`) is rounded to the currency's minor unit with `mode`.
 *
 * @param ratePercent the rate in percent as a decimal string (`'25'`, `'7.7'`, `'0'`); zero or more.
 */
export function vatFromNet(net: Money, ratePercent: DecimalInput, mode: RoundingMode): NetWithVat {
  const rate = parseRate(ratePercent);
  const vat = Money.of(net.amount.mul(rate).div(100, net.minorUnits, mode), net.currency);
  return { vat, gross: net.add(vat) };
}

function parseRate(ratePercent: DecimalInput): Decimal {
  let rate: Decimal;
  try {
    rate = Decimal.of(ratePercent);
  } catch {
    throw new MoneyError(
      'MONEY_ARGUMENT_INVALID',
      `VAT rate ${show(ratePercent)} is not a percentage: write it as a decimal string like "25" or "7.7".`,
    );
  }
  if (rate.isNegative()) {
    throw new MoneyError('MONEY_ARGUMENT_INVALID', `VAT rate ${rate}% is below zero.`);
  }
  return rate;
}
