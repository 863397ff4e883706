import { RELEASED_STATUSES, unitsBySku } from './order-lines';

describe('unitsBySku', () => {
  it('adds up the lines of one SKU and counts the lines without a SKU apart', () => {
    const result = unitsBySku([
      { sku: 'MUG', quantity: '2' },
      { sku: 'CAP', quantity: '1' },
      { sku: 'MUG', quantity: '1.5' },
      { sku: null, quantity: '4' },
      { sku: '  ', quantity: '1' },
    ]);
    expect([...result.units]).toEqual([
      ['MUG', '3.5'],
      ['CAP', '1'],
    ]);
    expect(result.linesWithoutSku).toBe(2);
  });

  it('treats cancelled, refunded and failed orders as releasing their units, processing and on-hold as holding them', () => {
    expect(['cancelled', 'refunded', 'failed'].every((s) => RELEASED_STATUSES.has(s))).toBe(true);
    expect(['processing', 'on-hold', 'pending', 'completed'].some((s) => RELEASED_STATUSES.has(s))).toBe(false);
  });
});
