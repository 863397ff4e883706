import { echoFingerprint, isOwnStockEcho } from './stock-echo';

const product = { sku: 'TS-1', name: 'Tee', type: 'simple', status: 'publish', price: '10.00', regular_price: '10.00', sale_price: '', tax_class: '', manage_stock: true, stock_quantity: 12 };

describe('isOwnStockEcho', () => {
  const guard = { quantity: 12, fingerprint: echoFingerprint(product, false) };

  it('recognises a delivery that shows exactly the state our write left', () => {
    expect(isOwnStockEcho(product, false, guard, 'base-1', 'base-1')).toBe(true);
  });

  it('lets a hand-made stock change, a rename or a price change through', () => {
    expect(isOwnStockEcho({ ...product, stock_quantity: 7 }, false, guard, 'base-1', 'base-1')).toBe(false);
    expect(isOwnStockEcho({ ...product, name: 'Tee 2' }, false, guard, 'base-1', 'base-2')).toBe(false);
    expect(isOwnStockEcho({ ...product, regular_price: '12.00', price: '12.00' }, false, guard, null, 'base-2')).toBe(false);
  });

  it('lets an edit through that was made before our write and coalesced into its delivery', () => {
    const renamed = { ...product, name: 'Renamed' };
    const guardAfterRename = { quantity: 12, fingerprint: echoFingerprint(renamed, false) };
    expect(isOwnStockEcho(renamed, false, guardAfterRename, 'base-before-rename', 'base-after-rename')).toBe(false);
  });

  it('needs a write of ours', () => {
    expect(isOwnStockEcho(product, false, null, null, 'base-1')).toBe(false);
  });

  it('compares a variation delivered in the product shape with the variations endpoint\'s answer', () => {
    const answer = { sku: 'TS-1-S', status: 'publish', price: '9.00', regular_price: '9.00', sale_price: '', tax_class: '', manage_stock: true, stock_quantity: 3 };
    const webhook = { ...answer, name: 'Tee - S', type: 'variation' };
    expect(isOwnStockEcho(webhook, true, { quantity: 3, fingerprint: echoFingerprint(answer, true) }, null, 'b')).toBe(true);
  });
});
