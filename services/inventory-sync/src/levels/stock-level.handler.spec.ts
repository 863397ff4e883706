import { levelProblem } from './stock-level.handler';

const base = { tenantId: 'acme', sku: 'TS-1', warehouseCode: 'MAIN', erp: 'fortnox' };

describe('levelProblem', () => {
  it('accepts zero and fractional quantities', () => {
    expect(levelProblem({ ...base, quantity: '0' })).toBeNull();
    expect(levelProblem({ ...base, quantity: '12.5', reserved: '2' })).toBeNull();
  });

  it('refuses a negative quantity, naming the SKU, the warehouse and the value', () => {
    expect(levelProblem({ ...base, quantity: '-3' })).toMatch(/^The ERP stock level for SKU "TS-1" in warehouse "MAIN" \(tenant "acme", ERP fortnox\) was refused: quantity "-3" is not a number of zero or more\./);
  });

  it('refuses a non-numeric reserved figure', () => {
    expect(levelProblem({ ...base, warehouseCode: null, quantity: '4', reserved: 'n/a' })).toContain('SKU "TS-1" (tenant "acme", ERP fortnox) was refused: reserved "n/a"');
  });
});
