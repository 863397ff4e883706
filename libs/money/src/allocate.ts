import { Decimal, pow10, type DecimalInput } from './decimal';
import { Money } from './money';
import { MoneyError } from './money.error';
import { show } from './show-value';

/**
 * Returns `total` split into one share per weight, in proportion to the weights, in whole minor units that sum
 * to `total` exactly: `allocate(Money.of('100.00', 'SEK'), ['1', '1', '1'])` gives 33.34, 33.33, 33.33.
 *
 * Largest remainder: every share first gets its exact proportion rounded toward zero, then the minor units
 * still missing go one each to the shares with the largest dropped remainders, ties to the lower index. So
 * each share is within one minor unit of its exact proportion, the result depends only on the inputs, and a
 * zero weight always gets zero. A negative total is split as its absolute value and negated, so
 * `allocate(-x, w)` is `allocate(x, w)` negated.
 *
 * Use it to spread an order-level discount or a rounding remainder over lines or VAT rates: weights are then
 * the lines' amounts (pass their absolute values).
 *
 * @param total a whole number of minor units (round it first).
 * @param weights zero or more each, not all zero; decimal strings, Decimals or safe integers.
 * @throws MoneyError `MONEY_ALLOCATION_WEIGHTS_ZERO` when every weight is zero; `MONEY_ARGUMENT_INVALID` for no
 * weights or a negative one; `MONEY_PRECISION_LOSS` when `total` has digits below the minor unit.
 */
export function allocate(total: Money, weights: readonly DecimalInput[]): Money[] {
  const parsed = parseWeights(total, weights);
  if (!total.isWholeMinorUnits()) {
    throw new MoneyError(
      'MONEY_PRECISION_LOSS',
      `Cannot allocate ${total}: it is not a whole number of minor units; round it with a mode first.`,
    );
  }
  const minor = total.toMinor();
  const amount = minor < 0n ? -minor : minor;

  // Bring every weight to one scale so that the proportions are exact integer ratios.
  const scale = Math.max(...parsed.map((weight) => weight.scale));
  const integerWeights = parsed.map((weight) => weight.unscaled * pow10(scale - weight.scale));
  const weightSum = integerWeights.reduce((sum, weight) => sum + weight, 0n);

  const shares = integerWeights.map((weight) => (amount * weight) / weightSum);
  const remainders = integerWeights.map((weight) => (amount * weight) % weightSum);
  // The remainders sum to `missing × weightSum` and each is below weightSum, so at least `missing + 1` of
  // them are positive: the extra units never reach a zero weight.
  let missing = amount - shares.reduce((sum, share) => sum + share, 0n);
  const byRemainder = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (missing === 0n) break;
    shares[index] += 1n;
    missing -= 1n;
  }

  return shares.map((share) => Money.fromMinor(minor < 0n ? -share : share, total.currency));
}

function parseWeights(total: Money, weights: readonly DecimalInput[]): Decimal[] {
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new MoneyError('MONEY_ARGUMENT_INVALID', `Cannot allocate ${total} without weights: pass one weight per share.`);
  }
  const parsed = weights.map((weight, index) => {
    let value: Decimal;
    try {
      value = Decimal.of(weight);
    } catch {
      throw new MoneyError(
        'MONEY_ARGUMENT_INVALID',
        `Cannot allocate ${total}: weight [${index}] ${show(weight)} is not a decimal; write weights like "12.50".`,
      );
    }
    if (value.isNegative()) {
      throw new MoneyError(
        'MONEY_ARGUMENT_INVALID',
        `Cannot allocate ${total}: weight [${index}] is ${value}, below zero; pass absolute amounts as weights.`,
      );
    }
    return value;
  });
  if (parsed.every((weight) => weight.isZero())) {
    throw new MoneyError(
      'MONEY_ALLOCATION_WEIGHTS_ZERO',
      `Cannot allocate ${total}: all ${parsed.length} weights are zero, so there is no proportion to split it by.`,
    );
  }
  return parsed;
}
