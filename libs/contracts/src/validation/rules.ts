// Every decorated contract class imports this file first, and class-transformer's @Type reads decorator
// metadata while those classes are defined: load the polyfill here, not in the caller's main.ts.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidateNested, isISO31661Alpha2, isEmail, isUUID, type ValidationArguments } from 'class-validator';

/**
 * How a property may be absent.
 * Canonical events write an absent value as `null`, never as `""`, so `nullable` is the usual choice;
 * `optional` (key left out) is for fields added to a v1 contract after producers already existed.
 */
export interface PresenceOptions {
  /** The key must be present; `null` means "the source has no value". */
  nullable?: boolean;
  /** The key may be left out entirely. */
  optional?: boolean;
}

type Test = (value: unknown, args: ValidationArguments) => boolean;

/**
 * A property decorator that checks `test` and, on failure, reports "must be <expectation>".
 * The validation runner adds the path, the received value and "is missing" itself, so messages stay short.
 */
export function rule(name: string, expectation: string, test: Test, presence: PresenceOptions = {}): PropertyDecorator {
  const suffix = presence.nullable ? ', or null' : '';
  const decorators: PropertyDecorator[] = [
    ValidateBy({ name, validator: { validate: (value: unknown, args?: ValidationArguments) => test(value, args as ValidationArguments), defaultMessage: () => `must be ${expectation}${suffix}` } }),
  ];
  const skip = skipWhenAbsent(presence);
  if (skip) decorators.push(skip);
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

function skipWhenAbsent({ nullable, optional }: PresenceOptions): PropertyDecorator | undefined {
  if (!nullable && !optional) return undefined;
  return ValidateIf((_object: object, value: unknown) => !((nullable && value === null) || (optional && value === undefined)));
}

/** A non-empty string (names, ids, codes). */
export const IsText = (presence?: PresenceOptions): PropertyDecorator =>
  rule('isText', 'a non-empty string', (v) => typeof v === 'string' && v.trim().length > 0, presence);

/** An email address. */
export const IsEmailAddress = (presence?: PresenceOptions): PropertyDecorator =>
  rule('isEmailAddress', 'an email address, like "jane@example.com"', (v) => typeof v === 'string' && isEmail(v), presence);

/** ISO 3166-1 alpha-2, upper case; `XK` (Kosovo) is accepted although it is only user-assigned, since stores sell there. */
export const IsCountryCode = (presence?: PresenceOptions): PropertyDecorator =>
  rule(
    'isCountryCode',
    'an ISO 3166-1 alpha-2 country code in upper case, like "SE"',
    (v) => typeof v === 'string' && /^[A-Z]{2}$/.test(v) && (v === 'XK' || isISO31661Alpha2(v)),
    presence,
  );

/**
 * ISO 4217 by shape only (three upper-case letters). A fixed list would reject currencies issued after
 * the list was written (ZWG 2024, XCG 2025); the ERP mapping rejects a currency it cannot book.
 */
export const IsCurrencyCode = (presence?: PresenceOptions): PropertyDecorator =>
  rule('isCurrencyCode', 'an ISO 4217 currency code of three upper-case letters, like "EUR"', (v) => isCurrencyCode(v), presence);

/** True for three upper-case letters. */
export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value);
}

const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Exactly the form `Date.prototype.toISOString()` writes. One fixed form keeps string order equal to time
 * order, which consumers rely on when they compare `modifiedAt` versions.
 */
export const IsUtcTimestamp = (presence?: PresenceOptions): PropertyDecorator =>
  rule(
    'isUtcTimestamp',
    'a UTC timestamp as written by Date.toISOString(), like "2024-06-10T07:01:44.000Z"',
    (v) => typeof v === 'string' && UTC_TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v,
    presence,
  );

/** `true` or `false`, not `"yes"`, `1` or `null`. */
export const IsFlag = (presence?: PresenceOptions): PropertyDecorator =>
  rule('isFlag', 'true or false', (v) => typeof v === 'boolean', presence);

