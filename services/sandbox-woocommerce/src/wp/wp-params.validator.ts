import { invalidParams, missingParams, type ParamProblem } from './wp-error';

/** The subset of WordPress's JSON-schema argument checks that WooCommerce's routes rely on. */
export interface ParamSpec {
  type: 'integer' | 'number' | 'string' | 'boolean' | 'array' | 'object' | 'date-time' | 'email';
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  items?: ParamSpec;
  default?: unknown;
  required?: boolean;
  /** Accepts JSON null as well (WooCommerce declares a few fields as `['integer', 'null']`). */
  nullable?: boolean;
}

export type ParamSpecs = Record<string, ParamSpec>;

/**
 * Returns the params named in `specs`, coerced the way `rest_sanitize_value_from_schema` does
 * (numeric strings to integers, "true"/"1" to booleans, comma lists to arrays), with defaults
 * filled in. Throws `rest_missing_callback_param` or `rest_invalid_param` with WordPress's
 * messages (wp-includes/rest-api.php, `rest_validate_value_from_schema`) for everything wrong.
 */
export function validateParams(input: Record<string, unknown>, specs: ParamSpecs): Record<string, unknown> {
  const missing = Object.entries(specs)
    .filter(([name, spec]) => spec.required && (input[name] === undefined || input[name] === null))
    .map(([name]) => name);
  if (missing.length > 0) throw missingParams(missing);

  const problems: ParamProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = input[name];
    if (raw === undefined) {
      if (spec.default !== undefined) out[name] = spec.default;
      continue;
    }
    const result = coerce(name, raw, spec);
    if ('problem' in result) problems.push(result.problem);
    else out[name] = result.value;
  }
  if (problems.length > 0) throw invalidParams(problems);
  return out;
}

type Coerced = { value: unknown } | { problem: ParamProblem };

function coerce(param: string, raw: unknown, spec: ParamSpec): Coerced {
  const notOfType = (type: string): Coerced => ({ problem: { param, code: 'rest_invalid_type', message: `${param} is not of type ${type}.` } });
  if (raw === null && spec.nullable) return { value: null };
  switch (spec.type) {
    case 'integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n)) return notOfType('integer');
      return bounds(param, n, spec);
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return notOfType('number');
      return bounds(param, n, spec);
    }
    case 'boolean': {
      if (raw === true || raw === 'true' || raw === '1' || raw === 1) return { value: true };
      if (raw === false || raw === 'false' || raw === '0' || raw === 0 || raw === '') return { value: false };
      return notOfType('boolean');
    }
    case 'string':
    case 'email':
    case 'date-time': {
      if (typeof raw !== 'string') return notOfType('string');
      if (spec.type === 'date-time' && !WP_DATE_TIME.test(raw)) return { problem: { param, code: 'rest_invalid_date', message: 'Invalid date.' } };
      if (spec.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) return { problem: { param, code: 'rest_invalid_email', message: 'Invalid email address.' } };
      if (spec.enum && !spec.enum.includes(raw)) return notInEnum(param, spec.enum);
      return { value: raw };
    }
    case 'array': {
      // wp_parse_list: a string is split on commas and whitespace.
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/).filter((s) => s !== '') : isPlainObject(raw) ? Object.values(raw) : null;
      if (list === null) return notOfType('array');
      if (!spec.items) return { value: list };
      const values: unknown[] = [];
      for (let i = 0; i < list.length; i++) {
        const item = coerce(`${param}[${i}]`, list[i], spec.items);
        // Reported under the parameter's own name, with the item's message ("status[0] is not one of ...").
        if ('problem' in item) return { problem: { ...item.problem, param } };
        values.push(item.value);
      }
      return { value: values };
    }
    case 'object':
      return isPlainObject(raw) ? { value: raw } : notOfType('object');
  }
}

function bounds(param: string, n: number, spec: ParamSpec): Coerced {
  const { minimum: min, maximum: max } = spec;
  const outOfBounds = (message: string): Coerced => ({ problem: { param, code: 'rest_out_of_bounds', message } });
  if (min !== undefined && max !== undefined && (n < min || n > max)) return outOfBounds(`${param} must be between ${min} (inclusive) and ${max} (inclusive)`);
  if (min !== undefined && max === undefined && n < min) return outOfBounds(`${param} must be greater than or equal to ${min}`);
  if (max !== undefined && min === undefined && n > max) return outOfBounds(`${param} must be less than or equal to ${max}`);
  if (spec.enum && !spec.enum.includes(String(n))) return notInEnum(param, spec.enum);
  return { value: n };
}

function notInEnum(param: string, values: readonly string[]): Coerced {
  return { problem: { param, code: 'rest_not_in_enum', message: `${param} is not one of ${wpSprintfList(values)}.` } };
}

/** `wp_sprintf_l`: "a", "a and b", "a, b, and c". */
function wpSprintfList(values: readonly string[]): string {
  if (values.length <= 2) return values.join(' and ');
  return `${values.slice(0, -1).join(', ')}, and ${values[values.length - 1]}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `rest_parse_date`'s pattern (wp-includes/rest-api.php). */
export const WP_DATE_TIME = /^(\d{4})-(0[1-9]|1[012])-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Collection parameters every WooCommerce list route shares (`WC_REST_Controller::get_collection_params`). */
export const COLLECTION_PARAMS: ParamSpecs = {
  context: { type: 'string', enum: ['view', 'edit'], default: 'view' },
  page: { type: 'integer', minimum: 1, default: 1 },
  per_page: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
  search: { type: 'string' },
  offset: { type: 'integer' },
  include: { type: 'array', items: { type: 'integer' } },
  exclude: { type: 'array', items: { type: 'integer' } },
  after: { type: 'date-time' },
  before: { type: 'date-time' },
  modified_after: { type: 'date-time' },
  modified_before: { type: 'date-time' },
  dates_are_gmt: { type: 'boolean', default: false },
  order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
  parent: { type: 'array', items: { type: 'integer' } },
  dp: { type: 'integer', default: 2 },
  _fields: { type: 'array', items: { type: 'string' } },
};
