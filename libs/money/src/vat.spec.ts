import { errorOf } from './__fixtures__/error-of';
import { seededRandom } from './__fixtures__/seeded-random';
import { Money } from './money';
import { RoundingMode } from './rounding-mode';
import { Decimal } from './decimal';
import { vatFromGross, vatFromNet, type GrossSplit, type NetWithVat } from './vat';

const sek = (amount: string) => Money.of(amount, 'SEK');
const eur = (amount: string) => Money.of(amount, 'EUR');
const netAndVat = ({ net, vat }: GrossSplit) => [net.toString(), vat.toString()];
const vatAndGross = ({ vat, gross }: NetWithVat) => [vat.toString(), gross.toString()];

describe('vatFromGross', () => {
  it.each([
    ['125.00', '25', '100.00', '25.00'],
    ['112.00', '12', '100.00', '12.00'],
    ['106.00', '6', '100.00', '6.00'],
    ['99.00', '25', '79.20', '19.80'],
    ['0.01', '25', '0.01', '0.00'],
    ['49.90', '0', '49.90', '0.00'],
  ])('splits %s SEK gross at %s%% into net %s and VAT %s', (gross, rate, net, vat) => {
    expect(netAndVat(vatFromGross(sek(gross), rate, 'HALF_UP'))).toEqual([`${net} SEK`, `${vat} SEK`]);
  });

  it('handles fractional rates such as the Swiss 7.7 %', () => {
    expect(netAndVat(vatFromGross(Money.of('107.70', 'CHF'), '7.7', 'HALF_UP'))).toEqual(['100.00 CHF', '7.70 CHF']);
  });

  it('rounds to the currency’s minor unit, whole yen for JPY', () => {
    expect(netAndVat(vatFromGross(Money.of('1099', 'JPY'), '10', 'HALF_UP'))).toEqual(['999 JPY', '100 JPY']);
  });

  it('gives negative VAT on a negative (refund) amount, mirrored', () => {
    expect(netAndVat(vatFromGross(sek('-99.00'), '25', 'HALF_UP'))).toEqual(['-79.20 SEK', '-19.80 SEK']);
  });

  it('uses the rounding mode for the VAT and leaves the rest as net', () => {
    // 10.00 × 19/119 = 1.5966…
    expect(netAndVat(vatFromGross(eur('10.00'), '19', 'DOWN'))).toEqual(['8.41 EUR', '1.59 EUR']);
    expect(netAndVat(vatFromGross(eur('10.00'), '19', 'UP'))).toEqual(['8.40 EUR', '1.60 EUR']);
  });

  it('refuses a negative or malformed rate, naming it', () => {
    expect(errorOf(() => vatFromGross(sek('1'), '-25', 'HALF_UP')).message).toBe('VAT rate -25% is below zero.');
    const error = errorOf(() => vatFromGross(sek('1'), '25%', 'HALF_UP'));
    expect(error.code).toBe('MONEY_ARGUMENT_INVALID');
    expect(error.message).toBe('VAT rate "25%" is not a percentage: write it as a decimal string like "25" or "7.7".');
    expect(errorOf(() => vatFromGross(sek('1'), 0.25, 'HALF_UP')).message).toContain('VAT rate number 0.25');
  });
});

describe('vatFromNet', () => {
  it('adds VAT on a net amount', () => {
    expect(vatAndGross(vatFromNet(sek('100.00'), '25', 'HALF_UP'))).toEqual(['25.00 SEK', '125.00 SEK']);
    expect(vatAndGross(vatFromNet(Money.of('99.95', 'CHF'), '7.7', 'HALF_UP'))).toEqual(['7.70 CHF', '107.65 CHF']);
  });

  it.each<[RoundingMode, string, string]>([
    ['HALF_UP', '0.03', '-0.03'],
    ['HALF_EVEN', '0.02', '-0.02'],
    ['HALF_DOWN', '0.02', '-0.02'],
    ['CEILING', '0.03', '-0.02'],
    ['FLOOR', '0.02', '-0.03'],
  ])('rounds the tie 25%% of ±0.10 with %s to %s and %s', (mode, positive, negative) => {
    expect(vatFromNet(sek('0.10'), '25', mode).vat.toString()).toBe(`${positive} SEK`);
    expect(vatFromNet(sek('-0.10'), '25', mode).vat.toString()).toBe(`${negative} SEK`);
  });
});

