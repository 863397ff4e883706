import { fortnoxErrors } from '../errors/fortnox.error';
import { parseStockholmDateTime } from './stockholm-time';

/** A query string as Express hands it over: repeated keys become arrays. */
export type Query = Record<string, unknown>;

/** The first value of a query parameter, or undefined. */
export function queryValue(query: Query, name: string): string | undefined {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value : undefined;
}

/** Fortnox's `MetaInformation` block of a list response. */
export interface MetaInformation {
  '@TotalResources': number;
  '@TotalPages': number;
  '@CurrentPage': number;
}

/**
 * Fortnox pages lists with `limit` and `page` (from 1); the OpenAPI declares neither per path
 * (SOURCE.md). Guessed from memory of Fortnox's docs, not from the stored files: default 100, at most
 * 500. `offset` is not supported by the sandbox and fails as an invalid parameter.
 */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

/** One page of `items` and its MetaInformation; a bad limit or page is 2000588. */
export function paginate<T>(items: readonly T[], query: Query): { page: T[]; meta: MetaInformation } {
  const limit = positiveInt(query, 'limit', DEFAULT_LIMIT);
  if (limit > MAX_LIMIT) throw fortnoxErrors.invalidParameter(`limit ${limit} > ${MAX_LIMIT}`);
  const page = positiveInt(query, 'page', 1);
  if (queryValue(query, 'offset') !== undefined) throw fortnoxErrors.invalidParameter('offset is not supported by the sandbox; use page');
  const totalPages = Math.max(1, Math.ceil(items.length / limit));
  return {
    page: items.slice((page - 1) * limit, page * limit),
    meta: { '@TotalResources': items.length, '@TotalPages': totalPages, '@CurrentPage': page },
  };
}

function positiveInt(query: Query, name: string, fallback: number): number {
  const raw = queryValue(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw fortnoxErrors.invalidParameter(`${name}=${raw}`);
  return Number(raw);
}

/**
 * A predicate for Fortnox's search: `WHERE field ILIKE '%value%'` (parameters page, seen 2026-11), so a
 * search matches anywhere in the value, ignoring case. `%` and `_` in the value keep their LIKE meaning
 * (any run / any one character): the page shows the value pasted into the pattern, and we do not
 * assume Fortnox escapes it. A client must therefore compare the hits to what it searched for.
 */
export function ilike(value: string): (candidate: unknown) => boolean {
  const pattern = [...value]
    .map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(pattern, 'isu');
  return (candidate) => candidate !== undefined && candidate !== null && re.test(String(candidate));
}

/**
 * The instant of a `lastmodified` parameter ("Retrieves all records since the provided timestamp",
 * e.g. `2019-03-10 12:30`), read as Swedish local time; 2000588 when it is not a timestamp.
 */
export function lastModifiedSince(query: Query): number | undefined {
  const raw = queryValue(query, 'lastmodified');
  if (raw === undefined || raw === '') return undefined;
  const at = parseStockholmDateTime(raw);
  if (at === undefined) throw fortnoxErrors.invalidParameter(`lastmodified=${raw}`);
  return at;
}

/**
 * The one resource search of a list request: Fortnox allows "only one resource specific filter at a
 * time" besides global parameters such as lastmodified (parameters page, seen 2026-11). What Fortnox
 * does with two is not documented; the sandbox rejects them with 2000588 so a client never relies on
 * an AND it may not get.
 */
export function singleSearch(query: Query, searchable: readonly string[], global: readonly string[]): { field: string; value: string } | undefined {
  const known = new Set([...searchable, ...global, 'limit', 'page', 'offset', 'lastmodified', 'sortby', 'sortorder', 'filter']);
  for (const name of Object.keys(query)) {
    if (!known.has(name)) throw fortnoxErrors.invalidParameter(`unknown parameter ${name}`);
  }
  const given = searchable.filter((name) => queryValue(query, name) !== undefined);
  if (given.length > 1) throw fortnoxErrors.invalidParameter(`only one search parameter at a time, got ${given.join(', ')}`);
  return given.length === 1 ? { field: given[0], value: queryValue(query, given[0]) as string } : undefined;
}

/** Sorts by `sortby` (one of `allowed`) and `sortorder` (ascending|descending); default the first allowed. */
export function sortItems<T>(items: T[], query: Query, allowed: Record<string, (item: T) => string | number>): T[] {
  const names = Object.keys(allowed);
  const by = queryValue(query, 'sortby') ?? names[0];
  const key = allowed[by];
  if (!key) throw fortnoxErrors.invalidParameter(`sortby=${by}`);
  const order = queryValue(query, 'sortorder') ?? 'ascending';
  if (order !== 'ascending' && order !== 'descending') throw fortnoxErrors.invalidParameter(`sortorder=${order}`);
  const sign = order === 'ascending' ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    return String(x).localeCompare(String(y), 'sv', { numeric: true }) * sign;
  });
}
