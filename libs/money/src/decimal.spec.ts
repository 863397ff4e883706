import { errorOf } from './__fixtures__/error-of';
import { seededRandom } from './__fixtures__/seeded-random';
import { Decimal } from './decimal';

describe('Decimal', () => {
  describe('parsing', () => {
    it.each([
      ['12.5', '12.5'],
      ['12.50', '12.5'],
      ['-0.001', '-0.001'],
      ['007', '7'],
      ['0.000', '0'],
      ['-0', '0'],
      ['-0.00', '0'],
      ['1000000.0001', '1000000.0001'],
      ['123456789012345678901234567890.123456789', '123456789012345678901234567890.123456789'],
    ])('reads %j as %s', (input, canonical) => {
      expect(Decimal.of(input).toString()).toBe(canonical);
    });

    it.each([
      ['exponent notation', '1e3'],
      ['a comma as decimal separator', '12,50'],
      ['a thousands separator', '1,000.00'],
      ['surrounding spaces', ' 12.50 '],
      ['a leading point', '.5'],
      ['a trailing point', '5.'],
      ['a plus sign', '+1'],
      ['a double minus', '--1'],
      ['an empty string', ''],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['a currency symbol', '€12'],
    ])('refuses %s and names the input', (_label, input) => {
      const error = errorOf(() => Decimal.of(input));
      expect(error.code).toBe('MONEY_AMOUNT_INVALID');
      expect(error.message).toBe(
        `${JSON.stringify(input)} is not a decimal amount: write digits with an optional leading "-" and an optional "." fraction, like "12.50" or "-0.001".`,
      );
    });

    it('takes safe integers and bigints, and refuses floats with a message naming the number', () => {
      expect(Decimal.of(12).toString()).toBe('12');
      expect(Decimal.of(-0).toString()).toBe('0');
      expect(Decimal.of(Number.MAX_SAFE_INTEGER).toString()).toBe('9007199254740991');
      expect(Decimal.of(12345678901234567890n).toString()).toBe('12345678901234567890');
      const error = errorOf(() => Decimal.of(0.1));
      expect(error.code).toBe('MONEY_AMOUNT_INVALID');
      expect(error.message).toMatch(/^Cannot take the JS number 0\.1 as an exact decimal: only safe integers/);
      expect(errorOf(() => Decimal.of(2 ** 53)).message).toContain('JS number 9007199254740992');
      expect(errorOf(() => Decimal.of(Number.NaN)).message).toContain('JS number NaN');
    });

    it('refuses values that are not amounts at all, naming their type', () => {
      expect(errorOf(() => Decimal.of(null as unknown as string)).message).toBe(
        'Expected a decimal string, bigint, safe integer or Decimal, got null.',
      );
      expect(errorOf(() => Decimal.of({ amount: '1' } as unknown as string)).message).toContain('got Object {"amount":"1"}');
    });

    it('builds a value from an unscaled integer and a scale', () => {
      expect(Decimal.fromUnscaled(1250n, 2).toString()).toBe('12.5');
      expect(Decimal.fromUnscaled(-5n, 3).toString()).toBe('-0.005');
      expect(errorOf(() => Decimal.fromUnscaled(1n, -1)).code).toBe('MONEY_ARGUMENT_INVALID');
    });
  });

  describe('formatting', () => {
    it('pads to a fixed number of fraction digits without a rounding mode when nothing is lost', () => {
      expect(Decimal.of('12.5').toFixed(2)).toBe('12.50');
      expect(Decimal.of('-3').toFixed(2)).toBe('-3.00');
      expect(Decimal.of('0.05').toFixed(4)).toBe('0.0500');
      expect(Decimal.of('7').toFixed(0)).toBe('7');
    });

    it('refuses to drop digits unless given a rounding mode', () => {
      const error = errorOf(() => Decimal.of('12.345').toFixed(2));
      expect(error.code).toBe('MONEY_PRECISION_LOSS');
      expect(error.message).toBe('12.345 has 3 fraction digits and cannot be written with 2 without rounding: pass a rounding mode.');
      expect(Decimal.of('12.345').toFixed(2, 'HALF_UP')).toBe('12.35');
      expect(Decimal.of('12.345').toFixed(2, 'HALF_EVEN')).toBe('12.34');
    });

    it('never writes a negative zero', () => {
      expect(Decimal.of('-0.001').toFixed(2, 'HALF_UP')).toBe('0.00');
      expect(Decimal.of('-0.4').round(0, 'HALF_UP').toString()).toBe('0');
    });

    it('serialises to its exact string in JSON and in template literals', () => {
      const amount = Decimal.of('12.50');
      expect(JSON.stringify({ amount })).toBe('{"amount":"12.5"}');
      expect(`${amount}`).toBe('12.5');
      expect(String(amount)).toBe('12.5');
    });
  });

  describe('arithmetic', () => {
    it('adds and subtracts exactly where floats would not', () => {
      expect(Decimal.of('0.1').add('0.2').toString()).toBe('0.3');
      expect(Decimal.of('1.10').sub('1.1').toString()).toBe('0');
      expect(Decimal.of('9007199254740993.01').add('0.99').toString()).toBe('9007199254740994');
      expect(Decimal.of('-4.21').add(5).toString()).toBe('0.79');
    });

    it('multiplies exactly, keeping every digit', () => {
      expect(Decimal.of('1.25').mul('-0.2').toString()).toBe('-0.25');
      expect(Decimal.of('14.695').mul(2).toString()).toBe('29.39');
      expect(Decimal.of('0.0825').mul('0.19').toString()).toBe('0.015675');
    });

    it('divides to the requested scale with the requested rounding', () => {
      expect(Decimal.of(10).div(3, 2, 'HALF_UP').toString()).toBe('3.33');
      expect(Decimal.of(2).div(3, 2, 'HALF_UP').toString()).toBe('0.67');
      expect(Decimal.of(2).div(3, 2, 'DOWN').toString()).toBe('0.66');
      expect(Decimal.of(-2).div(3, 2, 'FLOOR').toString()).toBe('-0.67');
      expect(Decimal.of('1').div('0.003', 2, 'HALF_UP').toString()).toBe('333.33');
      expect(Decimal.of('125.00').div('1.25', 0, 'HALF_UP').toString()).toBe('100');
      expect(Decimal.of('0.125').div(1, 2, 'HALF_EVEN').toString()).toBe('0.12');
    });

    it('refuses division by zero and a negative scale', () => {
      expect(errorOf(() => Decimal.of(1).div('0.00', 2, 'HALF_UP')).message).toBe('Cannot divide 1 by zero.');
      expect(errorOf(() => Decimal.of(1).div(3, -1, 'HALF_UP')).code).toBe('MONEY_ARGUMENT_INVALID');
      expect(errorOf(() => Decimal.of(1).round(1.5, 'HALF_UP')).message).toBe(
        'Decimal.round needs a number of fraction digits that is a non-negative integer, got number 1.5.',
      );
    });

    it('rounds only when the value has more digits than asked for', () => {
      const value = Decimal.of('12.5');
      expect(value.round(2, 'UP')).toBe(value);
      expect(Decimal.of('12.505').round(2, 'HALF_UP').toString()).toBe('12.51');
    });
  });

  describe('comparison and sign', () => {
    it('compares by value whatever the number of digits written', () => {
      expect(Decimal.of('1.50').eq('1.5')).toBe(true);
      expect(Decimal.of('1.50').compare('1.499')).toBe(1);
      expect(Decimal.of('-2').compare('-1.999')).toBe(-1);
      expect(Decimal.of('2').compare(2n)).toBe(0);
      expect(Decimal.of('0.1').lt('0.10001')).toBe(true);
      expect(Decimal.of('0.1').lte('0.10')).toBe(true);
      expect(Decimal.of('10').gt('9.99')).toBe(true);
      expect(Decimal.of('10').gte('10.00')).toBe(true);
    });

    it('reports zero, sign and integer-ness, and takes absolute values and negations', () => {
      expect(Decimal.of('-0.00').isZero()).toBe(true);
      expect(Decimal.of('-0.01').isNegative()).toBe(true);
      expect(Decimal.of('0.01').isPositive()).toBe(true);
      expect([Decimal.of('-3').sign(), Decimal.ZERO.sign(), Decimal.of('3').sign()]).toEqual([-1, 0, 1]);
      expect(Decimal.of('12.00').isInteger()).toBe(true);
      expect(Decimal.of('-4.21').abs().toString()).toBe('4.21');
      expect(Decimal.of('4.21').neg().toString()).toBe('-4.21');
      expect(Decimal.ZERO.neg().toString()).toBe('0');
    });

    it('finds the smallest and largest value and sums lists', () => {
      expect(Decimal.min('3', '-1.5', 2n).toString()).toBe('-1.5');
      expect(Decimal.max('3', '3.0001', 2n).toString()).toBe('3.0001');
      expect(Decimal.sum(['0.1', '0.2', '-0.3']).toString()).toBe('0');
      expect(Decimal.sum([]).toString()).toBe('0');
      expect(errorOf(() => Decimal.min()).message).toBe('Decimal.min needs at least one value.');
    });
  });

  describe('safety', () => {
    it('cannot be changed after creation', () => {
      const amount = Decimal.of('12.50');
      expect(Object.isFrozen(amount)).toBe(true);
      expect(Reflect.set(amount, 'unscaled', 1n)).toBe(false);
      amount.add(1);
      expect(amount.toString()).toBe('12.5');
    });

    it('throws when used with JavaScript arithmetic or comparison operators', () => {
      const amount = Decimal.of('12.50') as unknown as number;
      expect(() => amount + 1).toThrow(TypeError);
      expect(() => amount < 2).toThrow('Decimal 12.5 cannot be used with +, -, <, > or ==');
    });
  });

  describe('properties over random values (seed 20240603)', () => {
    const random = seededRandom(20240603);
    const inputs = Array.from({ length: 3000 }, () => [random.decimal(25, 12), random.decimal(25, 12)] as const);

    it('writes back every canonical decimal string it reads', () => {
      expect(inputs.filter(([text]) => Decimal.of(text).toString() !== text)).toEqual([]);
    });

    it('reads back every value it writes, canonical or fixed', () => {
      const failures = inputs.filter(([text]) => {
        const value = Decimal.of(text);
        return !Decimal.of(value.toString()).eq(value) || !Decimal.of(value.toFixed(value.scale + 3)).eq(value);
      });
      expect(failures).toEqual([]);
    });

    it('undoes an addition with a subtraction and keeps addition and multiplication commutative', () => {
      const failures = inputs.filter(([a, b]) => {
        const x = Decimal.of(a);
        return !x.add(b).sub(b).eq(x) || !x.add(b).eq(Decimal.of(b).add(x)) || !x.mul(b).eq(Decimal.of(b).mul(x));
      });
      expect(failures).toEqual([]);
    });

    it('recovers the dividend within the rounding when the quotient is multiplied back', () => {
      const failures = inputs.filter(([a, b]) => {
        if (Decimal.of(b).isZero()) return false;
        const quotient = Decimal.of(a).div(b, 6, 'DOWN');
        // |a - q·b| < 10^-6 · |b| because q is a/b truncated at the sixth digit.
        return !Decimal.of(a).sub(quotient.mul(b)).abs().lt(Decimal.of(b).abs().mul('0.000001'));
      });
      expect(failures).toEqual([]);
    });
  });
});
