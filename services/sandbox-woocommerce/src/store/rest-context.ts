import type { SiteClock } from './site-clock';
import type { Address } from './woo-records';

/** What a REST mapper needs besides the record: where the store lives, its clock, `dp`. */
export interface RestContext {
  siteUrl: string;
  clock: SiteClock;
  /** Decimal places for money strings (`dp` request parameter, default 2). */
  dp: number;
}

/** `rest_url('wc/v3/<path>')` for this store. */
export function restUrl(ctx: Pick<RestContext, 'siteUrl'>, path: string): string {
  return `${ctx.siteUrl}/wp-json/wc/v3/${path}`;
}

/** A `_links` entry as WordPress prints it. */
export function link(href: string): Array<{ href: string }> {
  return [{ href }];
}

const SYMBOLS: Record<string, string> = { SEK: 'kr', NOK: 'kr', DKK: 'kr.', EUR: '€', USD: '$', GBP: '£' };
const HTML_SYMBOLS: Record<string, string> = { SEK: '&#107;&#114;', NOK: '&#107;&#114;', DKK: '&#107;&#114;&#46;', EUR: '&euro;', USD: '&#36;', GBP: '&pound;' };

/** The currency symbol the REST API prints in `currency_symbol`. */
export function currencySymbol(currency: string): string {
  return SYMBOLS[currency] ?? currency;
}

/** The symbol as WooCommerce writes it into `price_html`. */
export function currencySymbolHtml(currency: string): string {
  return HTML_SYMBOLS[currency] ?? currency;
}

/** A billing address in WooCommerce's key order (email before phone). */
export function billingToRest(a: Address): Record<string, string> {
  return { first_name: a.first_name, last_name: a.last_name, company: a.company, address_1: a.address_1, address_2: a.address_2, city: a.city, state: a.state, postcode: a.postcode, country: a.country, email: a.email ?? '', phone: a.phone };
}

/** A shipping address in WooCommerce's key order (`phone` since WooCommerce 5.6, no email). */
export function shippingToRest(a: Address): Record<string, string> {
  return { first_name: a.first_name, last_name: a.last_name, company: a.company, address_1: a.address_1, address_2: a.address_2, city: a.city, state: a.state, postcode: a.postcode, country: a.country, phone: a.phone };
}
