import { product794, variation732 } from '../__fixtures__/woocommerce';
import { violationOf } from '../__fixtures__/violations';
import { envelope } from '../envelope';
import { ProductUpserted } from './product-upserted.v1';

const ctx = { tenantId: 'acme', storeId: 'us-store' };

describe('product.upserted v1', () => {
  it('accepts simple product 794 without SKU and not on sale', () => {
    expect(envelope.of(new ProductUpserted(product794()), ctx).type).toBe('product.upserted');
  });

  it('accepts variation 732 under its parent product 22', () => {
    expect(() => envelope.of(new ProductUpserted(variation732()), ctx)).not.toThrow();
  });

  it('rejects a variation without variation id', () => {
    const product = { ...variation732(), variationId: null };

    expect(violationOf(() => envelope.of(new ProductUpserted(product), ctx)).problems).toEqual([
      'payload.variationId: must be the variation\'s id (a non-empty string) when type is "variation", and null otherwise (got null)',
    ]);
  });

  it('rejects product types this version does not carry', () => {
    const product = { ...product794(), type: 'grouped' } as unknown as ProductUpserted;

    expect(violationOf(() => envelope.of(new ProductUpserted(product), ctx)).problems).toEqual([
      'payload.type: must be one of "simple", "variable", "variation" (got "grouped")',
    ]);
  });

  it('rejects a sale price in another currency than the product', () => {
    const product = { ...product794(), salePrice: { amount: '19.99', currency: 'EUR' } };

    expect(violationOf(() => envelope.of(new ProductUpserted(product), ctx)).problems).toEqual([
      'payload.salePrice.currency: is "EUR" but the event is in "USD" (payload.currency); every amount in one event must use that currency',
    ]);
  });
});
