import { customer25 } from '../__fixtures__/woocommerce';
import { violationOf } from '../__fixtures__/violations';
import { envelope } from '../envelope';
import { CustomerUpserted } from './customer-upserted.v1';

describe('customer.upserted v1', () => {
  it('accepts customer 25 of a store', () => {
    expect(envelope.of(new CustomerUpserted(customer25()), { tenantId: 'acme', storeId: 'us-store' }).type).toBe('customer.upserted');
  });

  it('accepts an ERP customer with organisation and VAT number, outside any store', () => {
    const customer = {
      ...customer25(),
      customerRef: { tenantId: 'acme', sourceSystem: 'erp' as const, storeId: null, erpConnectionId: 'fortnox-1', customerId: '1042' },
      company: 'Acme Retail AB',
      orgNumber: '556677-8899',
      vatNumber: 'SE556677889901',
    };

    expect(() => envelope.of(new CustomerUpserted(customer), { tenantId: 'acme', storeId: null })).not.toThrow();
  });

  it('rejects an ERP customer without its ERP connection', () => {
    const customer = { ...customer25(), customerRef: { ...customer25().customerRef, sourceSystem: 'erp' as const } };

    const error = violationOf(() => envelope.of(new CustomerUpserted(customer), { tenantId: 'acme', storeId: 'us-store' }));

    expect(error.problems).toEqual([
      'payload.customerRef.storeId: must be the store\'s id (a non-empty string) when sourceSystem is "woocommerce", and null when it is "erp" (got "us-store")',
      'payload.customerRef.erpConnectionId: must be the ERP connection id (a non-empty string) when sourceSystem is "erp", and null when it is "woocommerce" (got null)',
    ]);
  });

  it('rejects a customer without email', () => {
    const customer = { ...customer25(), email: '' };

    const error = violationOf(() => envelope.of(new CustomerUpserted(customer), { tenantId: 'acme', storeId: 'us-store' }));

    expect(error.problems).toEqual(['payload.email: must be an email address, like "jane@example.com" (got "")']);
  });
});
