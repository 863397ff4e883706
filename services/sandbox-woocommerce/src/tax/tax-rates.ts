/**
 * The sandbox's tax table (WooCommerce › Settings › Tax). The shop is based in Sweden and sells
 * to EU consumers under OSS, so EU destinations use their own rates; destinations outside the EU
 * (Norway, the US) match no rate and are untaxed exports. Rates and classes are the sandbox's
 * choice, not from the contract. Tax classes are WooCommerce slugs: '' is "Standard".
 */
export interface TaxRate {
  id: number;
  country: string;
  state: string;
  /** Percent times 10^4: 25 % = 250000, 5.5 % = 55000. */
  rate4: number;
  name: string;
  priority: number;
  compound: boolean;
  shipping: boolean;
  taxClass: string;
}

const TABLE: Array<[country: string, taxClass: string, percent: number, name: string]> = [
  ['SE', '', 25, 'Moms'],
  ['SE', 'reduced-rate', 12, 'Moms'],
  ['SE', 'super-reduced-rate', 6, 'Moms'],
  ['SE', 'zero-rate', 0, 'Moms'],
  ['DE', '', 19, 'MwSt.'],
  ['DE', 'reduced-rate', 7, 'MwSt.'],
  ['DE', 'super-reduced-rate', 7, 'MwSt.'],
  ['DE', 'zero-rate', 0, 'MwSt.'],
  ['FR', '', 20, 'TVA'],
  ['FR', 'reduced-rate', 5.5, 'TVA'],
  ['FR', 'super-reduced-rate', 5.5, 'TVA'],
  ['NL', '', 21, 'BTW'],
  ['NL', 'reduced-rate', 9, 'BTW'],
  ['NL', 'super-reduced-rate', 9, 'BTW'],
  ['FI', '', 25.5, 'ALV'],
  ['FI', 'reduced-rate', 14, 'ALV'],
  ['FI', 'super-reduced-rate', 10, 'ALV'],
  ['DK', '', 25, 'Moms'],
  ['DK', 'reduced-rate', 25, 'Moms'],
  ['DK', 'super-reduced-rate', 25, 'Moms'],
];

/** Every rate the sandbox store has, with stable ids 1..n in table order. */
export const TAX_RATES: readonly TaxRate[] = TABLE.map(([country, taxClass, percent, name], i) => ({
  id: i + 1,
  country,
  state: '',
  rate4: Math.round(percent * 10_000),
  name,
  priority: 1,
  compound: false,
  shipping: true,
  taxClass,
}));

/** Countries the generator treats as EU (destination VAT); anything else is an export. */
export const EU_COUNTRIES = new Set(['SE', 'DE', 'FR', 'NL', 'FI', 'DK']);

/** The rates that apply to `taxClass` for a customer in `country` (`WC_Tax::find_rates`). */
export function findRates(country: string, taxClass: string): TaxRate[] {
  return TAX_RATES.filter((r) => r.country === country && r.taxClass === taxClass && r.rate4 > 0);
}

/** The rate with this id, if the store has it. */
export function rateById(id: number): TaxRate | undefined {
  return TAX_RATES.find((r) => r.id === id);
}

/** `WC_Tax::get_rate_code`: COUNTRY-STATE-NAME-PRIORITY with empty parts left out, upper-cased. */
export function rateCode(rate: TaxRate): string {
  return [rate.country, rate.state, rate.name, String(rate.priority)].filter((p) => p !== '').join('-').toUpperCase();
}

/** The rate as a percent number, e.g. 25 or 5.5 (`tax_lines[].rate_percent`). */
export function ratePercent(rate: TaxRate): number {
  return rate.rate4 / 10_000;
}

/** Tax classes a product may carry. */
export const TAX_CLASSES = ['', 'reduced-rate', 'super-reduced-rate', 'zero-rate'] as const;
