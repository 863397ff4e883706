import { isDecimalString } from './validation/rules';

describe('isDecimalString', () => {
  it.each(['0', '12', '12.5', '12.50', '-4.21', '0.0825', '1000000.0001'])('accepts %j', (value) => {
    expect(isDecimalString(value)).toBe(true);
  });

  it.each([
    ['a float number', 12.5],
    ['an integer number', 12],
    ['five fraction digits', '1.23456'],
    ['a comma as decimal separator', '12,50'],
    ['a trailing point', '12.'],
    ['a leading point', '.5'],
    ['a plus sign', '+1'],
    ['exponent notation', '1e3'],
    ['surrounding spaces', ' 12.50 '],
    ['an empty string', ''],
    ['null', null],
  ])('rejects %s', (_label, value) => {
    expect(isDecimalString(value)).toBe(false);
  });

  it('honours a custom number of fraction digits', () => {
    expect(isDecimalString('12.50', { maxFractionDigits: 2 })).toBe(true);
    expect(isDecimalString('12.505', { maxFractionDigits: 2 })).toBe(false);
  });

  it('rejects values below zero when asked, but takes "-0.00" as zero', () => {
    expect(isDecimalString('-0.01', { nonNegative: true })).toBe(false);
    expect(isDecimalString('-0.00', { nonNegative: true })).toBe(true);
    expect(isDecimalString('0', { nonNegative: true })).toBe(true);
  });
});
