import { MoneyError } from './money.error';
import { show } from './show-value';

// ISO 4217 List One, minor-unit column, as the maintenance agency (SIX Group) published it in 2025.
// Anything not listed below has 2. ISO is the authority here, not PSP practice: ISK is 0 although some PSPs
// send ISK with 2 decimals, and HUF/TWD are 2 although Stripe charges them in whole units. PSP clients convert
// at their edge (STYLE.md §5).
const ZERO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DECIMALS = 'CLF UYW';
const TWO_DECIMALS =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE ' +
  'CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL ' +
  'HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR ' +
  'MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK ' +
  'SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD ' +
  'XCG YER ZAR ZMW ZWG';
// Withdrawn from List One but still offered by WooCommerce's currency setting or present in order history that
// a backfill reads (Croatia joined the euro in 2023, Zimbabwe replaced ZWL in 2024, ...). Minor units as ISO
// last listed them.
const WITHDRAWN = { BYR: 0, CUC: 2, HRK: 2, MRO: 2, SLL: 2, STD: 2, VEF: 2, ZWL: 2 } as const;
// In List One without a minor unit ("N.A."): precious metals, SDR, bond-market units, test and "no currency"
// codes. Money in them has no smallest unit to round to, so they are refused with their own explanation.
const NO_MINOR_UNIT = new Set('XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX'.split(' '));

const MINOR_UNITS: ReadonlyMap<string, number> = new Map<string, number>([
  ...codes(TWO_DECIMALS, 2),
  ...codes(ZERO_DECIMALS, 0),
  ...codes(THREE_DECIMALS, 3),
  ...codes(FOUR_DECIMALS, 4),
  ...Object.entries(WITHDRAWN),
]);

function codes(list: string, minorUnits: number): [string, number][] {
  return list.split(' ').map((code) => [code, minorUnits]);
}

/**
 * Returns how many fraction digits the currency's minor unit has per ISO 4217: 2 for SEK and EUR, 0 for JPY
 * and ISK, 3 for KWD, 4 for CLF. Codes are upper case, as in the event contract.
 *
 * @throws MoneyError `MONEY_CURRENCY_UNKNOWN` naming the code when it is not a currency with a minor unit.
 */
export function minorUnitsOf(currency: string): number {
  const minorUnits = MINOR_UNITS.get(currency);
  if (minorUnits !== undefined) return minorUnits;
  throw new MoneyError('MONEY_CURRENCY_UNKNOWN', unknownCurrencyMessage(currency));
}

/** Returns whether {@link minorUnitsOf} knows `currency`. */
export function isKnownCurrency(currency: string): boolean {
  return MINOR_UNITS.has(currency);
}

/** Returns every currency code this library can compute in, sorted. */
export function knownCurrencies(): string[] {
  return [...MINOR_UNITS.keys()].sort();
}

function unknownCurrencyMessage(currency: unknown): string {
  if (typeof currency === 'string' && NO_MINOR_UNIT.has(currency)) {
    return `Currency "${currency}" has no minor unit in ISO 4217 (metals, SDR, test codes), so amounts in it cannot be rounded or booked.`;
  }
  if (typeof currency === 'string' && MINOR_UNITS.has(currency.toUpperCase())) {
    return `Unknown currency ${show(currency)}: currency codes are upper case, like "${currency.toUpperCase()}".`;
  }
  return `Unknown currency ${show(currency)}: expected an ISO 4217 code with a minor unit, like "SEK" or "EUR".`;
}
