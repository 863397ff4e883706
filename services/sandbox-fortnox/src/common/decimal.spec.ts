import { dec, div, divRound, mul, parseDecimal, round, toFixed, toNumber } from './decimal';

describe('decimal', () => {
  it('parses numbers and numeric strings exactly, including exponents', () => {
    expect(dec(0.1) + dec('0.2')).toBe(dec('0.3'));
    expect(toFixed(dec('1e2'), 2)).toBe('100.00');
    expect(toFixed(dec('-12.345'), 3)).toBe('-12.345');
    expect(toFixed(dec('.5'), 1)).toBe('0.5');
    expect(parseDecimal(' 7 ')).toBe(dec(7));
  });

  it('returns undefined for what is not a number', () => {
    for (const v of ['', ' ', 'abc', '1,5', null, undefined, true, {}, Number.NaN, Infinity]) expect(parseDecimal(v)).toBeUndefined();
  });

  it('rounds half away from zero, symmetric for credits', () => {
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(toNumber(round(dec('300.5'), 0))).toBe(301);
    expect(toNumber(round(dec('-300.5'), 0))).toBe(-301);
    expect(toNumber(round(dec('6.396'), 2))).toBe(6.4);
    expect(toNumber(round(dec('-0.005'), 2))).toBe(-0.01);
  });

  it('multiplies and divides at micro precision', () => {
    expect(toNumber(mul(dec('99.9'), dec(2)))).toBe(199.8);
    expect(toFixed(div(dec('59.7'), dec('1.12')), 6)).toBe('53.303571');
  });
});
