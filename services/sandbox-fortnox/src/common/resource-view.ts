import type { FortnoxObject } from '../state/fortnox.state';

/** The fields of `data` named in `fields`, in that order; missing ones as null, as Fortnox lists them. */
export function pick(data: FortnoxObject, fields: ReadonlySet<string>): FortnoxObject {
  const out: FortnoxObject = {};
  for (const field of fields) out[field] = data[field] ?? null;
  return out;
}
