import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function digest(parts: ReadonlyArray<string | number>): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/** `n` characters from `alphabet`, derived from `parts`: the same parts always give the same id. */
export function derivedChars(n: number, alphabet: string, ...parts: Array<string | number>): string {
  let out = '';
  let block = 0;
  while (out.length < n) {
    const bytes = digest([...parts, block++]);
    for (const b of bytes) {
      if (out.length === n) break;
      out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

/** A Stripe-style id: `prefix` + 24 base-62 characters, e.g. `ch_3PNa1b…`. */
export function stripeId(prefix: string, ...parts: Array<string | number>): string {
  return `${prefix}${derivedChars(24, BASE62, prefix, ...parts)}`;
}

/** A random-looking (version 4 layout) UUID derived from `parts`, as Klarna uses for order, capture and refund ids. */
export function derivedUuid(...parts: Array<string | number>): string {
  const h = digest(parts).toString('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 16-character numeric Adyen PSP reference derived from `parts` (never starting with 0). */
export function adyenPspReference(...parts: Array<string | number>): string {
  return `${1 + (digest(parts)[0] % 9)}${derivedChars(15, '0123456789', 'psp', ...parts)}`;
}

/** Upper-case letters and digits, as in Klarna payment references (`XISA93DJ`) and short order ids. */
export function upperAlnum(n: number, ...parts: Array<string | number>): string {
  return derivedChars(n, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ...parts);
}
