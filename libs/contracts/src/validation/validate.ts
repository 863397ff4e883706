import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { Money } from '../money';
import { readPath } from './read-path';
import { isCurrencyCode, isObject } from './rules';

/** The result of {@link validateAs}: the instance built from the input, and every problem found. */
export interface Validated<T> {
  instance: T;
  problems: string[];
}

/**
 * Gives `plain` converted to `cls` and the list of problems class-validator finds, each written as
 * `<rootPath>.<property path>: <message>`. Unknown properties are problems too (whitelist + forbidNonWhitelisted),
 * unless `unknownFields` is 'strip' (a tolerant reader drops them instead); no implicit conversion happens: a number where a decimal string belongs stays a number and fails.
 */
export function validateAs<T extends object>(
  cls: new (...args: never[]) => T,
  plain: Record<string, unknown>,
  rootPath: string,
  unknownFieldMessage: string,
  unknownFields: 'reject' | 'strip' = 'reject',
): Validated<T> {
  const instance = plainToInstance(cls as unknown as new () => T, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: unknownFields === 'reject',
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
  });
  const problems: string[] = [];
  for (const error of errors) collect(error, rootPath, false, unknownFieldMessage, problems);
  return { instance, problems };
}

function collect(error: ValidationError, parentPath: string, parentIsList: boolean, unknownFieldMessage: string, out: string[]): void {
  const path = joinPath(parentPath, error.property, parentIsList);
  const constraints = { ...(error.constraints ?? {}) };
  if (constraints['whitelistValidation']) {
    out.push(`${path}: ${unknownFieldMessage}`);
    return;
  }
  // "must be an object" and "must be a list" say it better than class-validator's nested-validation notice.
  if (Object.keys(constraints).some((name) => name !== 'nestedValidation')) delete constraints['nestedValidation'];
  const messages = [...new Set(Object.values(constraints))];
  if (messages.length > 0) {
    out.push(`${path}: ${phrase(messages, error.value)}`);
    return; // a value of the wrong kind: its children's errors would only repeat the same news
  }
  for (const child of error.children ?? []) collect(child, path, Array.isArray(error.value), unknownFieldMessage, out);
}

function joinPath(parent: string, property: string | undefined, parentIsList: boolean): string {
  if (property === undefined) return parent;
  if (parentIsList) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

function phrase(messages: string[], value: unknown): string {
  if (value === undefined) return `is missing; it ${messages.join('; it ')}`;
  return `${messages.join('; ')} (got ${describeValue(value)})`;
}

/** Describes a received value for an error message, short and without dumping whole objects. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return truncate(JSON.stringify(value));
  if (typeof value === 'number' || typeof value === 'bigint') return `number ${String(value)}`;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return 'a Date object; write it with toISOString()';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isObject(value)) return truncate(JSON.stringify(value) ?? 'an object');
  return typeof value;
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Gives one problem per `Money` in `payload` whose currency differs from the event's: the value at
 * `currencyPath` when given and well-formed, otherwise the first amount's. Amounts at `ownCurrencyPaths` (payload-relative)
 * keep their own currency. Malformed currencies are left to the schema check.
 */
export function currencyProblems(payload: object, rootPath: string, currencyPath?: string, ownCurrencyPaths: readonly string[] = []): string[] {
  const exempt = new Set(ownCurrencyPaths.map((path) => `${rootPath}.${path}`));
  const amounts: Array<{ path: string; currency: string }> = [];
  walk(payload, rootPath, (money, path) => {
    if (isCurrencyCode(money.currency) && !exempt.has(path)) amounts.push({ path: `${path}.currency`, currency: money.currency });
  });
  const declared = currencyPath === undefined ? undefined : readPath(payload, currencyPath);
  const reference = isCurrencyCode(declared) ? { path: `${rootPath}.${currencyPath}`, currency: declared } : amounts[0];
  if (reference === undefined) return [];
  return amounts
    .filter((amount) => amount.currency !== reference.currency)
    .map(
      (amount) =>
        `${amount.path}: is "${amount.currency}" but the event is in "${reference.currency}" (${reference.path}); every amount in one event must use that currency`,
    );
}

function walk(value: unknown, path: string, visit: (money: Money, path: string) => void): void {
  if (value instanceof Money) return visit(value, path);
  if (Array.isArray(value)) return value.forEach((item, index) => walk(item, `${path}[${index}]`, visit));
  if (isObject(value)) for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`, visit);
}
