import { formatGmt, WooSweep, type WooPage } from './modified-sweep';
import { WooApiError } from './woocommerce.error';

interface Row {
  id: number;
  date_modified_gmt: string;
}

const T0 = Date.parse('2026-11-01T10:00:00Z');
const at = (second: number): string => formatGmt(T0 + second * 1000);

/**
 * An in-memory stand-in for a WooCommerce collection with WordPress's list semantics: exclusive
 * date bounds to the second, `exclude`, `page`/`offset`/`per_page`, totals, and ties in
 * modification order returned in a different order on every query (MySQL guarantees none).
 */
class FakeCollection {
  rows = new Map<number, Row>();
  queries: Array<Record<string, string>> = [];
  refuseOrderbyModified = false;
  ignoreDateFilters = false;
  /** Runs before the n-th query (1-based) is answered: lets a test change rows mid-crawl. */
  beforeQuery: (n: number) => void = () => undefined;
  private shuffleSeed = 7;

  add(id: number, second: number): void {
    this.rows.set(id, { id, date_modified_gmt: at(second) });
  }

  touch(id: number, second: number): void {
    this.add(id, second);
  }

  fetchPage = async (query: Record<string, string>): Promise<WooPage<Row>> => {
    this.queries.push(query);
    this.beforeQuery(this.queries.length);
    if (this.refuseOrderbyModified && query['orderby'] === 'modified') {
      throw new WooApiError('WOO_REQUEST_INVALID', 'permanent', 'refused', { status: 400, wooCode: 'rest_invalid_param', wooData: { status: 400, params: { orderby: 'orderby is not one of date, id, include, title, slug.' } } });
    }
    const sec = (v: string | undefined) => (v === undefined ? undefined : Date.parse(`${v}Z`));
    const after = this.ignoreDateFilters ? undefined : sec(query['modified_after']);
    const before = this.ignoreDateFilters ? undefined : sec(query['modified_before']);
    const exclude = new Set((query['exclude'] ?? '').split(',').filter(Boolean).map(Number));
    const matches = [...this.rows.values()].filter((r) => {
      const m = Date.parse(`${r.date_modified_gmt}Z`);
      return (after === undefined || m > after) && (before === undefined || m < before) && !exclude.has(r.id);
    });
    const tie = () => (this.shuffleSeed = (this.shuffleSeed * 48271) % 2147483647);
    const keyed = matches.map((r) => ({ r, k: tie() }));
    keyed.sort((a, b) => (query['orderby'] === 'id' ? a.r.id - b.r.id : a.r.date_modified_gmt.localeCompare(b.r.date_modified_gmt) || a.k - b.k));
    const perPage = Number(query['per_page']);
    const offset = query['offset'] !== undefined ? Number(query['offset']) : (Number(query['page'] ?? '1') - 1) * perPage;
    return { items: keyed.slice(offset, offset + perPage).map((x) => ({ ...x.r })), total: matches.length, totalPages: Math.ceil(matches.length / perPage) };
  };
}

async function collect(sweep: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of sweep) out.push(row);
  return out;
}

const ids = (rows: Row[]) => rows.map((r) => r.id);
const window = { modifiedAfter: new Date(T0 + 9_500), modifiedBefore: new Date(T0 + 1000_000) };

