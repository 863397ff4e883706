import { formatCents, formatMicros, parseCents } from './money';
import { calculateOrderTotals } from './order-totals.calculator';
import { findRates } from './tax-rates';

const de19 = findRates('DE', '');
const se25 = findRates('SE', '');
const se12 = findRates('SE', 'reduced-rate');

describe('calculateOrderTotals', () => {
  it('reproduces the contract\'s constructed EUR order (prices include 19 % tax, fixed_product coupon, fee, shipping)', () => {
    // order-constructed-fees-coupons-refund.json: 2 × 19.99 gross T-shirt with 2 × 2.50 off, tote 12.50 gross, fee 2.00, shipping 4.12.
    const t = calculateOrderTotals({
      pricesIncludeTax: true,
      lines: [
        { unitPriceCents: 1999, quantity: 2, rates: de19, discountCents: 500 },
        { unitPriceCents: 1250, quantity: 1, rates: de19, discountCents: 0 },
      ],
      fees: [{ amountCents: 200, rates: de19 }],
      shipping: [{ amountCents: 412, rates: de19 }],
    });
    expect(t.lines[0]).toMatchObject({ subtotalCents: 3360, subtotalTaxCents: 638, totalCents: 2939, totalTaxCents: 559 });
    expect(t.lines[1]).toMatchObject({ subtotalCents: 1050, subtotalTaxCents: 200, totalCents: 1050, totalTaxCents: 200 });
    expect(formatMicros(t.lines[1].taxes[0].totalMicros)).toBe('2');
    expect(t.fees[0]).toMatchObject({ totalCents: 200, totalTaxCents: 38 });
    expect(t.shipping[0]).toMatchObject({ totalCents: 412, totalTaxCents: 78 });
    expect([t.discountTotalCents, t.discountTaxCents, t.cartTaxCents, t.shippingTaxCents, t.totalTaxCents, t.totalCents]).toEqual([421, 79, 797, 78, 875, 5476]);
  });

  it('rounds tax per line, so Σ line taxes can differ from tax on the order sum', () => {
    const t = calculateOrderTotals({
      pricesIncludeTax: false,
      lines: [1, 2, 3].map(() => ({ unitPriceCents: 333, quantity: 1, rates: se25, discountCents: 0 })),
      fees: [],
      shipping: [],
    });
    expect(t.lines.map((l) => l.totalTaxCents)).toEqual([83, 83, 83]);
    expect(formatMicros(t.lines[0].taxes[0].totalMicros)).toBe('0.83');
    expect(t.totalTaxCents).toBe(249); // 9.99 × 25 % = 2.4975 would round to 2.50
  });

  it('keeps the identity lines + shipping + fees − discounts + taxes = total with several rates', () => {
    const t = calculateOrderTotals({
      pricesIncludeTax: false,
      lines: [
        { unitPriceCents: 19900, quantity: 3, rates: se25, discountCents: 5970 },
        { unitPriceCents: 4950, quantity: 2, rates: se12, discountCents: 990 },
      ],
      fees: [{ amountCents: 2900, rates: se25 }],
      shipping: [{ amountCents: 4900, rates: se25 }],
    });
    const subtotal = t.lines.reduce((a, l) => a + l.subtotalCents, 0);
    expect(subtotal + t.shippingTotalCents + 2900 - t.discountTotalCents + t.totalTaxCents).toBe(t.totalCents);
    expect(t.taxLines.map((l) => [l.rate.id, l.taxTotalCents, l.shippingTaxTotalCents])).toEqual([
      [1, t.lines[0].totalTaxCents + t.fees[0].totalTaxCents, 1225],
      [2, t.lines[1].totalTaxCents, 0],
    ]);
  });
});

describe('money formatting', () => {
  it('formats cents and raw tax the way WooCommerce stores them', () => {
    expect(formatCents(-1250)).toBe('-12.50');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(12345, 0)).toBe('123');
    expect(formatMicros(2_000_000)).toBe('2');
    expect(formatMicros(-900_000)).toBe('-0.9');
    expect(parseCents('14.695')).toBe(1470);
    expect(parseCents('-3')).toBe(-300);
  });
});
