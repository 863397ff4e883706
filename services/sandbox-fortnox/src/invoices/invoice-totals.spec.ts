import { dec, toNumber, ZERO } from '../common/decimal';
import { computeInvoiceTotals, type RowAmounts } from './invoice-totals';

const row = (price: string, quantity: string, vat: number, discount = '0', discountType: 'PERCENT' | 'AMOUNT' = 'PERCENT'): RowAmounts => ({
  price: dec(price),
  quantity: dec(quantity),
  vat,
  discount: dec(discount),
  discountType,
});

function totals(rows: RowAmounts[], opts: { vatIncluded?: boolean; currency?: string; freight?: string } = {}) {
  const t = computeInvoiceTotals({ vatIncluded: opts.vatIncluded ?? false, currency: opts.currency ?? 'SEK', rows, freight: opts.freight ? dec(opts.freight) : ZERO, administrationFee: ZERO });
  return {
    net: toNumber(t.net),
    gross: toNumber(t.gross),
    vat: toNumber(t.totalVat),
    roundOff: toNumber(t.roundOff),
    total: toNumber(t.total),
    rows: t.rows.map((r) => toNumber(r.total)),
  };
}

describe('computeInvoiceTotals', () => {
  it('adds VAT per rate on net prices and rounds the total to whole kronor', () => {
    expect(totals([row('99.90', '2', 25), row('45.50', '1', 12)])).toEqual({ net: 245.3, gross: 245.3, vat: 55.41, roundOff: 0.29, total: 301, rows: [199.8, 45.5] });
  });

  it('rounds down as well as up', () => {
    expect(totals([row('80.32', '1', 25)])).toMatchObject({ vat: 20.08, roundOff: -0.4, total: 100 });
  });

  it('extracts VAT from prices that include it, per rate', () => {
    expect(totals([row('129', '1', 25), row('200', '1', 25, '10'), row('19.90', '3', 12)], { vatIncluded: true })).toEqual({
      net: 300.5,
      gross: 300.5,
      vat: 68.2,
      roundOff: 0.3,
      total: 369,
      rows: [129, 180, 59.7],
    });
  });

  it('computes VAT on the sum of a rate\'s rows, not row by row', () => {
    // Per row: 3 × round(0.125) = 0.39; on the sum: round(0.375) = 0.38.
    expect(totals([row('0.50', '1', 25), row('0.50', '1', 25), row('0.50', '1', 25)]).vat).toBe(0.38);
  });

  it('takes an AMOUNT discount off the row total and a PERCENT discount as a share of it', () => {
    expect(totals([row('100', '2', 25, '15', 'AMOUNT')]).rows).toEqual([185]);
    expect(totals([row('100', '2', 25, '12.5')]).rows).toEqual([175]);
  });

  it('mirrors an invoice exactly when quantities are negated, as a credit invoice is', () => {
    const invoice = totals([row('99.90', '2', 25), row('45.50', '1', 12)]);
    const credit = totals([row('99.90', '-2', 25), row('45.50', '-1', 12)]);
    expect(credit).toEqual({ net: -invoice.net, gross: -invoice.gross, vat: -invoice.vat, roundOff: -invoice.roundOff, total: -invoice.total, rows: invoice.rows.map((r) => -r) });
  });

  it('does not round other currencies to whole units', () => {
    expect(totals([row('10.33', '1', 25)], { currency: 'EUR' })).toMatchObject({ vat: 2.58, roundOff: 0, total: 12.91 });
  });

  it('adds freight with 25 % VAT to gross but not to net', () => {
    expect(totals([row('100', '1', 12)], { freight: '49' })).toEqual({ net: 100, gross: 149, vat: 24.25, roundOff: -0.25, total: 173, rows: [100] });
  });
});
