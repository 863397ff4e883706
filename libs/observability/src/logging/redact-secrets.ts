import { stdSerializers } from 'pino';

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Key names whose values are secrets, compared lowercase with `-`/`_` removed and matched at the
 * end, so `consumerSecret`, `webhook_secret`, `accessToken`, `x-api-key` and `Authorization` all
 * match while `tokenExpiresAt` does not.
 */
const SECRET_KEY = /(password|passwd|passphrase|secrets?|tokens?|authorization|apikey|cookies?|credentials?|privatekey|consumerkey|connectionstring|databaseurl)$/;

// Deeper structures are not inspected; log payloads are shallow, and the walk runs on every line.
const MAX_DEPTH = 8;

/** True when a value under `key` must not be logged. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/**
 * Returns `value` with every secret-named key's value replaced by {@link REDACTED}, at any depth up
 * to 8 levels, in arrays, class instances and errors (an HTTP client error often carries its
 * request headers). Errors come back serialized as pino would. Objects without secrets are
 * returned as they are, not copied.
 */
export function redactSecrets<T>(value: T): T {
  return walk(value, 0, new WeakSet()) as T;
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || seen.has(value)) return value;
  seen.add(value);

  if (value instanceof Error) {
    const serialized = stdSerializers.err(value) as unknown as Record<string, unknown>;
    return walkObject(serialized, depth, seen) ?? serialized;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = walk(item, depth + 1, seen);
      if (next !== item) (copy ??= value.slice())[i] = next;
    });
    return copy ?? value;
  }
  // Values that serialize themselves (Date, Buffer, decimals) or that JSON shows as {} are left alone.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set) {
    return value;
  }
  return walkObject(value as Record<string, unknown>, depth, seen) ?? value;
}

/** A redacted shallow copy of `obj`, or undefined when nothing under it needed redacting. */
function walkObject(obj: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> | undefined {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const current = obj[key];
    const next = current !== undefined && current !== null && isSecretKey(key) ? REDACTED : walk(current, depth + 1, seen);
    if (next !== current) (copy ??= { ...obj })[key] = next;
  }
  return copy;
}