/** One of a closed set of strings. */
export const IsOneOf = (values: readonly string[], presence?: PresenceOptions): PropertyDecorator =>
  rule('isOneOf', `one of ${values.map((v) => `"${v}"`).join(', ')}`, (v) => typeof v === 'string' && values.includes(v), presence);

/** A lower-case slug such as a WooCommerce status (`on-hold`) or an ERP name (`visma-net`); open sets, since plugins add statuses. */
export const IsSlug = (example: string, presence?: PresenceOptions): PropertyDecorator =>
  rule('isSlug', `a lower-case slug of letters, digits, "-" and "_", like "${example}"`, (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9_-]*$/.test(v), presence);

/** A UUID (any RFC 9562 version). */
export const IsEventId = (): PropertyDecorator =>
  rule('isEventId', 'a UUID, like "3b241101-e2bb-4255-8caf-4136c566a962"', (v) => typeof v === 'string' && isUUID(v, 'all'));

/** A whole number of 1 or more. */
export const IsPositiveInteger = (): PropertyDecorator =>
  rule('isPositiveInteger', 'a whole number of 1 or more, like 1', (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1);

/** A JSON object (not an array, not null). */
export const IsPlainObject = (expectation: string, presence?: PresenceOptions): PropertyDecorator =>
  rule('isObject', expectation, (v) => isObject(v), presence);

/** Options for {@link IsDecimalString} and {@link isDecimalString}. */
export interface DecimalStringOptions extends PresenceOptions {
  /** Most digits allowed after the point; default 4 (what ERPs store for prices and quantities). */
  maxFractionDigits?: number;
  /** Reject values below zero (`"-0.00"` still counts as zero). */
  nonNegative?: boolean;
  /** Example shown in the error message; default `"12.50"`. */
  example?: string;
}

/**
 * Returns whether `value` is a decimal string such as `"12.50"`, `"-3"` or `"0.0825"`: digits, an optional
 * minus sign and at most `maxFractionDigits` fraction digits. Numbers are rejected on purpose: money and
 * quantities never travel as floats.
 */
export function isDecimalString(value: unknown, options: DecimalStringOptions = {}): value is string {
  if (typeof value !== 'string') return false;
  const match = /^(-?)\d+(?:\.(\d+))?$/.exec(value);
  if (!match) return false;
  const [, sign, fraction] = match;
  if (fraction !== undefined && fraction.length > (options.maxFractionDigits ?? 4)) return false;
  if (options.nonNegative && sign === '-' && /[1-9]/.test(value)) return false;
  return true;
}

/**
 * Gives a property decorator that accepts only decimal strings (see {@link isDecimalString}) and reports,
 * for example, `must be a decimal string with at most 4 fraction digits, like "12.50"`.
 */
export function IsDecimalString(options: DecimalStringOptions = {}): PropertyDecorator {
  const digits = options.maxFractionDigits ?? 4;
  const kind = options.nonNegative ? 'a decimal string of zero or more' : 'a decimal string';
  const expectation = `${kind} with at most ${digits} fraction digits, like "${options.example ?? '12.50'}"`;
  return rule('isDecimalString', expectation, (v) => isDecimalString(v, options), options);
}

/** A list of non-empty strings; `[]` is allowed and means "none". */
export const IsTextList = (example: string): PropertyDecorator =>
  rule('isTextList', `a list of non-empty strings, like ${example}`, (v) => Array.isArray(v) && v.every((item) => typeof item === 'string' && item.length > 0));

/** Validates a nested object as `cls`; reports `must be <expectation>` when the value is not an object. */
export function NestedObject(cls: () => new () => object, expectation: string, presence?: PresenceOptions): PropertyDecorator {
  const decorators = [IsPlainObject(expectation, presence), ValidateNested({ message: `must be ${expectation}` }), Type(cls)];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** Validates a list whose items are validated as `cls`; `[]` is allowed and means "none". */
export function NestedList(cls: () => new () => object, listExpectation: string, itemExpectation: string): PropertyDecorator {
  const decorators = [
    rule('isList', listExpectation, (v) => Array.isArray(v)),
    ValidateNested({ message: `must be ${itemExpectation}` }),
    Type(cls),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