// Order 1287 of ../shared/contracts/woocommerce/order-constructed-fees-coupons-refund.json: EUR, 19 % MwSt.,
// prices_include_tax = true, tax computed per line and rounded half up. Values transcribed by hand.
describe('the German 19 % order from the WooCommerce contract examples', () => {
  const lines = {
    tshirt: { total: '29.39', tax: '5.59', subtotal: '33.60', subtotalTax: '6.38' },
    toteBag: { total: '10.50', tax: '2.00' }, // also refund 1290's single line
  };

  it('recomputes each price-inclusive line’s tax from its gross as WooCommerce did, refund 1290 included', () => {
    expect(netAndVat(vatFromGross(eur('34.98'), '19', 'HALF_UP'))).toEqual(['29.39 EUR', '5.59 EUR']);
    expect(netAndVat(vatFromGross(eur('39.98'), '19', 'HALF_UP'))).toEqual(['33.60 EUR', '6.38 EUR']);
    expect(netAndVat(vatFromGross(eur('12.50'), '19', 'HALF_UP'))).toEqual(['10.50 EUR', '2.00 EUR']);
  });

  it('recomputes the tax on shipping and the fee from their net amounts', () => {
    expect(vatFromNet(eur('4.12'), '19', 'HALF_UP').vat.toString()).toBe('0.78 EUR');
    expect(vatFromNet(eur('2.00'), '19', 'HALF_UP').vat.toString()).toBe('0.38 EUR');
  });

  it('adds the per-line taxes up to cart_tax 7.97, total_tax 8.75 and total 54.76', () => {
    const lineTaxes = [lines.tshirt.tax, lines.toteBag.tax, '0.38'].map(eur);
    expect(Money.sum(lineTaxes).toString()).toBe('7.97 EUR');
    const totalTax = Money.sum(lineTaxes).add(eur('0.78'));
    expect(totalTax.toString()).toBe('8.75 EUR');
    const nets = [lines.tshirt.total, lines.toteBag.total, '4.12', '2.00'].map(eur);
    expect(Money.sum(nets).add(totalTax).toString()).toBe('54.76 EUR');
  });

  it('computes 8.74 on the order total, one cent off the 8.75 the store booked per line', () => {
    expect(vatFromGross(eur('54.76'), '19', 'HALF_UP').vat.toString()).toBe('8.74 EUR');
  });

  it('shows that WooCommerce’s discount tax (subtotal tax − total tax) is not the VAT on the gross discount', () => {
    const discountTax = eur(lines.tshirt.subtotalTax).sub(eur(lines.tshirt.tax));
    expect(discountTax.toString()).toBe('0.79 EUR');
    expect(vatFromGross(eur('5.00'), '19', 'HALF_UP').vat.toString()).toBe('0.80 EUR');
  });
});

describe('VAT over random amounts (seed 25)', () => {
  const random = seededRandom(25);
  const modes = Object.values(RoundingMode);
  const cases = Array.from({ length: 4000 }, () => ({
    // Mostly whole minor units, sometimes contract-style amounts with up to 4 fraction digits.
    amount: random.chance(0.8)
      ? Money.fromMinor(BigInt(random.decimal(9, 0)), random.pick(['SEK', 'EUR', 'JPY', 'KWD']))
      : Money.of(random.decimal(7, 4), random.pick(['SEK', 'EUR', 'JPY', 'KWD'])),
    rate: random.chance(0.7) ? random.pick(['25', '12', '6', '19', '7', '7.7', '8.1', '0', '21', '24', '25.5']) : random.decimal(2, 2, { negative: false }),
    mode: random.pick(modes),
  }));

  it('always returns net + VAT equal to the gross, and VAT within one minor unit of the exact rate', () => {
    const failures = cases.filter(({ amount, rate, mode }) => {
      const { net, vat } = vatFromGross(amount, rate, mode);
      const exact = amount.amount.mul(rate).div(Decimal.of(rate).add(100), 30, 'DOWN');
      const unit = Money.fromMinor(1n, amount.currency).amount;
      return !net.add(vat).eq(amount) || !vat.isWholeMinorUnits() || !vat.amount.sub(exact).abs().lt(unit);
    });
    expect(failures).toEqual([]);
  });

  it('always returns gross = net + VAT from a net amount', () => {
    const failures = cases.filter(({ amount, rate, mode }) => {
      const { vat, gross } = vatFromNet(amount, rate, mode);
      return !gross.sub(vat).eq(amount) || !vat.isWholeMinorUnits();
    });
    expect(failures).toEqual([]);
  });
});
