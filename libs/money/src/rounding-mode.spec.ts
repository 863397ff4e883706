import { seededRandom } from './__fixtures__/seeded-random';
import { Decimal } from './decimal';
import { MoneyError } from './money.error';
import { divideAndRound, RoundingMode } from './rounding-mode';

const MODES = Object.values(RoundingMode);

describe('RoundingMode', () => {
  // The reference table of java.math.RoundingMode, which every mode here follows.
  const inputs = ['5.5', '2.5', '1.6', '1.1', '1.0', '-1.0', '-1.1', '-1.6', '-2.5', '-5.5'];
  it.each<[RoundingMode, string[]]>([
    ['UP', ['6', '3', '2', '2', '1', '-1', '-2', '-2', '-3', '-6']],
    ['DOWN', ['5', '2', '1', '1', '1', '-1', '-1', '-1', '-2', '-5']],
    ['CEILING', ['6', '3', '2', '2', '1', '-1', '-1', '-1', '-2', '-5']],
    ['FLOOR', ['5', '2', '1', '1', '1', '-1', '-2', '-2', '-3', '-6']],
    ['HALF_UP', ['6', '3', '2', '1', '1', '-1', '-1', '-2', '-3', '-6']],
    ['HALF_DOWN', ['5', '2', '2', '1', '1', '-1', '-1', '-2', '-2', '-5']],
    ['HALF_EVEN', ['6', '2', '2', '1', '1', '-1', '-1', '-2', '-2', '-6']],
  ])('%s rounds 5.5 … -5.5 to whole numbers as the reference table says', (mode, expected) => {
    expect(inputs.map((input) => Decimal.of(input).round(0, mode).toString())).toEqual(expected);
  });

  it.each<[RoundingMode, string, string]>([
    ['HALF_UP', '0.13', '-0.13'],
    ['HALF_EVEN', '0.12', '-0.12'],
    ['HALF_DOWN', '0.12', '-0.12'],
    ['UP', '0.13', '-0.13'],
    ['DOWN', '0.12', '-0.12'],
    ['CEILING', '0.13', '-0.12'],
    ['FLOOR', '0.12', '-0.13'],
  ])('%s rounds the cent ties 0.125 to %s and -0.125 to %s', (mode, positive, negative) => {
    expect(Decimal.of('0.125').round(2, mode).toFixed(2)).toBe(positive);
    expect(Decimal.of('-0.125').round(2, mode).toFixed(2)).toBe(negative);
  });

  it('HALF_EVEN rounds a tie up when the kept digit is odd', () => {
    expect(Decimal.of('0.135').round(2, 'HALF_EVEN').toString()).toBe('0.14');
    expect(Decimal.of('-0.135').round(2, 'HALF_EVEN').toString()).toBe('-0.14');
  });

  it('treats a value just past the tie as past it in every half mode', () => {
    for (const mode of ['HALF_UP', 'HALF_EVEN', 'HALF_DOWN'] as const) {
      expect(Decimal.of('0.12500001').round(2, mode).toString()).toBe('0.13');
      expect(Decimal.of('-0.12499999').round(2, mode).toString()).toBe('-0.12');
    }
  });

  it('refuses an unknown mode and lists the valid ones', () => {
    const attempt = () => Decimal.of('1.5').round(0, 'half_up' as RoundingMode);
    expect(attempt).toThrow(MoneyError);
    expect(attempt).toThrow('Unknown rounding mode "half_up": use one of HALF_UP, HALF_EVEN, HALF_DOWN, UP, DOWN, CEILING, FLOOR.');
  });

  describe('divideAndRound over random fractions (seed 4711)', () => {
    const random = seededRandom(4711);
    const cases = Array.from({ length: 4000 }, () => {
      const numerator = BigInt(random.int(-1_000_000, 1_000_000));
      const magnitude = BigInt(random.pick([2, 3, 4, 7, 10, 100, random.int(1, 100_000)]));
      // Small even denominators make ties frequent, so the tie rules get exercised too.
      return { numerator, denominator: random.chance(0.5) ? magnitude : -magnitude };
    });

    it('keeps every result within one unit of the exact quotient, on the side each mode promises', () => {
      const failures = cases.filter(({ numerator, denominator }) => {
        // Work with a positive denominator so that "r ≤ n/d" is "r·d ≤ n".
        const [n, d] = denominator < 0n ? [-numerator, -denominator] : [numerator, denominator];
        const floor = divideAndRound(numerator, denominator, 'FLOOR');
        const ceiling = divideAndRound(numerator, denominator, 'CEILING');
        const exact = n % d === 0n;
        const towardZero = n < 0n ? ceiling : floor;
        const awayFromZero = exact ? floor : n < 0n ? floor : ceiling;
        const halves = (['HALF_UP', 'HALF_EVEN', 'HALF_DOWN'] as const).map((mode) => {
          const rounded = divideAndRound(numerator, denominator, mode);
          const twiceError = 2n * (rounded * d - n);
          const tie = !exact && (2n * (n - floor * d) === d);
          const onTie = mode === 'HALF_UP' ? awayFromZero : mode === 'HALF_DOWN' ? towardZero : floor % 2n === 0n ? floor : ceiling;
          return twiceError <= d && twiceError >= -d && (!tie || rounded === onTie);
        });
        return !(
          floor * d <= n &&
          n < (floor + 1n) * d &&
          (ceiling - 1n) * d < n &&
          n <= ceiling * d &&
          divideAndRound(numerator, denominator, 'DOWN') === towardZero &&
          divideAndRound(numerator, denominator, 'UP') === awayFromZero &&
          halves.every(Boolean)
        );
      });
      expect(failures).toEqual([]);
    });

    it('mirrors the symmetric modes and swaps CEILING with FLOOR when the sign flips', () => {
      const failures = cases.filter(
        ({ numerator, denominator }) =>
          !(['HALF_UP', 'HALF_EVEN', 'HALF_DOWN', 'UP', 'DOWN'] as const).every(
            (mode) => divideAndRound(-numerator, denominator, mode) === -divideAndRound(numerator, denominator, mode),
          ) || divideAndRound(-numerator, denominator, 'CEILING') !== -divideAndRound(numerator, denominator, 'FLOOR'),
      );
      expect(failures).toEqual([]);
    });

    it('gives the same result for every mode when the division is exact', () => {
      const failures = cases.filter(({ denominator }) =>
        MODES.some((mode) => divideAndRound(denominator * 37n, denominator, mode) !== 37n),
      );
      expect(failures).toEqual([]);
    });
  });
});
