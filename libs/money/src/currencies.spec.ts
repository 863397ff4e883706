import { errorOf } from './__fixtures__/error-of';
import { isKnownCurrency, knownCurrencies, minorUnitsOf } from './currencies';

describe('minorUnitsOf', () => {
  it.each([
    [2, ['SEK', 'EUR', 'USD', 'GBP', 'NOK', 'DKK', 'CHF', 'PLN', 'HUF', 'TWD', 'XCG', 'ZWG']],
    [0, ['JPY', 'KRW', 'ISK', 'CLP', 'VND', 'XAF', 'XOF', 'XPF', 'UGX']],
    [3, ['KWD', 'BHD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD']],
    [4, ['CLF', 'UYW']],
  ])('gives %i fraction digits for %j, as ISO 4217 lists them', (minorUnits, codes) => {
    expect(codes.map(minorUnitsOf)).toEqual(codes.map(() => minorUnits));
  });

  it('still knows currencies withdrawn recently, so backfilled order history computes', () => {
    expect(minorUnitsOf('HRK')).toBe(2);
    expect(minorUnitsOf('BYR')).toBe(0);
  });

  it('refuses an unknown code, naming it', () => {
    const error = errorOf(() => minorUnitsOf('ABC'));
    expect(error.code).toBe('MONEY_CURRENCY_UNKNOWN');
    expect(error.message).toBe('Unknown currency "ABC": expected an ISO 4217 code with a minor unit, like "SEK" or "EUR".');
  });

  it('refuses a lower-case code and says how to write it', () => {
    expect(errorOf(() => minorUnitsOf('sek')).message).toBe('Unknown currency "sek": currency codes are upper case, like "SEK".');
  });

  it('refuses ISO codes that have no minor unit, saying why', () => {
    expect(errorOf(() => minorUnitsOf('XAU')).message).toBe(
      'Currency "XAU" has no minor unit in ISO 4217 (metals, SDR, test codes), so amounts in it cannot be rounded or booked.',
    );
    expect(isKnownCurrency('XXX')).toBe(false);
  });

  it('lists every known code as three upper-case letters, sorted', () => {
    const codes = knownCurrencies();
    expect(codes).toEqual([...new Set(codes)].sort());
    expect(codes.length).toBeGreaterThan(170);
    expect(codes.every((code) => /^[A-Z]{3}$/.test(code))).toBe(true);
  });
});
