import { parseStoreSettings } from './store-settings';

describe('parseStoreSettings', () => {
  it('accepts warehouses with null for the ERP single figure, a default buffer and per-SKU buffers', () => {
    expect(parseStoreSettings('acme', 'se', { warehouses: ['MAIN', null], safetyBuffer: '2', skuBuffers: { 'TS-1': '5' } })).toEqual({
      settings: { tenantId: 'acme', storeId: 'se', warehouses: ['MAIN', null], safetyBuffer: '2', skuBuffers: { 'TS-1': '5' } },
    });
  });

  it('defaults the buffers to none', () => {
    expect(parseStoreSettings('acme', 'se', { warehouses: [null] })).toEqual({ settings: { tenantId: 'acme', storeId: 'se', warehouses: [null], safetyBuffer: '0', skuBuffers: {} } });
  });

  it('lists every problem, naming the field and the value', () => {
    expect(parseStoreSettings('acme', 'se', { warehouses: [], safetyBuffer: '-1', skuBuffers: { 'TS-1': 'many' }, colour: 'red' })).toEqual({
      problems: [
        'colour: is not a store setting; send warehouses, safetyBuffer and skuBuffers',
        'warehouses: must be a non-empty list of ERP warehouse codes, with null for an ERP that keeps one stock figure, like ["MAIN", "B2"] or [null]',
        'safetyBuffer: must be a decimal string of zero or more, like "2" (got "-1")',
        'skuBuffers["TS-1"]: must be a decimal string of zero or more, like "5" (got "many")',
      ],
    });
  });
});
