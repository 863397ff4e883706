import type { SiteClock } from '../store/site-clock';
import { rawUrlEncode, type PhpValue } from '../wp/php-query.parser';

/** One page of a collection and what the paging headers say about the whole. */
export interface Page<T> {
  items: T[];
  total: number;
  totalPages: number;
  page: number;
}

/**
 * Cuts one page out of the sorted matches like `WP_Query` with `posts_per_page`, `paged` and
 * `offset` (an offset replaces the page's own offset; totals always count every match).
 */
export function paginate<T>(all: T[], params: Record<string, unknown>): Page<T> {
  const perPage = params['per_page'] as number;
  const page = params['page'] as number;
  const offset = typeof params['offset'] === 'number' ? (params['offset'] as number) : (page - 1) * perPage;
  return { items: all.slice(offset, offset + perPage), total: all.length, totalPages: Math.ceil(all.length / perPage), page };
}

/**
 * `X-WP-Total`, `X-WP-TotalPages` and the `Link` header (`rel="prev"` / `rel="next"`, one header
 * line each) as WooCommerce's CRUD controllers set them: the request's own query parameters are
 * kept, `page` replaced. Values are URL-encoded here; WordPress's `add_query_arg` leaves them raw.
 */
export function pagingHeaders(siteUrl: string, routePath: string, query: Record<string, PhpValue>, page: Page<unknown>): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { 'X-WP-Total': String(page.total), 'X-WP-TotalPages': String(page.totalPages) };
  const linkTo = (n: number): string => {
    const q = { ...query, page: String(n) };
    return `${siteUrl}/wp-json/wc/v3/${routePath}?${buildQuery(q)}`;
  };
  const links: string[] = [];
  if (page.page > 1) links.push(`<${linkTo(Math.min(page.page - 1, Math.max(page.totalPages, 1)))}>; rel="prev"`);
  if (page.totalPages > page.page) links.push(`<${linkTo(page.page + 1)}>; rel="next"`);
  if (links.length > 0) headers['Link'] = links;
  return headers;
}

function buildQuery(q: Record<string, PhpValue>): string {
  const parts: string[] = [];
  const walk = (key: string, v: PhpValue): void => {
    if (typeof v === 'string') parts.push(`${key}=${rawUrlEncode(v)}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(`${key}[${i}]`, x));
    else for (const [k, x] of Object.entries(v)) walk(`${key}[${k}]`, x);
  };
  for (const [k, v] of Object.entries(q)) walk(k, v);
  return parts.join('&');
}

/**
 * Returns a predicate for `after`/`before` (creation) and `modified_after`/`modified_before`,
 * each exclusive (WP_Date_Query's default), against the GMT columns when `dates_are_gmt` is true
 * and the site-local columns otherwise, to the second.
 */
export function dateFilter(params: Record<string, unknown>, clock: SiteClock): (created: Date, modified: Date) => boolean {
  const gmt = params['dates_are_gmt'] === true;
  const bound = (name: string): number | null => (typeof params[name] === 'string' ? clock.filterWallTime(params[name] as string) : null);
  const after = bound('after');
  const before = bound('before');
  const modifiedAfter = bound('modified_after');
  const modifiedBefore = bound('modified_before');
  if (after === null && before === null && modifiedAfter === null && modifiedBefore === null) return () => true;
  return (created, modified) => {
    const c = clock.columnWallTime(created, gmt);
    const m = clock.columnWallTime(modified, gmt);
    return (after === null || c > after) && (before === null || c < before) && (modifiedAfter === null || m > modifiedAfter) && (modifiedBefore === null || m < modifiedBefore);
  };
}

/** Sorts records for `orderby`/`order`, breaking ties by id in the same direction (MySQL leaves ties unordered). */
export function sortRecords<T extends { id: number }>(items: T[], key: (item: T) => number | string, order: unknown, include?: number[]): T[] {
  const dir = order === 'asc' ? 1 : -1;
  if (include) {
    const pos = new Map(include.map((id, i) => [id, i]));
    return [...items].sort((a, b) => (pos.get(a.id) ?? 0) - (pos.get(b.id) ?? 0));
  }
  // Keys computed once per item, not per comparison: a catalogue crawl sorts every product for every page.
  const keyed = items.map((item) => ({ item, k: key(item) }));
  keyed.sort((a, b) => {
    if (a.k < b.k) return -dir;
    if (a.k > b.k) return dir;
    return (a.item.id - b.item.id) * dir;
  });
  return keyed.map((e) => e.item);
}
