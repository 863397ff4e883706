import { exampleOrder, type CanonicalOrder } from '@ledgerline/contracts';
import { mappingProblems } from '../mappings/mappings.controller';
import type { TenantMappings } from '../persistence/store.repository';
import { externalRefOf, toCreditInvoice, toCustomer, toFullCredit, toInvoice } from './invoice.mapper';

const mappings = (): TenantMappings => ({
  taxCodes: { 'SE:25': { vat: 25, account: 3001 }, 'SE:0': { vat: 0, account: 3004 } },
  paymentMethods: { stripe: { modeOfPayment: 'KORT', termsOfPayment: '0' } },
  shippingMethods: { flat_rate: { account: 3105 } },
});
const ref = { tenantId: 'acme', storeId: 'nordic-shop', orderId: '1234', orderNumber: '1234' };
const ctx = { tenantId: 'acme', where: { tenantId: 'acme', storeId: 'nordic-shop', orderRef: '1234', erp: 'Fortnox', documentKind: 'invoice' } };
const sek = (amount: string) => ({ amount, currency: 'SEK' });

describe('toInvoice', () => {
  it('maps exampleOrder to gross rows with VAT and accounts from the mapping, shipping on its own account, terms from the payment method', () => {
    const mapped = toInvoice(exampleOrder(ref), mappings(), ctx, externalRefOf(ref));
    expect(mapped.invoice).toEqual({ ExternalInvoiceReference1: 'LL|acme|nordic-shop|1234', YourOrderNumber: '1234', Currency: 'SEK', VATIncluded: true, TermsOfPayment: '0' });
    expect(mapped.rows).toEqual([
      { sku: 'MUG-BLUE', row: { Description: 'Blue mug', Price: 100, DeliveredQuantity: 2, VAT: 25, AccountNumber: 3001 } },
      { sku: null, row: { Description: 'Postnord', Price: 49, DeliveredQuantity: 1, VAT: 25, AccountNumber: 3105 } },
    ]);
    expect(mapped.expected).toEqual({ net: '199.20', vatByRate: { '25': '49.80' }, total: '249.00', storeTotal: '249.00', tolerance: '0.02' });
  });

  it('reflects a coupon as an AMOUNT discount on the row, so the row total is the store line total to the cent', () => {
    const order = exampleOrder(ref);
    // 3 mugs at 33.33 gross each before a coupon; after it, 90.00 gross.
    Object.assign(order.lines[0] as object, { quantity: '3', subtotal: sek('80.00'), subtotalTax: sek('20.00'), total: sek('72.00'), totalTax: sek('18.00') });
    order.totals = { ...order.totals, total: sek('139.00') };
    const row = toInvoice(order, mappings(), ctx, 'ref').rows[0]?.row;
    // ceil(100.00 / 3) = 33.34; 3 × 33.34 − 90.00 = 10.02 discount.
    expect(row).toMatchObject({ Price: 33.34, DeliveredQuantity: 3, Discount: 10.02, DiscountType: 'AMOUNT' });
  });

  it('parks an order whose tax rate has no mapping, naming the order, the rate and the screen', () => {
    const m = mappings();
    delete m.taxCodes['SE:25'];
    expect(() => toInvoice(exampleOrder(ref), m, ctx, 'ref')).toThrow(
      expect.objectContaining({
        code: 'MAPPING_TAX_CODE_MISSING',
        kind: 'permanent',
        operatorMessage:
          'Cannot build the Fortnox invoice for order #1234 (store "nordic-shop", tenant "acme"): tax rate SE 25% has no Fortnox tax code in the mapping of tenant "acme". Add it under Mappings → Tax codes, then replay.',
      }),
    );
  });

  it('parks an order whose payment method has no mode of payment', () => {
    const m = mappings();
    m.paymentMethods = {};
    expect(() => toInvoice(exampleOrder(ref), m, ctx, 'ref')).toThrow(expect.objectContaining({ code: 'MAPPING_PAYMENT_METHOD_MISSING' }));
  });

  it('refuses an order whose rows do not add up to the store total (beyond rounding) before anything is sent', () => {
    const order: CanonicalOrder = exampleOrder(ref);
    order.totals = { ...order.totals, total: sek('259.00') };
    expect(() => toInvoice(order, mappings(), ctx, 'ref')).toThrow(expect.objectContaining({ code: 'FORTNOX_INVOICE_TOTAL_MISMATCH', kind: 'permanent' }));
  });
});

