/** A value PHP's `parse_str` produces: a string, or a (possibly nested) array. */
export type PhpValue = string | PhpValue[] | { [key: string]: PhpValue };

/**
 * Returns `qs` parsed the way PHP fills `$_GET` / `$_POST`: `+` and `%XX` decoded, `a[]=x&a[]=y`
 * and `a[0]=x` become arrays, `a[k]=v` becomes a keyed array, a repeated plain key keeps the last
 * value. WooCommerce validates OAuth signatures over exactly this structure, so a client that
 * signs `status[]` differently from how PHP parses it is refused here as it is by a store.
 */
export function parsePhpQuery(qs: string): Record<string, PhpValue> {
  const root: Record<string, PhpValue> = {};
  for (const part of qs.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = phpUrlDecode(eq < 0 ? part : part.slice(0, eq));
    const value = phpUrlDecode(eq < 0 ? '' : part.slice(eq + 1));
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(name);
    if (!match) {
      if (name !== '' && !name.startsWith('[')) root[name.replace(/[ .]/g, '_')] = value;
      continue;
    }
    const base = match[1].replace(/[ .]/g, '_');
    const segments = [...match[2].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
    if (segments.length === 0) {
      root[base] = value;
      continue;
    }
    let container = root as Record<string, PhpValue>;
    let key = base;
    for (const segment of segments) {
      const existing = container[key];
      const next: Record<string, PhpValue> = isKeyed(existing) ? existing : {};
      container[key] = next;
      container = next;
      key = segment === '' ? String(nextIndex(next)) : segment;
    }
    container[key] = value;
  }
  return listify(root) as Record<string, PhpValue>;
}

/** PHP `urldecode`: `+` is a space, `%XX` a byte; malformed escapes stay as they are. */
export function phpUrlDecode(s: string): string {
  if (!/[%+]/.test(s)) return s;
  const bytes: number[] = [];
  const plain = s.replace(/\+/g, ' ');
  for (let i = 0; i < plain.length; i++) {
    const c = plain[i];
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(plain.slice(i + 1, i + 3))) {
      bytes.push(parseInt(plain.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** PHP `rawurlencode`: RFC 3986, everything but `A-Za-z0-9-_.~` escaped. */
export function rawUrlEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function isKeyed(v: PhpValue | undefined): v is Record<string, PhpValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nextIndex(obj: Record<string, PhpValue>): number {
  let max = -1;
  for (const k of Object.keys(obj)) if (/^\d+$/.test(k)) max = Math.max(max, Number(k));
  return max + 1;
}

/** Keyed arrays whose keys are exactly 0..n-1 are lists in PHP's sense; give them as JS arrays. */
function listify(v: PhpValue): PhpValue {
  if (!isKeyed(v)) return v;
  const keys = Object.keys(v);
  for (const k of keys) v[k] = listify(v[k]);
  const isList = keys.length > 0 && keys.every((k, i) => k === String(i));
  return isList ? keys.map((k) => v[k]) : v;
}
