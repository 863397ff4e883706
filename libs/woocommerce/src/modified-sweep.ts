import { WooApiError } from './woocommerce.error';

/** One page of a WooCommerce collection and what the paging headers say about the whole. */
export interface WooPage<T> {
  items: T[];
  /** `X-WP-Total`: matching rows in the whole collection (undefined when the header is missing). */
  total?: number;
  /** `X-WP-TotalPages` (undefined when the header is missing). */
  totalPages?: number;
}

/** Options of a sweep over rows changed in a time window. */
export interface WooSweepOptions {
  /** Rows modified strictly after this instant (to the second); omit to start from the beginning. */
  modifiedAfter?: Date;
  /**
   * Rows modified strictly before this instant; default: the start of the current second when the
   * sweep is created. Rows changed while the sweep runs fall at or after it and belong to the next sweep.
   */
  modifiedBefore?: Date;
  /** Page size, 1-100 (default 100; WordPress caps `per_page` at 100). */
  perPage?: number;
  /**
   * How many ids modified in the same second may be excluded by `exclude=` before that second is
   * read by id and offset instead (default 200; keeps URLs well under proxy limits).
   */
  maxExcludeIds?: number;
}

/** How a sweep read the store: by modification cursor (normal), or by id with offsets (stores that refuse `orderby=modified`). */
export type WooSweepMode = 'modified-cursor' | 'id-offset';

/** Rows a sweep can walk: every swept WooCommerce resource has an id and a UTC modification date. */
export interface Sweepable {
  id: number;
  date_modified_gmt: string | null;
}

type FetchPage<T> = (query: Record<string, string>) => Promise<WooPage<T>>;

/**
 * An async iterable over every row of a collection modified in `[modifiedAfter, modifiedBefore)`,
 * each row once (a row that changes again within the window may appear again with its newer
 * `date_modified_gmt`). Iterating twice crawls twice, over the same window.
 *
 * Why not `page=1..X-WP-TotalPages`: when a row on a page already read changes, it moves to the end
 * of a modification-ordered list and every later row shifts one place forward, so the first row of
 * the next page is never seen (NOTES-rest-api.md, "Pagination": "paging by page over a set that
 * changes during the crawl skips/duplicates rows", read 2026-11-26). Instead:
 *
 * 1. The window is closed: `modified_before` is fixed when the sweep is created. Rows only leave it
 *    while it runs (a change moves a row past the upper bound); none enter, except through a
 *    store clock behind ours or a late commit, which the caller's overlap covers (README).
 * 2. Every request asks for the first page of `orderby=modified&order=asc` from a cursor second
 *    (`modified_after` = cursor − 1 s; WordPress compares exclusively and to the second), with the
 *    ids already read in the cursor's own second in `exclude`. A row that leaves cannot shift what
 *    is still unread, and rows sharing a second need no stable tie order (MySQL gives none).
 * 3. If one second holds more rows than fit in `exclude`, or the store refuses `orderby=modified`
 *    (older WooCommerce, a guess in NOTES), that part is read `orderby=id&order=asc` with `offset`;
 *    when `X-WP-Total` shrinks between pages, rows left and the offset steps back by as many, and
 *    rows read twice are skipped by id.
 *
 * In cursor mode rows come in non-decreasing `date_modified_gmt`, so a caller that stops halfway
 * can resume from the last row's `date_modified_gmt` minus one second and drop repeats.
 */
export class WooSweep<T extends Sweepable> implements AsyncIterable<T> {
  /** Exclusive lower bound, if any. */
  readonly modifiedAfter: Date | undefined;
  /** Exclusive upper bound: the next sweep starts at `modifiedBefore − 1 s` (minus the caller's overlap). */
  readonly modifiedBefore: Date;
  /** How the last crawl read the store; undefined before the first page. */
  mode: WooSweepMode | undefined;
  /** HTTP requests (pages) the crawls made. */
  pages = 0;

  private readonly perPage: number;
  private readonly maxExcludeIds: number;

