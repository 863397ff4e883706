import { decodeEntities, flipSign, gmtToIso, numberToDecimal, round4 } from './woo-values';

describe('WooCommerce value conversions', () => {
  it('rounds per-rate taxes half away from zero to 4 digits and keeps shorter values as written', () => {
    expect(['0.9', '2', '0.833333', '-5.48555', '0.00004', '12.34565'].map(round4)).toEqual(['0.9', '2', '0.8333', '-5.4856', '0', '12.3457']);
  });
  it('writes JSON number prices as decimals', () => {
    expect([3, 14.695, 12, 0.1 + 0.2].map(numberToDecimal)).toEqual(['3', '14.695', '12', '0.3']);
  });
  it('flips refund signs and reads *_gmt as UTC', () => {
    expect(['-12.50', '0.00', '2'].map(flipSign)).toEqual(['12.50', '0.00', '-2']);
    expect(gmtToIso('2017-03-22T19:28:02')).toBe('2017-03-22T19:28:02.000Z');
    expect(gmtToIso('')).toBeNull();
  });
  it('decodes the HTML entities WordPress puts in names', () => {
    expect(decodeEntities('Ship Your Idea &ndash; Color: Black &amp; &#039;M&#x27;')).toBe("Ship Your Idea \u2013 Color: Black & 'M'");
  });
});
