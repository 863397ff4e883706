import { errorOf } from './__fixtures__/error-of';
import { seededRandom } from './__fixtures__/seeded-random';
import { allocate } from './allocate';
import { Decimal } from './decimal';
import { Money } from './money';

const sek = (amount: string) => Money.of(amount, 'SEK');
const amounts = (shares: Money[]) => shares.map((share) => share.toString());

describe('allocate', () => {
  it('splits 100.00 SEK in three without losing the cent, giving it to the first share', () => {
    expect(amounts(allocate(sek('100.00'), ['1', '1', '1']))).toEqual(['33.34 SEK', '33.33 SEK', '33.33 SEK']);
  });

  it('gives the missing units to the largest remainders, not simply the first shares', () => {
    // Exact shares 5.714…, 2.857…, 1.428…: the two larger remainders are the 2nd and 3rd.
    expect(amounts(allocate(sek('10.00'), ['200.00', '100.00', '50.00']))).toEqual(['5.71 SEK', '2.86 SEK', '1.43 SEK']);
  });

  it('breaks ties between equal remainders by index', () => {
    expect(amounts(allocate(sek('0.02'), [1, 1, 1]))).toEqual(['0.01 SEK', '0.01 SEK', '0.00 SEK']);
    expect(amounts(allocate(sek('0.01'), [0, 1, 1]))).toEqual(['0.00 SEK', '0.01 SEK', '0.00 SEK']);
  });

  it('splits a negative total as the mirror of the positive one', () => {
    expect(amounts(allocate(sek('-100.00'), ['1', '1', '1']))).toEqual(['-33.34 SEK', '-33.33 SEK', '-33.33 SEK']);
  });

  it('gives nothing to zero weights and all zeros for a zero total', () => {
    expect(amounts(allocate(sek('10.00'), ['0', '3', '0', '1']))).toEqual(['0.00 SEK', '7.50 SEK', '0.00 SEK', '2.50 SEK']);
    expect(amounts(allocate(sek('0'), ['1', '2']))).toEqual(['0.00 SEK', '0.00 SEK']);
  });

  it('takes weights of mixed scales as strings, Decimals or safe integers', () => {
    // Exact shares 18.18…, 45.45…, 36.36… öre: the one missing öre goes to the largest remainder, the second.
    expect(amounts(allocate(sek('1.00'), ['0.5', Decimal.of('1.25'), 1n, 0]))).toEqual(['0.18 SEK', '0.46 SEK', '0.36 SEK', '0.00 SEK']);
  });

  it('works in whole units for zero-decimal currencies and thousandths for three-decimal ones', () => {
    expect(amounts(allocate(Money.of('1000', 'JPY'), [1, 1, 1]))).toEqual(['334 JPY', '333 JPY', '333 JPY']);
    expect(amounts(allocate(Money.of('1.000', 'KWD'), [1, 2]))).toEqual(['0.333 KWD', '0.667 KWD']);
  });

  it('spreads an order-level discount over the lines in proportion to their amounts', () => {
    const shares = allocate(Money.of('4.21', 'EUR'), ['33.60', '10.50']);
    expect(amounts(shares)).toEqual(['3.21 EUR', '1.00 EUR']);
    expect(Money.sum(shares).toString()).toBe('4.21 EUR');
  });

  it('refuses weights that are all zero, naming the total', () => {
    const error = errorOf(() => allocate(sek('10.00'), ['0', '0.00']));
    expect(error.code).toBe('MONEY_ALLOCATION_WEIGHTS_ZERO');
    expect(error.message).toBe('Cannot allocate 10.00 SEK: all 2 weights are zero, so there is no proportion to split it by.');
  });

  it('refuses no weights, a negative weight and a malformed weight, naming it', () => {
    expect(errorOf(() => allocate(sek('1'), [])).message).toBe('Cannot allocate 1.00 SEK without weights: pass one weight per share.');
    expect(errorOf(() => allocate(sek('1'), ['1', '-2'])).message).toBe(
      'Cannot allocate 1.00 SEK: weight [1] is -2, below zero; pass absolute amounts as weights.',
    );
    expect(errorOf(() => allocate(sek('1'), ['1e3'])).message).toBe(
      'Cannot allocate 1.00 SEK: weight [0] "1e3" is not a decimal; write weights like "12.50".',
    );
  });

  it('refuses a total with digits below the minor unit', () => {
    const error = errorOf(() => allocate(sek('10.005'), ['1']));
    expect(error.code).toBe('MONEY_PRECISION_LOSS');
    expect(error.message).toBe('Cannot allocate 10.005 SEK: it is not a whole number of minor units; round it with a mode first.');
  });

  describe('over random totals and weights (seed 42)', () => {
    const random = seededRandom(42);
    const cases = Array.from({ length: 3000 }, () => ({
      total: Money.fromMinor(BigInt(random.decimal(10, 0)), random.pick(['SEK', 'EUR', 'JPY', 'KWD'])),
      weights: Array.from({ length: random.int(1, 12) }, () =>
        random.chance(0.2) ? '0' : random.decimal(random.pick([1, 3, 6]), random.pick([0, 2, 4]), { negative: false }),
      ),
    })).filter(({ weights }) => weights.some((weight) => !Decimal.of(weight).isZero()));

    it('always returns shares that sum exactly to the total, one per weight', () => {
      const failures = cases.filter(({ total, weights }) => {
        const shares = allocate(total, weights);
        return shares.length !== weights.length || !Money.sum(shares).eq(total) || !shares.every((share) => share.isWholeMinorUnits());
      });
      expect(failures).toEqual([]);
    });

    it('keeps every share within one minor unit of its exact proportion, and zero weights at zero', () => {
      const failures = cases.filter(({ total, weights }) => {
        const shares = allocate(total, weights);
        const weightSum = Decimal.sum(weights);
        const unit = Money.fromMinor(1n, total.currency).amount;
        return shares.some((share, index) => {
          // |share − total·w/W| < unit  ⇔  |share·W − total·w| < unit·W, kept exact by multiplying out.
          const error = share.amount.mul(weightSum).sub(total.amount.mul(weights[index])).abs();
          return !error.lt(unit.mul(weightSum)) || (Decimal.of(weights[index]).isZero() && !share.isZero());
        });
      });
      expect(failures).toEqual([]);
    });

    it('mirrors a negated total and gives the same shares on every call', () => {
      const failures = cases.filter(({ total, weights }) => {
        const shares = amounts(allocate(total, weights));
        const mirrored = amounts(allocate(total.neg(), weights).map((share) => share.neg()));
        return JSON.stringify(shares) !== JSON.stringify(mirrored) || JSON.stringify(shares) !== JSON.stringify(amounts(allocate(total, weights)));
      });
      expect(failures).toEqual([]);
    });
  });
});
