import { fortnoxErrors } from '../errors/fortnox.error';
import type { FortnoxObject } from '../state/fortnox.state';
import { parseDecimal, type Micros } from './decimal';
import { isFortnoxDate } from './stockholm-time';

/**
 * Returns the resource object inside Fortnox's wrapper (`{"Invoice":{...}}`); an empty body or a
 * missing wrapper is 2001392 "Ingen eller felaktig typ av data", as Fortnox answers.
 */
export function unwrap(body: unknown, root: string): FortnoxObject {
  const inner = isObject(body) ? body[root] : undefined;
  if (!isObject(inner)) throw fortnoxErrors.noData();
  return inner;
}

/**
 * Returns the writable fields of `input`: a name outside `readModel` fails with 2001399, a name in the
 * read model only (Total, Booked, @url, ...) is dropped, as a write cannot set it.
 */
export function writableFields(input: FortnoxObject, writeModel: ReadonlySet<string>, readModel: ReadonlySet<string>): FortnoxObject {
  const out: FortnoxObject = {};
  for (const [key, value] of Object.entries(input)) {
    if (writeModel.has(key)) out[key] = value;
    else if (!readModel.has(key)) throw fortnoxErrors.invalidFieldName(key);
  }
  return out;
}

export function isObject(value: unknown): value is FortnoxObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the field is absent, null or an empty string (Fortnox treats all three as "not given"). */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** A number field as micros; undefined when blank; 2000108 when it is not numeric. */
export function readDecimal(obj: FortnoxObject, field: string): Micros | undefined {
  const value = obj[field];
  if (isBlank(value)) return undefined;
  const parsed = parseDecimal(value);
  if (parsed === undefined) throw fortnoxErrors.notNumeric(field, value);
  return parsed;
}

/** An integer field; undefined when blank; 2000108 when it is not a whole number. */
export function readInteger(obj: FortnoxObject, field: string): number | undefined {
  const value = obj[field];
  if (isBlank(value)) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw fortnoxErrors.notNumeric(field, value);
  return n;
}

/** A boolean field (true/false or "true"/"false"); undefined when blank; 2000134 otherwise. */
export function readBoolean(obj: FortnoxObject, field: string): boolean | undefined {
  const value = obj[field];
  if (isBlank(value)) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw fortnoxErrors.notBoolean(field, value);
}

/** A text field; undefined when blank; rejects a value longer than the OpenAPI's maxLength. */
export function readString(obj: FortnoxObject, field: string, maxLength?: number): string | undefined {
  const value = obj[field];
  if (isBlank(value)) return undefined;
  const text = typeof value === 'string' ? value : String(value);
  if (maxLength !== undefined && [...text].length > maxLength) {
    throw fortnoxErrors.invalidValue(field, text, `at most ${maxLength} characters`);
  }
  return text;
}

/** A `YYYY-MM-DD` date field; undefined when blank. */
export function readDate(obj: FortnoxObject, field: string): string | undefined {
  const value = obj[field];
  if (isBlank(value)) return undefined;
  if (!isFortnoxDate(value)) throw fortnoxErrors.invalidValue(field, value, 'a date as YYYY-MM-DD');
  return value;
}