describe('toInvoice: rounding, EU and export', () => {
  it('books an öre difference between Fortnox\'s per-rate VAT and the store\'s per-line VAT as a rounding row on 3740', () => {
    const order = exampleOrder(ref);
    order.pricesIncludeTax = false;
    // 3 lines of 10.02 net at 25 %: the store rounds VAT per line, 2.51 × 3 = 7.53 (total 37.59); Fortnox per rate,
    // 30.06 × 25 % = 7.515 → 7.52 (37.58), one öre short: the rounding row adds it. Fortnox's VAT stays 7.52.
    order.lines = [1, 2, 3].map((n) => ({ ...(order.lines[0] as CanonicalOrder['lines'][number]), lineId: String(n), quantity: '1', subtotal: sek('10.02'), subtotalTax: sek('2.51'), total: sek('10.02'), totalTax: sek('2.51') }));
    order.shippingLines = [];
    order.totals = { ...order.totals, shipping: sek('0.00'), shippingTax: sek('0.00'), totalTax: sek('7.53'), total: sek('37.59') };
    const mapped = toInvoice(order, mappings(), ctx, 'ref');
    expect(mapped.rows.at(-1)?.row).toEqual({ Description: 'Öresutjämning', Price: 0.01, DeliveredQuantity: 1, VAT: 0, AccountNumber: 3740 });
    expect(mapped.expected).toMatchObject({ total: '37.59', storeTotal: '37.59', vatByRate: { '25': '7.52', '0': '0.00' } });
  });

  const euMappings = (): TenantMappings => ({
    ...mappings(),
    taxCodes: { ...mappings().taxCodes, 'DE:19': { vat: 19, account: 3106, vatAccount: 2616 }, 'EU:reverse-charge': { vat: 0, account: 3108 }, export: { vat: 0, account: 3105 } },
    currencies: { EUR: { rate: 11.45 } },
  });
  const german = (vatNumber: string | null): CanonicalOrder => {
    const order = exampleOrder(ref);
    const eur = (amount: string) => ({ amount, currency: 'EUR' });
    order.currency = 'EUR';
    order.billingAddress = { ...order.billingAddress, country: 'DE' };
    order.customer = { ...order.customer, vatNumber };
    const taxed = vatNumber === null;
    order.lines = [{ ...(order.lines[0] as CanonicalOrder['lines'][number]), unitPrice: eur('50.00'), subtotal: eur('100.00'), subtotalTax: eur(taxed ? '19.00' : '0.00'), total: eur('100.00'), totalTax: eur(taxed ? '19.00' : '0.00'), taxes: taxed ? [{ rateId: '9', total: eur('19.00'), subtotal: eur('19.00') }] : [] }];
    order.shippingLines = [];
    order.taxLines = taxed ? [{ lineId: '3', rateId: '9', rateCode: 'DE-MWST-1', label: 'MwSt.', compound: false, ratePercent: '19.0000', taxTotal: eur('19.00'), shippingTaxTotal: eur('0.00') }] : [];
    order.totals = { discount: eur('0.00'), discountTax: eur('0.00'), shipping: eur('0.00'), shippingTax: eur('0.00'), totalTax: eur(taxed ? '19.00' : '0.00'), total: eur(taxed ? '119.00' : '100.00') };
    return order;
  };

  it('maps an OSS sale to net VAT-0 rows on the OSS account plus the DE VAT on the OSS VAT account, with the EUR rate', () => {
    const mapped = toInvoice(german(null), euMappings(), ctx, 'ref');
    expect(mapped.invoice).toMatchObject({ Currency: 'EUR', CurrencyRate: 11.45, CurrencyUnit: 1 });
    expect(mapped.rows.map((r) => [r.row.Description, r.row.Price, r.row.DeliveredQuantity, r.row.VAT, r.row.AccountNumber])).toEqual([
      ['Blue mug', 50, 2, 0, 3106],
      ['Moms DE 19 % (OSS)', 19, 1, 0, 2616],
    ]);
    expect(mapped.expected.total).toBe('119.00');
  });

  it('books a reverse-charge B2B order and an export on their own accounts', () => {
    expect(toInvoice(german('DE123456789'), euMappings(), ctx, 'ref').rows.map((r) => [r.row.VAT, r.row.AccountNumber])).toEqual([[0, 3108]]);
    const exp = exampleOrder(ref);
    exp.billingAddress = { ...exp.billingAddress, country: 'NO' };
    exp.lines = [{ ...(exp.lines[0] as CanonicalOrder['lines'][number]), subtotalTax: sek('0.00'), totalTax: sek('0.00'), taxes: [] }];
    exp.shippingLines = [];
    exp.totals = { ...exp.totals, totalTax: sek('0.00'), total: sek('160.00') };
    expect(toInvoice(exp, euMappings(), ctx, 'ref').rows.map((r) => [r.row.VAT, r.row.AccountNumber])).toEqual([[0, 3105]]);
    expect(toCustomer(exp).VATType).toBe('EXPORT');
  });

  it('parks a non-SEK order without a currency rate, and an OSS rate without a VAT account', () => {
    const m = euMappings();
    m.currencies = {};
    expect(() => toInvoice(german(null), m, ctx, 'ref')).toThrow(expect.objectContaining({ code: 'MAPPING_CURRENCY_MISSING' }));
    const n = euMappings();
    n.taxCodes['DE:19'] = { vat: 19, account: 3106 };
    expect(() => toInvoice(german(null), n, ctx, 'ref')).toThrow(expect.objectContaining({ code: 'MAPPING_ACCOUNT_MISSING' }));
  });

  it('validates the mapping body: foreign rates need a VAT account, currencies a positive rate', () => {
    expect(mappingProblems({ taxCodes: { 'DE:19': { vat: 19, account: 3106 }, export: { vat: 25, account: 3105 } }, currencies: { EUR: { rate: 0 } } })).toEqual([
      'taxCodes["DE:19"].vatAccount must be a 4-digit Fortnox account for the OSS VAT of a foreign rate, like 2616.',
      'taxCodes["export"].vat must be 0.',
      'currencies["EUR"].rate must be a positive number (SEK per unit), like 11.45.',
    ]);
    expect(mappingProblems(euMappings())).toEqual([]);
  });
});

