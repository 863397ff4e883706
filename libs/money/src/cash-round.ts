import { Decimal, type DecimalInput } from './decimal';
import { Money } from './money';
import { MoneyError } from './money.error';
import { RoundingMode } from './rounding-mode';

/**
 * Returns `money` rounded to a multiple of `increment`, for cash rounding: SEK to whole kronor (`'1'`,
 * öresavrundning), CHF to 5 rappen (`'0.05'`). Ties go away from zero unless another `mode` is given, as both
 * the Swedish and the Swiss rule do. The booked rounding difference is `cashRound(m, i).sub(m)`.
 *
 * @param increment a decimal above zero, or Money in the same currency.
 */
export function cashRound(money: Money, increment: DecimalInput | Money, mode: RoundingMode = RoundingMode.HALF_UP): Money {
  let step: Decimal;
  if (increment instanceof Money) {
    money.assertSameCurrency(increment, 'cash-round');
    step = increment.amount;
  } else {
    step = Decimal.of(increment);
  }
  if (!step.isPositive()) {
    throw new MoneyError('MONEY_ARGUMENT_INVALID', `Cannot cash-round ${money} to an increment of ${step}: it must be above zero.`);
  }
  return Money.of(money.amount.div(step, 0, mode).mul(step), money.currency);
}
