import { Money } from './money';
import { MoneyError } from './money.error';

/** Options of {@link reconcileToTotal}. */
export interface ReconcileOptions {
  /**
   * The largest difference (either sign) that is treated as rounding and spread over the lines.
   * Default: one minor unit per line (0.03 SEK for three lines), the per-line rounding WooCommerce can leave
   * (../shared/contracts/woocommerce/NOTES-rest-api.md, "Order totals and rounding").
   */
  readonly tolerance?: Money;
}

/** What {@link reconcileToTotal} returns. */
export interface Reconciliation {
  /** The lines, adjusted so that they sum to the expected total exactly; same order as given. */
  readonly lines: Money[];
  /** `expectedTotal − Σ lines` before the adjustment: what was spread (zero when the lines already matched). */
  readonly difference: Money;
  /** Per line, `adjusted − original` (zero for lines left alone); they sum to `difference`. */
  readonly adjustments: Money[];
}

/**
 * Returns the lines adjusted by whole minor units so that they sum exactly to `expectedTotal`, plus the
 * difference that was spread, when lines rounded one by one miss the document total by a rounding
 * difference. ERP connectors use it so an invoice matches the store's total to the cent.
 *
 * The difference goes one minor unit at a time to the largest lines first (by absolute amount, ties to the
 * lower index), because a cent moves a large line's effective price the least; it cycles again when the
 * difference exceeds the number of lines. Zero lines (free items) are left alone unless every line is zero.
 *
 * @param lines each a whole number of minor units, in the total's currency.
 * @throws MoneyError `MONEY_TOTAL_MISMATCH` naming both totals when the difference exceeds the tolerance (then it
 * is not rounding but a missing or wrong line); `MONEY_CURRENCY_MISMATCH`; `MONEY_PRECISION_LOSS` for a line or
 * total with digits below the minor unit.
 */
export function reconcileToTotal(lines: readonly Money[], expectedTotal: Money, options: ReconcileOptions = {}): Reconciliation {
  const currency = expectedTotal.currency;
  const minor = lines.map((line, index) => {
    assertCurrency(line, expectedTotal, `line [${index}]`);
    return wholeMinor(line, `line [${index}]`);
  });
  const linesTotal = Money.sum(lines, currency);
  const difference = wholeMinor(expectedTotal, 'the expected total') - minor.reduce((sum, value) => sum + value, 0n);
  const differenceMoney = Money.fromMinor(difference, currency);

  const tolerance = options.tolerance ?? Money.fromMinor(BigInt(lines.length), currency);
  assertCurrency(tolerance, expectedTotal, 'the tolerance');
  if (differenceMoney.abs().gt(tolerance.abs())) {
    throw new MoneyError(
      'MONEY_TOTAL_MISMATCH',
      `Lines sum to ${linesTotal} but the expected total is ${expectedTotal}: the difference ${differenceMoney} is more ` +
        `than the ${tolerance.abs()} that rounding of ${lines.length} line(s) can explain.`,
    );
  }
  if (difference !== 0n && lines.length === 0) {
    throw new MoneyError(
      'MONEY_TOTAL_MISMATCH',
      `There are no lines to carry the difference between their sum ${linesTotal} and the expected total ${expectedTotal}.`,
    );
  }

  const adjustments = minor.map(() => 0n);
  const nonZero = minor.map((_, index) => index).filter((index) => minor[index] !== 0n);
  const candidates = (nonZero.length > 0 ? nonZero : minor.map((_, index) => index)).sort((a, b) => {
    const left = abs(minor[a]);
    const right = abs(minor[b]);
    return left === right ? a - b : left > right ? -1 : 1;
  });
  const step = difference < 0n ? -1n : 1n;
  for (let unit = 0n, at = 0; unit < abs(difference); unit++, at = (at + 1) % candidates.length) {
    adjustments[candidates[at]] += step;
  }

  return {
    lines: minor.map((value, index) => Money.fromMinor(value + adjustments[index], currency)),
    difference: differenceMoney,
    adjustments: adjustments.map((value) => Money.fromMinor(value, currency)),
  };
}

function assertCurrency(value: Money, expectedTotal: Money, what: string): void {
  if (!(value instanceof Money) || value.currency !== expectedTotal.currency) {
    throw new MoneyError(
      value instanceof Money ? 'MONEY_CURRENCY_MISMATCH' : 'MONEY_ARGUMENT_INVALID',
      `Cannot reconcile ${what} ${value} with the expected total ${expectedTotal}: ` +
        (value instanceof Money ? `the amounts are in different currencies (${value.currency} and ${expectedTotal.currency}).` : 'expected Money.'),
    );
  }
}

function wholeMinor(money: Money, what: string): bigint {
  if (!money.isWholeMinorUnits()) {
    throw new MoneyError(
      'MONEY_PRECISION_LOSS',
      `Cannot reconcile: ${what} ${money} is not a whole number of minor units; round the lines before reconciling.`,
    );
  }
  return money.toMinor();
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}
