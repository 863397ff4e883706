import { errorOf } from './__fixtures__/error-of';
import { cashRound } from './cash-round';
import { Money } from './money';

const sek = (amount: string) => Money.of(amount, 'SEK');
const chf = (amount: string) => Money.of(amount, 'CHF');

describe('cashRound', () => {
  it.each([
    ['12.49', '12.00'],
    ['12.50', '13.00'],
    ['12.51', '13.00'],
    ['0.49', '0.00'],
    ['-12.50', '-13.00'],
    ['-12.49', '-12.00'],
  ])('rounds %s SEK to whole kronor as %s (öresavrundning)', (amount, rounded) => {
    expect(cashRound(sek(amount), '1').toString()).toBe(`${rounded} SEK`);
  });

  it.each([
    ['1.02', '1.00'],
    ['1.025', '1.05'],
    ['1.03', '1.05'],
    ['1.07', '1.05'],
    ['1.08', '1.10'],
    ['-1.03', '-1.05'],
  ])('rounds %s CHF to 5 rappen as %s', (amount, rounded) => {
    expect(cashRound(chf(amount), '0.05').toString()).toBe(`${rounded} CHF`);
  });

  it('leaves the rounding difference to book as the rounded amount minus the original', () => {
    const total = sek('54.76');
    expect(cashRound(total, '1').sub(total).toString()).toBe('0.24 SEK');
  });

  it('takes another rounding mode and an increment given as Money', () => {
    expect(cashRound(sek('12.90'), sek('1'), 'FLOOR').toString()).toBe('12.00 SEK');
    expect(cashRound(sek('12.50'), '1', 'HALF_EVEN').toString()).toBe('12.00 SEK');
  });

  it('refuses an increment that is not above zero or is in another currency', () => {
    const error = errorOf(() => cashRound(sek('1'), '0'));
    expect(error.code).toBe('MONEY_ARGUMENT_INVALID');
    expect(error.message).toBe('Cannot cash-round 1.00 SEK to an increment of 0: it must be above zero.');
    expect(errorOf(() => cashRound(sek('1'), chf('0.05'))).code).toBe('MONEY_CURRENCY_MISMATCH');
  });
});
