import { parsePhpQuery, phpUrlDecode, rawUrlEncode } from './php-query.parser';

describe('parsePhpQuery', () => {
  it('decodes plus as space and percent escapes as UTF-8', () => {
    expect(parsePhpQuery('search=Jo%C3%A3o+Silva&x=a%2Bb')).toEqual({ search: 'João Silva', x: 'a+b' });
  });

  it('builds lists from key[] and key[n], and keyed arrays from key[name]', () => {
    expect(parsePhpQuery('status[]=processing&status[]=completed&include[0]=5&include[1]=7&meta[color]=red')).toEqual({
      status: ['processing', 'completed'],
      include: ['5', '7'],
      meta: { color: 'red' },
    });
  });

  it('keeps the last value of a repeated plain key, as PHP does', () => {
    expect(parsePhpQuery('page=1&page=3')).toEqual({ page: '3' });
  });

  it('turns dots in names into underscores', () => {
    expect(parsePhpQuery('a.b=1')).toEqual({ a_b: '1' });
  });
});

describe('url coding helpers', () => {
  it('rawurlencodes the characters encodeURIComponent leaves alone', () => {
    expect(rawUrlEncode("a b!*'()~")).toBe('a%20b%21%2A%27%28%29~');
  });

  it('leaves malformed escapes as they are', () => {
    expect(phpUrlDecode('100%zz')).toBe('100%zz');
  });
});
