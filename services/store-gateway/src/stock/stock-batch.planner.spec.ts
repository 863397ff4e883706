import { minimalBatchCount, planStockBatches, type ResolvedStockItem } from './stock-batch.planner';

const item = (n: number, parentId: number): ResolvedStockItem => ({ sku: `S-${parentId}-${n}`, part: 1, quantity: n, itemId: 1000 + n, parentId });

describe('planStockBatches', () => {
  it('packs products into 100-item products batches and each parent\'s variations into its own batches', () => {
    const items = [...Array.from({ length: 250 }, (_, i) => item(i, 0)), ...Array.from({ length: 100 }, (_, i) => item(i, 7)), ...Array.from({ length: 3 }, (_, i) => item(i, 9))];
    const plan = planStockBatches(items);
    expect(plan.map((b) => [b.parentId, b.items.length])).toEqual([
      [0, 100],
      [0, 100],
      [0, 50],
      [7, 100],
      [9, 3],
    ]);
    expect(plan.flatMap((b) => b.items)).toHaveLength(items.length);
    expect(minimalBatchCount(items)).toBe(plan.length);
  });

  it('needs ⌈N/100⌉ requests when variations come 100 per parent', () => {
    const items = [...Array.from({ length: 800 }, (_, i) => item(i, 0)), ...Array.from({ length: 200 }, (_, i) => item(i, 5 + Math.floor(i / 100)))];
    expect(planStockBatches(items)).toHaveLength(10);
    expect(minimalBatchCount(items)).toBe(10);
  });
});