describe('toCreditInvoice', () => {
  it('spreads an amount-only refund over the VAT rates the order charged, as negative gross rows', () => {
    const order = exampleOrder(ref);
    order.feeLines = [{ lineId: '9', name: 'Avgift', taxClass: null, taxStatus: 'none', total: sek('51.00'), totalTax: sek('0.00'), taxes: [] }];
    order.totals = { ...order.totals, total: sek('300.00') };
    const refund = {
      refundId: '5',
      orderRef: order.orderRef,
      currency: 'SEK',
      createdAt: '2026-11-26T10:00:00.000Z',
      amount: sek('100.00'),
      reason: null,
      amountOnly: true,
      refundedPayment: false,
      lines: [],
      shippingLines: [],
      feeLines: [],
    };
    const mapped = toCreditInvoice(refund, order, mappings(), ctx, 'ref');
    expect(mapped.invoice.VATIncluded).toBe(true);
    // 249.00 at 25 % and 51.00 at 0 %: 83.00 and 17.00 of 100.00.
    expect(mapped.rows.map((r) => [r.row.Price, r.row.DeliveredQuantity, r.row.VAT, r.row.AccountNumber])).toEqual([
      [83, -1, 25, 3001],
      [17, -1, 0, 3004],
    ]);
    expect(mapped.expected.total).toBe('-100.00');
  });
});

describe('toCustomer', () => {
  it('gives a Swedish consumer SEVAT and an EU business with a VAT number EUREVERSEDVAT', () => {
    const order = exampleOrder(ref);
    expect(toCustomer(order)).toMatchObject({ Name: 'Astrid Lindqvist', Email: 'astrid@example.se', VATType: 'SEVAT', CountryCode: 'SE', ZipCode: '111 51' });
    order.billingAddress = { ...order.billingAddress, country: 'DE' };
    order.customer = { ...order.customer, company: 'Muster GmbH', vatNumber: 'DE123456789' };
    expect(toCustomer(order)).toMatchObject({ Name: 'Muster GmbH', VATType: 'EUREVERSEDVAT', VATNumber: 'DE123456789' });
  });
});

describe('toFullCredit', () => {
  it('negates quantities and AMOUNT discounts so each credit row mirrors its invoice row', () => {
    const order = exampleOrder(ref);
    Object.assign(order.lines[0] as object, { subtotal: sek('180.00'), subtotalTax: sek('45.00') });
    const credit = toFullCredit(toInvoice(order, mappings(), ctx, 'LL|acme|nordic-shop|1234'), 'LL|acme|nordic-shop|1234|C');
    expect(credit.invoice.ExternalInvoiceReference1).toBe('LL|acme|nordic-shop|1234|C');
    expect(credit.rows[0]?.row).toMatchObject({ Price: 112.5, DeliveredQuantity: -2, Discount: -25, DiscountType: 'AMOUNT' });
    expect(credit.expected).toMatchObject({ total: '-249.00', storeTotal: '-249.00', vatByRate: { '25': '-49.80' } });
  });
});
