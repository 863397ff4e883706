import { stockLevel } from '../__fixtures__/woocommerce';
import { violationOf } from '../__fixtures__/violations';
import { envelope } from '../envelope';
import { StockLevelChanged } from './stock-level-changed.v1';

const ctx = { tenantId: 'acme', storeId: null };

describe('stock-level.changed v1', () => {
  it('accepts a level read from an ERP warehouse, outside any store', () => {
    expect(envelope.of(new StockLevelChanged(stockLevel()), ctx).type).toBe('stock-level.changed');
  });

  it('accepts a level without reserved quantity and without warehouse', () => {
    const level = { ...stockLevel(), warehouseCode: null };
    delete level.reserved;

    expect(() => envelope.of(new StockLevelChanged(level), ctx)).not.toThrow();
  });

  it('rejects a negative quantity', () => {
    const level = { ...stockLevel(), quantity: '-3' };

    expect(violationOf(() => envelope.of(new StockLevelChanged(level), ctx)).problems).toEqual([
      'payload.quantity: must be a decimal string of zero or more with at most 4 fraction digits, like "12" (got "-3")',
    ]);
  });

  it('rejects a quantity sent as a number', () => {
    const level = { ...stockLevel(), quantity: 12 } as unknown as StockLevelChanged;

    expect(violationOf(() => envelope.of(new StockLevelChanged(level), ctx)).problems).toEqual([
      'payload.quantity: must be a decimal string of zero or more with at most 4 fraction digits, like "12" (got number 12)',
    ]);
  });

  it('rejects an envelope that names a store, because stock levels belong to none', () => {
    expect(violationOf(() => envelope.of(new StockLevelChanged(stockLevel()), { tenantId: 'acme', storeId: 'us-store' })).problems).toEqual([
      'storeId: must be null, because stock-level.changed belongs to no store (got "us-store")',
    ]);
  });
});