describe('WooSweep', () => {
  it('yields every row modified inside the window once, oldest change first, across pages', async () => {
    const store = new FakeCollection();
    for (let i = 1; i <= 45; i++) store.add(i, i); // seconds 1..45; the window keeps 10..45
    store.add(100, 1000); // at the exclusive upper bound
    const sweep = new WooSweep<Row>(store.fetchPage, { status: 'any' }, { ...window, perPage: 10 });

    const rows = await collect(sweep);

    expect(ids(rows)).toEqual(Array.from({ length: 36 }, (_, i) => i + 10));
    expect(sweep.mode).toBe('modified-cursor');
    expect(store.queries[0]).toEqual({
      status: 'any',
      modified_after: '2026-11-01T10:00:09',
      modified_before: '2026-11-01T10:16:40',
      dates_are_gmt: 'true',
      orderby: 'modified',
      order: 'asc',
      per_page: '10',
      page: '1',
    });
    // each query restarts at the last second read, never at page 2
    expect(store.queries.map((q) => [q['modified_after'], q['page'], q['exclude']])).toEqual([
      ['2026-11-01T10:00:09', '1', undefined],
      ['2026-11-01T10:00:18', '1', '19'],
      ['2026-11-01T10:00:28', '1', '29'],
      ['2026-11-01T10:00:38', '1', '39'],
    ]);
  });

  it('skips no row when rows already read change during the crawl, where page numbers would', async () => {
    const build = () => {
      const store = new FakeCollection();
      for (let i = 1; i <= 30; i++) store.add(i, 10 + i);
      // After the first page is read, three of its rows change: they move to "now", past the window.
      store.beforeQuery = (n) => {
        if (n === 2) for (const id of [2, 4, 6]) store.touch(id, 5000);
      };
      return store;
    };

    const pageCrawl = build();
    const seenByPages: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await pageCrawl.fetchPage({ modified_after: at(0), modified_before: at(1000), orderby: 'modified', order: 'asc', per_page: '10', page: String(page) });
      seenByPages.push(...ids(res.items));
    }
    expect(new Set(seenByPages).size).toBeLessThan(30); // the hazard is real in this scenario

    const store = build();
    const rows = await collect(new WooSweep<Row>(store.fetchPage, {}, { modifiedAfter: new Date(T0), modifiedBefore: new Date(T0 + 1000_000), perPage: 10 }));
    expect(ids(rows).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('reads more rows than a page in one second although ties come back in a different order each time', async () => {
    const store = new FakeCollection();
    for (let i = 1; i <= 45; i++) store.add(i, 20);
    store.add(46, 21);
    const rows = await collect(new WooSweep<Row>(store.fetchPage, {}, { ...window, perPage: 10 }));
    expect(ids(rows).sort((a, b) => a - b)).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
    expect(rows[45]?.id).toBe(46);
  });

  it('reads a second by id and offset once its ids would make the exclude list too long', async () => {
    const store = new FakeCollection();
    for (let i = 1; i <= 75; i++) store.add(i, 20);
    for (let i = 76; i <= 80; i++) store.add(i, 30);
    const sweep = new WooSweep<Row>(store.fetchPage, {}, { ...window, perPage: 10, maxExcludeIds: 20 });

    const rows = await collect(sweep);

    expect(ids(rows).sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(Math.max(...store.queries.map((q) => (q['exclude'] ?? '').split(',').filter(Boolean).length))).toBeLessThanOrEqual(20);
    const drain = store.queries.find((q) => q['orderby'] === 'id');
    expect(drain).toMatchObject({ modified_after: at(19), modified_before: at(21), order: 'asc' });
  });

  it('falls back to id order with offsets when the store refuses orderby=modified, stepping back when rows leave', async () => {
    const store = new FakeCollection();
    store.refuseOrderbyModified = true;
    for (let i = 1; i <= 35; i++) store.add(i, 10 + i);
    store.beforeQuery = (n) => {
      // query 1 is refused; after two id pages, four rows already read change and leave the window
      if (n === 4) for (const id of [1, 3, 5, 7]) store.touch(id, 5000);
    };
    const sweep = new WooSweep<Row>(store.fetchPage, {}, { modifiedAfter: new Date(T0), modifiedBefore: new Date(T0 + 1000_000), perPage: 10 });

    const rows = await collect(sweep);

    expect(sweep.mode).toBe('id-offset');
    expect(ids(rows)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(store.queries.slice(1).map((q) => q['offset'])).toEqual(['0', '10', '20', '16', '26']);
  });

  it('filters by date itself when the store ignores modified_after and modified_before', async () => {
    const store = new FakeCollection();
    store.ignoreDateFilters = true;
    for (let i = 1; i <= 25; i++) store.add(i, i);
    store.add(26, 2000);
    const sweep = new WooSweep<Row>(store.fetchPage, {}, { ...window, perPage: 10 });

    const rows = await collect(sweep);

    expect(sweep.mode).toBe('id-offset');
    expect(ids(rows)).toEqual(Array.from({ length: 16 }, (_, i) => i + 10));
  });

  it('closes the window at the current second when no upper bound is given', () => {
    const sweep = new WooSweep<Row>(async () => ({ items: [] }), {}, {}, () => Date.parse('2026-11-26T16:00:05.750Z'));
    expect(sweep.modifiedBefore.toISOString()).toBe('2026-11-26T16:00:05.000Z');
  });
});
