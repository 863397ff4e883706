import { splitIntoParts } from './request-parts';

describe('splitIntoParts', () => {
  it('splits 2,500 items into parts of at most 1,000 in SKU order', () => {
    const items = Array.from({ length: 2500 }, (_, i) => ({ sku: `SKU-${String(2499 - i).padStart(5, '0')}`, quantity: String(i) }));
    const parts = splitIntoParts(items);
    expect(parts.map((p) => p.length)).toEqual([1000, 1000, 500]);
    expect(parts[0]?.[0]?.sku).toBe('SKU-00000');
    expect(parts[2]?.[499]?.sku).toBe('SKU-02499');
  });

  it('gives no parts for no items and refuses a part size below one', () => {
    expect(splitIntoParts([])).toEqual([]);
    expect(() => splitIntoParts([{ sku: 'A', quantity: '1' }], 0)).toThrow('max must be a positive integer');
  });
});
