import type { WooOrder } from '@ledgerline/woocommerce';
import { dryRunOrder } from './dry-run.mapper';
import { EMPTY_MAPPINGS, mappingProblems, type ErpMappings } from './mapping';

// The fields of a WooCommerce order the dry run reads (shapes from ../shared/contracts/woocommerce).
function order(over: Partial<WooOrder> = {}): WooOrder {
  return {
    id: 1042,
    number: '1042',
    currency: 'SEK',
    total: '237.00',
    payment_method: 'stripe',
    date_created_gmt: '2026-11-20T10:00:00',
    billing: { country: 'SE', email: 'eva@example.se' },
    meta_data: [],
    tax_lines: [
      { id: 1, rate_id: 1, rate_code: 'SE-MOMS-1', rate_percent: 25 },
      { id: 2, rate_id: 2, rate_code: 'SE-MOMS-2', rate_percent: 12 },
    ],
    line_items: [
      { id: 10, name: 'Mug', quantity: 2, total: '100.00', taxes: [{ id: 1, total: '25.00', subtotal: '25.00' }] },
      { id: 11, name: 'Book', quantity: 1, total: '80.00', taxes: [{ id: 2, total: '9.60', subtotal: '9.60' }] },
    ],
    shipping_lines: [{ id: 20, method_id: 'flat_rate', method_title: 'Flat rate', total: '39.00', taxes: [{ id: 1, total: '9.75', subtotal: '' }] }],
    fee_lines: [],
    ...over,
  } as unknown as WooOrder;
}

const mappings = (over: Partial<ErpMappings> = {}): ErpMappings => ({
  ...structuredClone(EMPTY_MAPPINGS),
  taxCodes: { 'SE:25': { vat: 25, account: 3001 } },
  paymentMethods: { stripe: { modeOfPayment: 'KORT' } },
  ...over,
});
const ctx = { tenantId: 'acme', storeId: 'nordic-shop', erp: 'Fortnox' };

describe('dryRunOrder', () => {
  it('names the missing tax rate the way the console shows it, with the operator message the connector would park with', () => {
    const r = dryRunOrder(order(), mappings(), ctx);
    expect(r.outcome).toBe('would-park');
    expect(r.missing).toEqual([
      {
        kind: 'tax-code',
        section: 'taxCodes',
        key: 'SE:12',
        code: 'MAPPING_TAX_CODE_MISSING',
        hint: 'tax rate SE 12% has no VAT code and sales account: map it under Mappings → Tax codes',
        operatorMessage:
          'Cannot build the Fortnox invoice for order #1042 (store "nordic-shop", tenant "acme"): tax rate SE 12% has no Fortnox tax code in the mapping of tenant "acme". Add it under Mappings → Tax codes, then replay.',
      },
    ]);
    expect(r.document.rows.map((row) => [row.description, row.vat, row.account, row.mappedBy])).toEqual([
      ['Mug', 25, 3001, 'taxCodes["SE:25"]'],
      ['Book', null, null, null],
      ['Flat rate', 25, 3001, 'taxCodes["SE:25"]'],
    ]);
  });

  it('books shipping on its method mapping and fees on the fee mapping, and would create once every key is mapped', () => {
    const r = dryRunOrder(
      order({ fee_lines: [{ id: 30, name: 'Invoice fee', total: '18.00', tax_status: 'taxable', taxes: [{ id: 1, total: '4.50', subtotal: '' }] }] as WooOrder['fee_lines'] }),
      mappings({ taxCodes: { 'SE:25': { vat: 25, account: 3001 }, 'SE:12': { vat: 12, account: 3002 } }, shippingMethods: { flat_rate: { account: 3520, articleNumber: 'FRAKT' } }, fees: { default: { account: 3990 } } }),
      ctx,
    );
    expect(r.outcome).toBe('would-create');
    expect(r.document.rows.slice(2)).toEqual([
      { description: 'Flat rate', quantity: '1', amount: '39.00', vat: 25, account: 3520, articleNumber: 'FRAKT', mappedBy: 'shippingMethods["flat_rate"]' },
      { description: 'Invoice fee', quantity: '1', amount: '18.00', vat: 25, account: 3990, mappedBy: 'fees["default"]' },
    ]);
    expect(r.document.paymentMode).toBe('KORT');
  });

  it('asks for the reverse-charge mapping of an untaxed EU business order and the currency rate of a foreign currency', () => {
    const r = dryRunOrder(
      order({ currency: 'EUR', billing: { country: 'DE', email: 'b2b@example.de' } as WooOrder['billing'], meta_data: [{ key: '_billing_vat_number', value: 'DE123456789' }], tax_lines: [], line_items: [{ id: 10, name: 'Mug', quantity: 1, total: '10.00', taxes: [] }] as unknown as WooOrder['line_items'], shipping_lines: [] }),
      mappings(),
      ctx,
    );
    expect(r.document.vatType).toBe('EUREVERSEDVAT');
    expect(r.missing.map((m) => m.hint)).toEqual([
      'EU reverse charge (customer with a VAT number, no VAT) has no VAT code and sales account: map it under Mappings → Tax codes',
      'currency EUR (rate to SEK) has no rate to SEK: map it under Mappings → Currencies',
    ]);
  });
});

describe('mappingProblems', () => {
  it('accepts a valid mapping and names each field of an invalid one', () => {
    expect(mappingProblems({ taxCodes: { 'SE:25': { vat: 25, account: 3001 }, 'DE:19': { vat: 19, account: 3108, vatAccount: 2616 } }, fees: { default: { account: 3990 } } })).toEqual([]);
    expect(mappingProblems({ taxCodes: { 'SE:25': { vat: 12, account: 3001 } }, currencies: { SEK: { rate: 1 } } })).toEqual([
      { field: 'taxCodes["SE:25"].vat', problem: 'must be 25, the rate of the WooCommerce tax rate it maps' },
      { field: 'currencies["SEK"]', problem: 'key must be an ISO 4217 code other than SEK, like "EUR"' },
    ]);
  });
});
