import { dec, div, HUNDRED, mul, round, ZERO, type Micros } from '../common/decimal';

/** One invoice row as the totals need it. */
export interface RowAmounts {
  /** Unit price; including VAT when the invoice has VATIncluded. */
  price: Micros;
  quantity: Micros;
  discount: Micros;
  discountType: 'PERCENT' | 'AMOUNT';
  /** VAT rate in percent: 25, 12, 6 or 0. */
  vat: number;
}

/** What Fortnox computes for one row. */
export interface RowTotals {
  /** Row total after discount, in the invoice's price mode (incl. VAT when VATIncluded), rounded to öre. */
  total: Micros;
  totalExcludingVat: Micros;
  priceExcludingVat: Micros;
}

/** What Fortnox computes for the invoice. */
export interface InvoiceTotals {
  rows: RowTotals[];
  /** Sum of the rows excluding VAT. */
  net: Micros;
  freightVat: Micros;
  administrationFeeVat: Micros;
  /** Net plus freight and administration fee, excluding VAT. */
  gross: Micros;
  totalVat: Micros;
  /** Whole-krona rounding of the amount to pay (öresavrundning); booked on 3740. */
  roundOff: Micros;
  total: Micros;
}

export interface TotalsInput {
  vatIncluded: boolean;
  currency: string;
  rows: RowAmounts[];
  /** Freight and administration fee, in the invoice's price mode like the rows. */
  freight: Micros;
  administrationFee: Micros;
}

/**
 * Guessed: Fortnox takes the VAT rate of freight and administration fee from the company's settings;
 * the sandbox uses the predefined 25 %.
 */
export const FEE_VAT_RATE = 25;

/**
 * Computes an invoice's totals the way we read Fortnox (the OpenAPI names the fields but gives no
 * formulas, so every rule here is our reading, listed in the README):
 *
 * 1. Row total = price × quantity, less the discount (PERCENT of the row, or an AMOUNT off the row),
 *    rounded to öre.
 * 2. VAT is computed per rate on the sum of that rate's rows, not per row, and rounded to öre:
 *    rate/100 of the net, or rate/(100+rate) of the gross when prices include VAT. This is how a
 *    Swedish invoice states VAT (per rate) and keeps öre differences from piling up row by row.
 * 3. Freight and administration fee carry 25 % VAT each, computed on their own.
 * 4. SEK invoices round the amount to pay to whole kronor, half away from zero (Fortnox's predefined
 *    "öresutjämning" to the nearest krona); RoundOff is the difference. Other currencies are not
 *    rounded.
 */
export function computeInvoiceTotals(input: TotalsInput): InvoiceTotals {
  const rowTotals = input.rows.map((row) => rowTotal(row, input.vatIncluded));

  const byRate = new Map<number, Micros>();
  input.rows.forEach((row, i) => byRate.set(row.vat, (byRate.get(row.vat) ?? ZERO) + rowTotals[i].total));

  let net = ZERO;
  let rowsVat = ZERO;
  for (const [rate, amount] of byRate) {
    const { base, vat } = split(amount, rate, input.vatIncluded);
    net += base;
    rowsVat += vat;
  }
  const freight = split(input.freight, FEE_VAT_RATE, input.vatIncluded);
  const fee = split(input.administrationFee, FEE_VAT_RATE, input.vatIncluded);

  const gross = net + freight.base + fee.base;
  const totalVat = rowsVat + freight.vat + fee.vat;
  const exact = gross + totalVat;
  const total = input.currency === 'SEK' ? round(exact, 0) : exact;
  return {
    rows: rowTotals,
    net,
    freightVat: freight.vat,
    administrationFeeVat: fee.vat,
    gross,
    totalVat,
    roundOff: total - exact,
    total,
  };
}

function rowTotal(row: RowAmounts, vatIncluded: boolean): RowTotals {
  const amount = mul(row.price, row.quantity);
  const discounted = row.discountType === 'AMOUNT' ? amount - row.discount : div(mul(amount, HUNDRED - row.discount), HUNDRED);
  const total = round(discounted, 2);
  const factor = div(HUNDRED + dec(row.vat), HUNDRED);
  return {
    total,
    totalExcludingVat: vatIncluded ? round(div(total, factor), 2) : total,
    priceExcludingVat: vatIncluded ? round(div(row.price, factor), 2) : row.price,
  };
}

/** Splits an amount of one VAT rate into its base and its VAT, rounded to öre. */
function split(amount: Micros, rate: number, vatIncluded: boolean): { base: Micros; vat: Micros } {
  const r = dec(rate);
  const vat = vatIncluded ? round(div(mul(amount, r), HUNDRED + r), 2) : round(div(mul(amount, r), HUNDRED), 2);
  return { base: vatIncluded ? amount - vat : amount, vat };
}
