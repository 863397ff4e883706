// Value conversions shared by the mappers; the rules come from libs/contracts/README.md and its WooCommerce fixtures.

/** `""`, null and undefined become null; other strings are kept as they are. */
export function textOrNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

/** A WooCommerce id where 0 means "none" (`customer_id`, `variation_id`, `product_id` of a deleted product). */
export function idOrNull(value: number | null | undefined): string | null {
  return value === undefined || value === null || value === 0 ? null : String(value);
}

/** A `*_gmt` value (UTC without offset) as `Date.toISOString()`; null for null or "". */
export function gmtToIso(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw new Error(`"${value}" is not a WooCommerce GMT date-time`);
  return new Date(ms).toISOString();
}

/**
 * Rounds a decimal string half away from zero to at most 4 fraction digits, keeping shorter values as written
 * (`"0.9"` stays `"0.9"`, `"0.833333"` becomes `"0.8333"`, `"-5.48555"` becomes `"-5.4856"`). WooCommerce keeps
 * per-rate line taxes unrounded (NOTES-rest-api.md, "Number and type quirks").
 */
export function round4(value: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`"${value}" is not a decimal amount`);
  const [, sign, whole, frac = ''] = m as unknown as [string, string, string, string | undefined];
  if (frac.length <= 4) return value.trim();
  let scaled = BigInt(`${whole}${frac.slice(0, 4)}`);
  if (Number(frac[4]) >= 5) scaled += 1n;
  if (scaled === 0n) return '0';
  const digits = scaled.toString().padStart(5, '0');
  const fraction = digits.slice(-4).replace(/0+$/, '');
  return `${sign}${digits.slice(0, -4)}${fraction ? `.${fraction}` : ''}`;
}

/** A JSON number (line `price`) as a decimal string rounded to 4 fraction digits: `14.695` → `"14.695"`, `3` → `"3"`. */
export function numberToDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} is not a finite number`);
  return round4(value.toFixed(6));
}

/** Flips the sign of a decimal string: WooCommerce reports refund lines negative, the contract wants them positive. */
export function flipSign(value: string): string {
  const v = value.trim();
  if (v.startsWith('-')) return v.slice(1);
  return /^0*(\.0*)?$/.test(v) ? v : `-${v}`;
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '\u2013', mdash: '\u2014', hellip: '\u2026',
  lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', euro: '\u20ac', pound: '\u00a3', times: '\u00d7',
  copy: '\u00a9', reg: '\u00ae', trade: '\u2122', deg: '\u00b0', laquo: '\u00ab', raquo: '\u00bb', bull: '\u2022',
};

/** Decodes the HTML entities WordPress puts in names and titles (`&ndash;` → `–`, `&#039;` → `'`); unknown ones stay. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)));
    return NAMED[body] ?? whole;
  });
}

/** The first meta value under one of `keys`, as non-empty text, or null. */
export function metaText(meta: ReadonlyArray<{ key: string; value: unknown }> | undefined, ...keys: string[]): string | null {
  for (const key of keys) {
    const found = meta?.find((m) => m.key === key);
    if (found && (typeof found.value === 'string' || typeof found.value === 'number') && String(found.value).trim() !== '') return String(found.value);
  }
  return null;
}
