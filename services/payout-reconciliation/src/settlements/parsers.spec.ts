/* eslint-disable @typescript-eslint/no-non-null-assertion -- tests index into fixtures and answers known to hold the element; a wrong index fails the assertion. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from '@ledgerline/money';
import { parseAdyenReport } from './adyen.parser';
import { ReportRefusedError } from './csv-table';
import { mapKlarnaPayout, parseKlarnaReport, type KlarnaPayout, type KlarnaTransaction } from './klarna.parser';
import type { ParsedSettlement } from './settlement';
import { mapStripePayout, parseStripeReport, type StripeBalanceTransaction, type StripePayout } from './stripe.parser';

const fixture = (name: string) => readFileSync(join(__dirname, '../../test/fixtures', name), 'utf8');
const sumNet = (parsed: ParsedSettlement, payoutId: string) => Decimal.sum(parsed.lines.filter((l) => l.payoutId === payoutId).map((l) => l.net)).toFixed(2);

describe('Stripe itemized payout reconciliation report', () => {
  const parsed = parseStripeReport(fixture('stripe-itemized.csv'), 'acct_1');

  it('reads every row of both payouts, with charge, payment intent and order id as the matching references', () => {
    expect(parsed.rejected).toEqual([]);
    expect(parsed.payouts.map((p) => [p.payoutId, p.arrivalDate, p.amount])).toEqual([
      ['po_1PO0aaC3d4E5f6G7PayoutA', '2024-06-06', null],
      ['po_1POaabC3d4E5f6G7PayoutB', '2024-06-13', null],
    ]);
    expect(parsed.lines).toHaveLength(9);
    expect(parsed.lines[0]).toMatchObject({ lineId: 'txn_3PNa1b2C3d4E5f6G0txnA01', kind: 'payment', currency: 'EUR', gross: '54.76', fee: '1.02', net: '53.74', transactionId: 'ch_3PNa1b2C3d4E5f6G0x1y2z3A', altTransactionId: 'pi_3PNa1b2C3d4E5f6G0abcdEFG', orderId: '1287' });
    expect(parsed.lines[2]).toMatchObject({ presentmentAmount: '50.00', presentmentCurrency: 'USD', gross: '46.32' });
    expect(parsed.lines.map((l) => l.kind)).toEqual(['payment', 'payment', 'payment', 'refund', 'payment', 'capture-reversal', 'chargeback', 'payment', 'reserve']);
    expect(parsed.lines[3]).toMatchObject({ refundReference: 're_3PNa1b2C3d4E5f6G0qrsTUV', presentmentAmount: '12.50' });
  });

  it('sums each payout to the amounts the API states (225.68 and 247.06 EUR)', () => {
    expect(sumNet(parsed, 'po_1PO0aaC3d4E5f6G7PayoutA')).toBe('225.68');
    expect(sumNet(parsed, 'po_1POaabC3d4E5f6G7PayoutB')).toBe('247.06');
  });

  it('refuses a file whose header lacks a required column, naming it', () => {
    const bad = fixture('stripe-itemized.csv').replace('reporting_category', 'category');
    expect(() => parseStripeReport(bad, 'acct_1')).toThrow(ReportRefusedError);
    expect(() => parseStripeReport(bad, 'acct_1')).toThrow(/header \(line 1\) lacks the column "reporting_category"/);
  });

  it('sets a bad row aside with its line and column and keeps the others', () => {
    const lines = fixture('stripe-itemized.csv').split('\n');
    lines[2] = lines[2]!.replace(',129.90,', ',12x.90,');
    const p = parseStripeReport(lines.join('\n'), 'acct_1');
    expect(p.lines).toHaveLength(8);
    expect(p.rejected).toEqual([expect.objectContaining({ row: 3, column: 'gross', message: '"gross" is "12x.90", not a decimal amount like 12.50', payoutId: 'po_1PO0aaC3d4E5f6G7PayoutA' })]);
  });
});

describe('Stripe payouts and balance transactions (API)', () => {
  const api = JSON.parse(fixture('stripe-api.json')) as Record<string, unknown> & { payouts: StripePayout[] };

  it('maps each payout, drops its own payout transaction and sums the nets to the payout amount', () => {
    for (const payout of api.payouts) {
      const list = api[`GET /v1/balance_transactions?payout=${payout.id}`] as { data: StripeBalanceTransaction[] };
      const parsed = mapStripePayout('acct_1', payout, list.data);
      expect(parsed.lines.every((l) => l.lineId !== payout.id)).toBe(true);
      expect(sumNet(parsed, payout.id)).toBe(parsed.payouts[0]!.amount);
    }
    const b = mapStripePayout('acct_1', api.payouts[1]!, (api['GET /v1/balance_transactions?payout=po_1POaabC3d4E5f6G7PayoutB'] as { data: StripeBalanceTransaction[] }).data);
    expect(b.payouts[0]).toMatchObject({ amount: '247.06', currency: 'EUR', arrivalDate: '2024-06-13' });
    expect(b.lines.find((l) => l.kind === 'chargeback')).toMatchObject({ gross: '-39.99', fee: '15.00', net: '-54.99' });
  });

  it('reads charge metadata and the refund\'s charge from an expanded source', () => {
    const payout = { id: 'po_x', amount: 4000, currency: 'eur', arrival_date: 1718236800, automatic: true, status: 'paid' };
    const parsed = mapStripePayout('acct_1', payout, [
      { id: 'txn_1', amount: 5000, fee: 100, net: 4900, currency: 'eur', exchange_rate: null, reporting_category: 'charge', type: 'charge', description: null, created: 1718000000, source: { id: 'ch_1', object: 'charge', amount: 5000, currency: 'eur', payment_intent: 'pi_1', metadata: { order_id: '77', order_number: 'WC-77' } } },
      { id: 'txn_2', amount: -900, fee: 0, net: -900, currency: 'eur', exchange_rate: null, reporting_category: 'refund', type: 'refund', description: null, created: 1718000000, source: { id: 're_1', object: 'refund', amount: 900, currency: 'eur', charge: 'ch_1', metadata: {} } },
    ]);
    expect(parsed.lines.map((l) => [l.kind, l.transactionId, l.altTransactionId, l.orderId, l.orderNumber, l.refundReference, l.presentmentAmount])).toEqual([
      ['payment', 'ch_1', 'pi_1', '77', 'WC-77', null, '50.00'],
      ['refund', 'ch_1', null, null, null, 're_1', '9.00'],
    ]);
  });
});

describe('Klarna settlement report and Settlements API', () => {
  const api = JSON.parse(fixture('klarna-api.json')) as Record<string, unknown>;
  const payouts = (api['GET /settlements/v1/payouts?start_date=2024-06-01T00:00:00Z&end_date=2024-06-30T23:59:59Z'] as { payouts: KlarnaPayout[] }).payouts;
  const txns = (ref: string) => (api[`GET /settlements/v1/transactions?payment_reference=${ref}`] as { transactions: KlarnaTransaction[] }).transactions;

  it('reads the semicolon CSV into both payouts, summing to the API\'s settlement amounts', () => {
    const parsed = parseKlarnaReport(fixture('klarna-report.csv'));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.payouts.map((p) => [p.merchantAccount, p.payoutId, p.arrivalDate])).toEqual([
      ['K123456', 'KLP4X9Q2', '2024-06-10'],
      ['K123456', 'KLP7T3M8', '2024-06-17'],
    ]);
    expect(sumNet(parsed, 'KLP4X9Q2')).toBe('120.31');
    expect(sumNet(parsed, 'KLP7T3M8')).toBe('133.59');
    expect(parsed.lines.find((l) => l.kind === 'refund')).toMatchObject({ gross: '-29.90', orderNumber: '1301', transactionId: '5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a41', refundReference: 'wc-refund-1310' });
  });

  it('gives the same line ids from the API as from the CSV, so one payout delivered both ways is stored once', () => {
    const csv = parseKlarnaReport(fixture('klarna-report.csv'));
    for (const payout of payouts) {
      const parsed = mapKlarnaPayout(payout, txns(payout.payment_reference));
      expect(sumNet(parsed, payout.payment_reference)).toBe(parsed.payouts[0]!.amount);
      expect(parsed.lines.map((l) => l.lineId)).toEqual(csv.lines.filter((l) => l.payoutId === payout.payment_reference).map((l) => l.lineId));
    }
  });

  it('refuses a comma-delimited file, saying the delimiter is the likely cause', () => {
    expect(() => parseKlarnaReport(fixture('klarna-report.csv').replace(/;/g, ','))).toThrow(/is the file delimited by ";"/);
  });

  it('sets aside a row with an unknown transaction type', () => {
    const text = fixture('klarna-report.csv').replace(';SALE;PURCHASE;199.00;', ';BONUS;PURCHASE;199.00;');
    const parsed = parseKlarnaReport(text);
    expect(parsed.rejected).toEqual([expect.objectContaining({ row: 15, column: 'type', payoutId: 'KLP7T3M8', merchantAccount: 'K123456' })]);
    expect(parsed.lines).toHaveLength(16);
  });
});

describe('Adyen settlement details report', () => {
  const parsed = parseAdyenReport(fixture('adyen-sdr-batch-104.csv'), 'settlement_detail_report_batch_104.csv');

  it('reads batch 104 with the MerchantPayout row as the payout amount, and the lines sum to it', () => {
    expect(parsed.rejected).toEqual([]);
    expect(parsed.payouts).toEqual([{ provider: 'adyen', merchantAccount: 'ShopExampleECOM', payoutId: '104', currency: 'EUR', amount: '189.03', arrivalDate: '2024-06-13' }]);
    expect(parsed.lines).toHaveLength(9);
    expect(sumNet(parsed, '104')).toBe('189.03');
  });

  it('splits each row into gross and per-row costs, and keeps the presentment amount and rate', () => {
    const usd = parsed.lines.find((l) => l.transactionId === '8815123400001403');
    expect(usd).toMatchObject({ kind: 'payment', gross: '92.10', fee: '1.52', net: '90.58', presentmentAmount: '100.00', presentmentCurrency: 'USD', exchangeRate: '0.9210', orderNumber: '1403' });
    expect(parsed.lines.find((l) => l.kind === 'chargeback')).toMatchObject({ gross: '-80.00', fee: '7.50', net: '-87.50' });
    expect(parsed.lines.filter((l) => l.transactionId === '8815123400001402').map((l) => l.lineId)).toEqual([
      'ShopExampleECOM:104:Settled:8815123400001402:8825123400014021',
      'ShopExampleECOM:104:Settled:8815123400001402:8825123400014022',
    ]);
    expect(parsed.lines.map((l) => l.kind)).toEqual(['payment', 'payment', 'payment', 'refund', 'chargeback', 'chargeback-reversal', 'payment', 'fee', 'reserve']);
  });

  it('sets aside a row with a wrong cell count and keeps the rest', () => {
    const text = fixture('adyen-sdr-batch-104.csv').replace('visa,2024-06-10 10:02:11,CEST,Settled,', 'visa,2024-06-10 10:02:11,CEST,Settled,extra,');
    const p = parseAdyenReport(text);
    expect(p.rejected).toEqual([expect.objectContaining({ row: 2, column: null, message: 'has 31 cells, the header has 30' })]);
    expect(p.lines).toHaveLength(8);
  });
});
