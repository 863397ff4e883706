import { FortnoxError } from '../errors/fortnox.error';
import { ilike, lastModifiedSince, paginate, singleSearch, sortItems } from './list-query';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as FortnoxError).code;
  }
  return undefined;
};

describe('list-query', () => {
  it('matches like ILIKE \'%value%\': substring, case-insensitive (also å/ä/ö), % and _ as wildcards', () => {
    const m = ilike('woo-1001');
    expect(['woo-1001', 'WOO-1001', 'x-woo-10010', 'woo-100'].map(m)).toEqual([true, true, true, false]);
    expect(ilike('ÅKE')('åke andersson')).toBe(true);
    expect(ilike('a_c')('abc')).toBe(true);
    expect(ilike('a%c')('a-long-c')).toBe(true);
    expect(ilike('a.c')('abc')).toBe(false);
    expect(ilike('x')(null)).toBe(false);
  });

  it('pages with limit and page and says how many pages there are', () => {
    const items = [1, 2, 3, 4, 5];
    expect(paginate(items, { limit: '2', page: '2' })).toEqual({ page: [3, 4], meta: { '@TotalResources': 5, '@TotalPages': 3, '@CurrentPage': 2 } });
    expect(paginate([], {}).meta).toEqual({ '@TotalResources': 0, '@TotalPages': 1, '@CurrentPage': 1 });
    expect(paginate(items, {}).page).toHaveLength(5);
  });

  it('rejects bad paging with 2000588', () => {
    expect(code(() => paginate([], { limit: '501' }))).toBe(2000588);
    expect(code(() => paginate([], { page: '0' }))).toBe(2000588);
    expect(code(() => paginate([], { limit: 'ten' }))).toBe(2000588);
    expect(code(() => paginate([], { offset: '10' }))).toBe(2000588);
  });

  it('allows one resource search besides global parameters, and no unknown parameters', () => {
    expect(singleSearch({ email: 'a', lastmodified: '2026-01-01', limit: '5' }, ['email', 'name'], [])).toEqual({ field: 'email', value: 'a' });
    expect(singleSearch({}, ['email'], [])).toBeUndefined();
    expect(code(() => singleSearch({ email: 'a', name: 'b' }, ['email', 'name'], []))).toBe(2000588);
    expect(code(() => singleSearch({ emial: 'a' }, ['email'], []))).toBe(2000588);
  });

  it('reads lastmodified as Stockholm time', () => {
    expect(lastModifiedSince({ lastmodified: '2026-11-26 10:00' })).toBe(Date.parse('2026-11-26T09:00:00Z'));
    expect(lastModifiedSince({})).toBeUndefined();
    expect(code(() => lastModifiedSince({ lastmodified: 'now' }))).toBe(2000588);
  });

  it('sorts by an allowed key in either order and rejects others', () => {
    const rows = [{ n: 2 }, { n: 10 }, { n: 1 }];
    expect(sortItems(rows, {}, { number: (r) => r.n }).map((r) => r.n)).toEqual([1, 2, 10]);
    expect(sortItems(rows, { sortorder: 'descending' }, { number: (r) => r.n }).map((r) => r.n)).toEqual([10, 2, 1]);
    expect(code(() => sortItems(rows, { sortby: 'total' }, { number: (r) => r.n }))).toBe(2000588);
  });
});
