import { stockReport, stockRequest } from '../__fixtures__/events';
import { violationOf } from '../__fixtures__/violations';
import { envelope } from '../envelope';
import { keyFor, topicFor } from '../topics';
import { StoreStockApplied } from './store-stock-applied.v1';

const inStore = { tenantId: 'acme', storeId: 'us-store' };

describe('store-stock.requested v1', () => {
  it('accepts whole quantities and routes to the inventory stream keyed by tenant and store', () => {
    const env = envelope.of(stockRequest(), inStore);

    expect([topicFor(env.type), keyFor(env)]).toEqual(['ledgerline.inventory.store-stock.v1', 'acme:us-store']);
  });

  it('refuses negative and fractional quantities, naming the item', () => {
    const error = violationOf(() => envelope.of(stockRequest([{ sku: 'TS-1', quantity: '-1' }, { sku: 'TS-2', quantity: '1.5' }]), inStore));

    expect(error.problems).toEqual([
      'payload.items[0].quantity: must be a decimal string of zero or more with at most 0 fraction digits, like "12" (got "-1")',
      'payload.items[1].quantity: must be a decimal string of zero or more with at most 0 fraction digits, like "12" (got "1.5")',
    ]);
  });
});

describe('store-stock.applied v1', () => {
  it('accepts a report keyed by tenant and store', () => {
    expect(keyFor(envelope.of(stockReport(), inStore))).toBe('acme:us-store');
  });

  it('refuses an unknown-SKU list that is not a list of strings', () => {
    const error = violationOf(() => envelope.of(new StoreStockApplied({ ...stockReport(), unknownSkus: [42 as unknown as string] }), inStore));

    expect(error.problems).toEqual(['payload.unknownSkus: must be a list of non-empty strings, like ["TS-404"] (got a list of 1)']);
  });
});
