import { errorOf } from './__fixtures__/error-of';
import { seededRandom } from './__fixtures__/seeded-random';
import { Money } from './money';
import { reconcileToTotal } from './reconcile';

const eur = (amount: string) => Money.of(amount, 'EUR');
const amounts = (values: Money[]) => values.map((value) => value.amount.toFixed(2));

describe('reconcileToTotal', () => {
  it('returns the lines unchanged and a zero difference when they already match', () => {
    const result = reconcileToTotal(['29.39', '10.50', '4.12', '2.00', '8.75'].map(eur), eur('54.76'));
    expect(amounts(result.lines)).toEqual(['29.39', '10.50', '4.12', '2.00', '8.75']);
    expect(result.difference.toString()).toBe('0.00 EUR');
    expect(amounts(result.adjustments)).toEqual(['0.00', '0.00', '0.00', '0.00', '0.00']);
  });

  it('moves the German example’s per-line taxes onto the VAT an ERP computes on the total', () => {
    // Order 1287 (../shared/contracts/woocommerce/order-constructed-fees-coupons-refund.json) books 8.75 EUR of
    // tax line by line; 19 % of the 54.76 total is 8.74. The cent comes off the largest line.
    const result = reconcileToTotal(['5.59', '2.00', '0.78', '0.38'].map(eur), eur('8.74'));
    expect(amounts(result.lines)).toEqual(['5.58', '2.00', '0.78', '0.38']);
    expect(result.difference.toString()).toBe('-0.01 EUR');
    expect(amounts(result.adjustments)).toEqual(['-0.01', '0.00', '0.00', '0.00']);
  });

  it('adjusts the largest lines first, one minor unit each, by absolute amount', () => {
    const result = reconcileToTotal(['1.00', '5.00', '-3.00'].map(eur), eur('3.02'));
    expect(amounts(result.lines)).toEqual(['1.00', '5.01', '-2.99']);
    expect(result.difference.toString()).toBe('0.02 EUR');
  });

  it('prefers the lower index between equally large lines', () => {
    expect(amounts(reconcileToTotal(['2.00', '2.00', '2.00'].map(eur), eur('5.98')).lines)).toEqual(['1.99', '1.99', '2.00']);
  });

  it('leaves zero lines (free items) alone', () => {
    expect(amounts(reconcileToTotal(['10.00', '0.00', '0.00'].map(eur), eur('10.02')).lines)).toEqual(['10.02', '0.00', '0.00']);
  });

  it('refuses a difference larger than one minor unit per line, naming both totals', () => {
    const error = errorOf(() => reconcileToTotal(['10.00', '20.00'].map(eur), eur('30.05')));
    expect(error.code).toBe('MONEY_TOTAL_MISMATCH');
    expect(error.message).toBe(
      'Lines sum to 30.00 EUR but the expected total is 30.05 EUR: the difference 0.05 EUR is more than the 0.02 EUR that rounding of 2 line(s) can explain.',
    );
  });

  it('accepts a larger tolerance when given, cycling over the lines', () => {
    const result = reconcileToTotal(['10.00', '20.00'].map(eur), eur('30.05'), { tolerance: eur('0.05') });
    expect(amounts(result.lines)).toEqual(['10.02', '20.03']);
    expect(amounts(result.adjustments)).toEqual(['0.02', '0.03']);
  });

  it('handles no lines: fine for a zero total, refused otherwise', () => {
    expect(reconcileToTotal([], eur('0')).lines).toEqual([]);
    expect(errorOf(() => reconcileToTotal([], eur('0.01'), { tolerance: eur('1') })).message).toBe(
      'There are no lines to carry the difference between their sum 0.00 EUR and the expected total 0.01 EUR.',
    );
  });

  it('refuses lines in another currency or with digits below the minor unit', () => {
    expect(errorOf(() => reconcileToTotal([eur('1'), Money.of('1', 'SEK')], eur('2'))).message).toBe(
      'Cannot reconcile line [1] 1.00 SEK with the expected total 2.00 EUR: the amounts are in different currencies (SEK and EUR).',
    );
    expect(errorOf(() => reconcileToTotal([eur('1.005')], eur('1'))).message).toBe(
      'Cannot reconcile: line [0] 1.005 EUR is not a whole number of minor units; round the lines before reconciling.',
    );
  });

  describe('over random documents (seed 54)', () => {
    const random = seededRandom(54);
    const cases = Array.from({ length: 3000 }, () => {
      const lines = Array.from({ length: random.int(1, 15) }, () => Money.fromMinor(BigInt(random.decimal(7, 0)), 'EUR'));
      const drift = BigInt(random.int(-lines.length, lines.length));
      return { lines, expected: Money.sum(lines).add(Money.fromMinor(drift, 'EUR')), drift };
    });

    it('always returns lines that sum to the expected total, moving only non-zero lines and each as little as possible', () => {
      const failures = cases.filter(({ lines, expected, drift }) => {
        const result = reconcileToTotal(lines, expected);
        const nonZero = lines.filter((line) => !line.isZero()).length;
        const carriers = nonZero || lines.length;
        const most = BigInt(Math.ceil(Math.abs(Number(drift)) / carriers));
        const movedAFreeLine = nonZero > 0 && result.adjustments.some((adjustment, index) => !adjustment.isZero() && lines[index].isZero());
        return (
          !Money.sum(result.lines).eq(expected) ||
          result.difference.toMinor() !== drift ||
          !Money.sum(result.adjustments, 'EUR').eq(result.difference) ||
          result.adjustments.some((adjustment) => adjustment.abs().toMinor() > most) ||
          movedAFreeLine
        );
      });
      expect(failures).toEqual([]);
    });
  });
});