  constructor(
    private readonly fetchPage: FetchPage<T>,
    private readonly filters: Record<string, string>,
    opts: WooSweepOptions = {},
    now: () => number = Date.now,
  ) {
    this.modifiedAfter = opts.modifiedAfter;
    this.modifiedBefore = opts.modifiedBefore ?? new Date(floorSecond(now()));
    this.perPage = opts.perPage ?? 100;
    this.maxExcludeIds = opts.maxExcludeIds ?? 200;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    const before = floorSecond(this.modifiedBefore.getTime());
    // First second still to read, inclusive; null means from the beginning.
    let from: number | null = this.modifiedAfter ? floorSecond(this.modifiedAfter.getTime()) + 1000 : null;
    // Ids already yielded whose modification falls in second `from`.
    let seen = new Set<number>();
    this.mode = undefined;
    for (;;) {
      const query: Record<string, string> = { ...this.filters, ...this.window(from, before), orderby: 'modified', order: 'asc', per_page: String(this.perPage), page: '1' };
      if (seen.size > 0) query['exclude'] = [...seen].join(',');
      let page: WooPage<T>;
      try {
        page = await this.fetch(query);
      } catch (err) {
        if (this.mode === undefined && refusesOrderbyModified(err)) {
          this.mode = 'id-offset';
          yield* this.byIdAndOffset(from, before, new Set());
          return;
        }
        throw err;
      }
      // A store that ignores modified_after/modified_before (WooCommerce before 5.x silently drops
      // unknown parameters) would never move the cursor: read it by id and filter here instead.
      if (page.items.some((row) => !inWindow(modifiedMs(row), from, before))) {
        this.mode = 'id-offset';
        yield* this.byIdAndOffset(from, before, seen);
        return;
      }
      this.mode ??= 'modified-cursor';
      for (const row of page.items) yield row;
      if (page.items.length < this.perPage) return;

      const last = modifiedMs(page.items[page.items.length - 1] as T);
      if (last === from) {
        for (const row of page.items) seen.add(row.id);
        if (seen.size >= this.maxExcludeIds) {
          yield* this.byIdAndOffset(from, from + 1000, seen);
          from += 1000;
          seen = new Set();
        }
      } else {
        from = last;
        seen = new Set(page.items.filter((row) => modifiedMs(row) === last).map((row) => row.id));
      }
    }
  }

  /** Reads `[from, before)` ordered by id, stepping the offset back when rows leave the window. */
  private async *byIdAndOffset(from: number | null, before: number, skip: Set<number>): AsyncGenerator<T> {
    let offset = 0;
    let lastTotal: number | undefined;
    // Ascending ids: anything at or below the highest id yielded was yielded already.
    let highestId = 0;
    for (;;) {
      const page = await this.fetch({ ...this.filters, ...this.window(from, before), orderby: 'id', order: 'asc', per_page: String(this.perPage), offset: String(offset) });
      if (lastTotal !== undefined && page.total !== undefined && page.total < lastTotal) {
        offset = Math.max(0, offset - (lastTotal - page.total));
        lastTotal = page.total;
        continue;
      }
      lastTotal = page.total;
      for (const row of page.items) {
        if (row.id <= highestId) continue;
        highestId = row.id;
        if (skip.has(row.id) || !inWindow(modifiedMs(row), from, before)) continue;
        yield row;
      }
      offset += page.items.length;
      if (page.items.length < this.perPage || (page.total !== undefined && offset >= page.total)) return;
    }
  }

  private window(from: number | null, before: number): Record<string, string> {
    const w: Record<string, string> = { modified_before: formatGmt(before), dates_are_gmt: 'true' };
    if (from !== null) w['modified_after'] = formatGmt(from - 1000);
    return w;
  }

  private fetch(query: Record<string, string>): Promise<WooPage<T>> {
    this.pages++;
    return this.fetchPage(query);
  }
}

/**
 * `YYYY-MM-DDTHH:MM:SS` in UTC, without `Z`, for use with `dates_are_gmt=true`. A value with `Z` or
 * an offset is converted to the site's time zone before WordPress compares it, even against the
 * GMT column (a guess recorded in the sandbox README, WP_Date_Query), so none is sent.
 */
export function formatGmt(ms: number | Date): string {
  return new Date(typeof ms === 'number' ? ms : ms.getTime()).toISOString().slice(0, 19);
}

/** Epoch milliseconds of a `*_gmt` field (UTC without offset). */
export function parseGmt(value: string): number {
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a WooCommerce GMT date-time: ${value}`);
  return ms;
}

function modifiedMs(row: Sweepable): number {
  if (typeof row.date_modified_gmt !== 'string') throw new Error(`row ${row.id} has no date_modified_gmt`);
  return floorSecond(parseGmt(row.date_modified_gmt));
}

function inWindow(ms: number, from: number | null, before: number): boolean {
  return (from === null || ms >= from) && ms < before;
}

function floorSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function refusesOrderbyModified(err: unknown): boolean {
  if (!(err instanceof WooApiError) || err.wooCode !== 'rest_invalid_param') return false;
  const params = err.wooData?.['params'];
  return typeof params === 'object' && params !== null && 'orderby' in params;
}
