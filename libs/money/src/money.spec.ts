import { errorOf } from './__fixtures__/error-of';
import { seededRandom } from './__fixtures__/seeded-random';
import { Decimal } from './decimal';
import { Money } from './money';

const sek = (amount: string) => Money.of(amount, 'SEK');
const eur = (amount: string) => Money.of(amount, 'EUR');

describe('Money', () => {
  describe('creating', () => {
    it('holds an exact amount and its currency', () => {
      const price = Money.of('12.5', 'SEK');
      expect(price.amount.eq('12.50')).toBe(true);
      expect(price.currency).toBe('SEK');
      expect(price.minorUnits).toBe(2);
      expect(price.toString()).toBe('12.50 SEK');
    });

    it('refuses an unknown currency and a float amount', () => {
      expect(errorOf(() => Money.of('1', 'SEKK')).code).toBe('MONEY_CURRENCY_UNKNOWN');
      expect(errorOf(() => Money.of('1', 'eur')).message).toContain('currency codes are upper case, like "EUR"');
      expect(errorOf(() => Money.of(12.5, 'EUR')).code).toBe('MONEY_AMOUNT_INVALID');
    });

    it('keeps digits below the minor unit until asked to round', () => {
      const unitPrice = eur('0.0825');
      expect(unitPrice.isWholeMinorUnits()).toBe(false);
      expect(unitPrice.toString()).toBe('0.0825 EUR');
      expect(unitPrice.round('HALF_UP').toString()).toBe('0.08 EUR');
    });

    it('sums lists, needing a currency only for an empty one', () => {
      expect(Money.sum([sek('1.10'), sek('2.20'), sek('-0.30')]).toString()).toBe('3.00 SEK');
      expect(Money.sum([], 'SEK').toString()).toBe('0.00 SEK');
      expect(errorOf(() => Money.sum([])).message).toBe('Money.sum of an empty list needs a currency for its zero.');
      expect(errorOf(() => Money.sum([sek('1')], 'EUR')).code).toBe('MONEY_CURRENCY_MISMATCH');
    });

    it('finds the smallest and the largest amount', () => {
      expect(Money.min(sek('3'), sek('-1.50'), sek('2')).toString()).toBe('-1.50 SEK');
      expect(Money.max(sek('3'), sek('3.01'), sek('2')).toString()).toBe('3.01 SEK');
      expect(errorOf(() => Money.max()).code).toBe('MONEY_ARGUMENT_INVALID');
    });
  });

  describe('minor units', () => {
    it.each([
      [1250n, 'SEK', '12.50 SEK'],
      [1250n, 'JPY', '1250 JPY'],
      [1250n, 'KWD', '1.250 KWD'],
      [1250n, 'CLF', '0.1250 CLF'],
      [-421n, 'EUR', '-4.21 EUR'],
      [7, 'ISK', '7 ISK'],
    ] as const)('reads %s minor units of %s as %s and converts back', (minor, currency, text) => {
      const money = Money.fromMinor(minor, currency);
      expect(money.toString()).toBe(text);
      expect(money.toMinor()).toBe(BigInt(minor));
    });

    it('refuses to convert an amount below the minor unit without a rounding mode', () => {
      const error = errorOf(() => sek('12.505').toMinor());
      expect(error.code).toBe('MONEY_PRECISION_LOSS');
      expect(error.message).toBe(
        '12.505 SEK is not a whole number of minor units (SEK has 2 fraction digits): pass a rounding mode or round it first.',
      );
      expect(sek('12.505').toMinor('HALF_EVEN')).toBe(1250n);
      expect(sek('12.505').toMinor('HALF_UP')).toBe(1251n);
    });

    it('refuses fractional minor units', () => {
      expect(errorOf(() => Money.fromMinor(1.5, 'SEK')).code).toBe('MONEY_AMOUNT_INVALID');
    });

    it('rounds to the currency’s own minor unit', () => {
      expect(Money.of('1500.5', 'JPY').round('HALF_UP').toString()).toBe('1501 JPY');
      expect(Money.of('1.2345', 'KWD').round('HALF_EVEN').toString()).toBe('1.234 KWD');
      expect(Money.of('-12.505', 'SEK').round('HALF_UP').toString()).toBe('-12.51 SEK');
    });
  });

  describe('the event contract shape', () => {
    it('reads contract money and writes it back with the currency’s digits', () => {
      expect(Money.fromContract({ amount: '12.50', currency: 'SEK' }).toContract()).toEqual({ amount: '12.50', currency: 'SEK' });
      expect(Money.fromContract({ amount: '12.5', currency: 'SEK' }).toContract()).toEqual({ amount: '12.50', currency: 'SEK' });
      expect(Money.fromContract({ amount: '-4.21', currency: 'EUR' }).toContract()).toEqual({ amount: '-4.21', currency: 'EUR' });
      expect(Money.of('1500', 'JPY').toContract()).toEqual({ amount: '1500', currency: 'JPY' });
      expect(eur('0.0825').toContract()).toEqual({ amount: '0.0825', currency: 'EUR' });
    });

    it('refuses a JSON number as amount, naming it', () => {
      const error = errorOf(() => Money.fromContract({ amount: 12.5, currency: 'EUR' } as unknown as { amount: string; currency: string }));
      expect(error.code).toBe('MONEY_AMOUNT_INVALID');
      expect(error.message).toBe('Money amount must be a decimal string like "12.50", got number 12.5 (currency "EUR").');
    });

    it('refuses to write more fraction digits than the contract carries', () => {
      const error = errorOf(() => eur('0.0825').mul('0.19').toContract());
      expect(error.code).toBe('MONEY_PRECISION_LOSS');
      expect(error.message).toBe(
        '0.015675 EUR has 6 fraction digits but event money carries at most 4: round it before putting it in an event.',
      );
    });

    it('serialises to the contract shape in JSON', () => {
      expect(JSON.stringify({ total: sek('54.7') })).toBe('{"total":{"amount":"54.70","currency":"SEK"}}');
    });
  });

  describe('arithmetic', () => {
    it('adds, subtracts, multiplies and negates exactly', () => {
      expect(eur('29.39').add(eur('5.59')).toString()).toBe('34.98 EUR');
      expect(eur('10.00').sub(eur('12.50')).toString()).toBe('-2.50 EUR');
      expect(eur('14.695').mul(2).toString()).toBe('29.39 EUR');
      expect(eur('4.21').neg().abs().toString()).toBe('4.21 EUR');
    });

    it('refuses to mix currencies and names both amounts', () => {
      const error = errorOf(() => sek('10.00').add(eur('5')));
      expect(error.code).toBe('MONEY_CURRENCY_MISMATCH');
      expect(error.message).toBe('Cannot add 10.00 SEK and 5.00 EUR: the amounts are in different currencies (SEK and EUR).');
      expect(errorOf(() => sek('1').sub(eur('1'))).message).toContain('Cannot subtract 1.00 SEK and 1.00 EUR');
      expect(errorOf(() => sek('1').lt(eur('2'))).code).toBe('MONEY_CURRENCY_MISMATCH');
    });

    it('compares within a currency and tells different currencies apart without throwing', () => {
      expect(sek('12.5').eq(sek('12.50'))).toBe(true);
      expect(sek('12.50').eq(eur('12.50'))).toBe(false);
      expect(sek('1').compare(sek('2'))).toBe(-1);
      expect(sek('2').gte(sek('2.00'))).toBe(true);
      expect(sek('2').lte(sek('1.99'))).toBe(false);
      expect(sek('2').gt(sek('1.99'))).toBe(true);
      expect([sek('-1').sign(), sek('0').sign(), sek('1').sign()]).toEqual([-1, 0, 1]);
      expect([sek('0.00').isZero(), sek('-0.01').isNegative(), sek('0.01').isPositive()]).toEqual([true, true, true]);
    });
  });

  describe('safety', () => {
    it('cannot be changed after creation and throws when used with operators', () => {
      const price = sek('10');
      expect(Object.isFrozen(price)).toBe(true);
      expect(Reflect.set(price, 'currency', 'EUR')).toBe(false);
      expect(() => (price as unknown as number) + 1).toThrow('Money 10.00 SEK cannot be used with +, -, <, > or ==');
      expect(`${price}`).toBe('10.00 SEK');
    });
  });

  describe('properties over random values (seed 1287)', () => {
    const random = seededRandom(1287);
    const currencies = ['SEK', 'EUR', 'JPY', 'ISK', 'KWD', 'CLF'];
    const cases = Array.from({ length: 3000 }, () => ({
      minor: BigInt(`${random.chance(0.5) ? '-' : ''}${random.digits(random.int(1, 18))}`),
      currency: random.pick(currencies),
    }));

    it('converts minor units to money and back without change', () => {
      expect(cases.filter(({ minor, currency }) => Money.fromMinor(minor, currency).toMinor() !== minor)).toEqual([]);
    });

    it('reads back every contract shape it writes', () => {
      const failures = cases.filter(({ minor, currency }) => {
        const money = Money.fromMinor(minor, currency);
        const shape = money.toContract();
        return !Money.fromContract(shape).eq(money) || !/^-?\d+(\.\d{1,4})?$/.test(shape.amount);
      });
      expect(failures).toEqual([]);
    });

    it('agrees with Decimal arithmetic on the amounts', () => {
      const failures = cases.slice(1).filter(({ minor }, index) => {
        const a = Money.fromMinor(minor, 'EUR');
        const b = Money.fromMinor(cases[index].minor, 'EUR');
        return !a.add(b).amount.eq(Decimal.of(a.amount).add(b.amount)) || !a.sub(b).add(b).eq(a);
      });
      expect(failures).toEqual([]);
    });
  });
});
