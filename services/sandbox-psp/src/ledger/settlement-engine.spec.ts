import { Decimal } from '@ledgerline/money';
import { PspRuntime } from '../psp-runtime';
import type { CaptureOrder, GroundTruth, Provider, SettleMonthOptions } from './psp-types';

const CURRENCIES = ['SEK', 'EUR', 'NOK', 'USD', 'DKK'];

function runtime(): PspRuntime {
  return new PspRuntime({ rateLimits: { stripe: null, klarna: null, adyen: null }, adyenCompanyAccount: 'TestCo' });
}

/** `n` orders spread over October 2026 in five currencies; totals from 10.05 up. */
function orders(n: number): CaptureOrder[] {
  return Array.from({ length: n }, (_, i) => ({
    orderId: String(1000 + i),
    orderNumber: `W${1000 + i}`,
    total: `${10 + ((i * 37) % 900)}.${String((i * 13) % 100).padStart(2, '0')}`,
    currency: CURRENCIES[i % CURRENCIES.length],
    paidAt: new Date(Date.UTC(2026, 9, 1) + Math.floor((i * 31 * 86_400_000) / n) + 3_600_000).toISOString(),
  }));
}

const OPTIONS: SettleMonthOptions = { month: '2026-10', seed: 9, refunds: 20, chargebacks: 5, partialCaptures: 8, settlementCurrency: 'SEK', reservePercent: '10', reserveReleaseDays: 7 };

function settle(provider: Provider, o: SettleMonthOptions = OPTIONS, n = 300): GroundTruth {
  const rt = runtime();
  rt.capture(provider, 'M1', orders(n));
  return rt.settleMonth(provider, 'M1', o);
}

describe.each(['stripe', 'klarna', 'adyen'] as const)('settleMonth (%s)', (provider) => {
  const truth = settle(provider);
  const lines = truth.payouts.flatMap((p) => p.lines);

  it('makes payouts with lines whose nets sum to them, each net = gross − fee, all positive but possibly the last', () => {
    for (const [i, p] of truth.payouts.entries()) {
      expect(Decimal.sum(p.lines.map((l) => l.net)).toFixed(2)).toBe(p.amount);
      // A negative balance is carried into the next payout; only the month's last one can be negative (a debit).
      if (i < truth.payouts.length - 1) expect(Decimal.of(p.amount).isPositive()).toBe(true);
      for (const l of p.lines) expect(Decimal.of(l.gross).sub(l.fee).toFixed(2)).toBe(l.net);
    }
  });

  it('books the requested refunds and chargebacks, one reversal, and releases every reserve hold', () => {
    expect(lines.filter((l) => l.type === 'refund')).toHaveLength(20);
    expect(lines.filter((l) => l.type === 'chargeback')).toHaveLength(5);
    expect(lines.filter((l) => l.type === 'chargeback-reversal')).toHaveLength(1);
    const reserve = lines.filter((l) => l.type === 'reserve' || l.type === 'reserve-release');
    expect(reserve.filter((l) => l.type === 'reserve').length).toBeGreaterThan(3);
    expect(Decimal.sum(reserve.map((l) => l.net)).isZero()).toBe(true);
  });

  it('shows the exchange rate on converted lines and settles all in SEK', () => {
    expect(new Set(truth.payouts.map((p) => p.currency))).toEqual(new Set(['SEK']));
    const converted = lines.filter((l) => l.presentmentCurrency !== null);
    expect(converted.length).toBeGreaterThan(150);
    for (const l of converted) expect(l.exchangeRate).toMatch(/^\d+\.\d{1,6}$/);
  });

  it('is the same for the same seed and differs for another seed', () => {
    expect(settle(provider)).toEqual(truth);
    expect(settle(provider, { ...OPTIONS, seed: 10 })).not.toEqual(truth);
  });
});

describe('provider fees', () => {
  const one: CaptureOrder[] = [{ orderId: '1', orderNumber: '1', total: '100.00', currency: 'EUR', paidAt: '2026-10-05T10:00:00Z' }];
  const settleOne = (provider: Provider) => {
    const rt = runtime();
    rt.capture(provider, 'M1', one);
    return rt.settleMonth(provider, 'M1', { month: '2026-10', seed: 1, refunds: 0, chargebacks: 0 }).payouts[0];
  };

  it('charges Stripe 1.5 % + €0.25 on an EEA card payment', () => {
    expect(settleOne('stripe')).toMatchObject({ amount: '98.25', lines: [{ gross: '100.00', fee: '1.75', net: '98.25', providerType: 'charge' }] });
  });

  it('charges Klarna 2.99 % and €0.35 as two FEE transactions', () => {
    const p = settleOne('klarna');
    expect(p.amount).toBe('96.66');
    expect(p.lines.map((l) => [l.providerType, l.net])).toEqual([['SALE/PURCHASE', '100.00'], ['FEE/PURCHASE_FEE_PERCENTAGE', '-2.99'], ['FEE/PURCHASE_FEE_FIXED', '-0.35']]);
  });

  it('books Adyen costs on the Settled row and the processing fee on the batch Fee row', () => {
    const p = settleOne('adyen');
    const [settled, fee] = p.lines;
    expect(settled).toMatchObject({ type: 'payment', gross: '100.00', providerType: 'Settled' });
    expect(fee).toMatchObject({ type: 'fee', gross: '0.00', fee: '0.11', providerType: 'Fee' });
    expect(Decimal.of(settled.fee).isPositive()).toBe(true);
  });
});

describe('input checks', () => {
  it('names each order that cannot be captured and captures none of them', () => {
    const rt = runtime();
    const bad = [
      { orderId: '1', orderNumber: '1', total: '12.345', currency: 'EUR', paidAt: '2026-10-01T00:00:00Z' },
      { orderId: '2', orderNumber: '2', total: '10', currency: 'XXQ', paidAt: 'yesterday' },
    ];
    expect(() => rt.capture('stripe', 'M1', bad)).toThrow(/order\[0\] id 1: total "12.345" must be a positive decimal string with at most 2 fraction digits[\s\S]*order\[1\] id 2: currency "XXQ"[\s\S]*paidAt "yesterday"/);
    expect(() => rt.settleMonth('stripe', 'M1', { month: '2026-10', seed: 1, refunds: 0, chargebacks: 0 })).toThrow(/no payments captured/);
  });

  it('refuses a second capture of an order for another amount', () => {
    const rt = runtime();
    const o = orders(1);
    rt.capture('adyen', 'M1', o);
    expect(() => rt.capture('adyen', 'M1', [{ ...o[0], total: '1.00' }])).toThrow(/already captured at adyen/);
  });

  it('explains what to change when the options cannot be met', () => {
    const rt = runtime();
    rt.capture('klarna', 'M1', orders(20));
    expect(() => rt.settleMonth('klarna', 'M1', { month: '2026-13', seed: -1, refunds: 1, chargebacks: 0 })).toThrow(/month must be YYYY-MM[\s\S]*seed must be a whole number/);
    expect(() => rt.settleMonth('klarna', 'M1', { month: '2026-10', seed: 1, refunds: 18, chargebacks: 5 })).toThrow(/refunds \+ chargebacks \+ partialCaptures \(23\) exceed the 20 orders/);
    expect(() => rt.settleMonth('klarna', 'M1', { month: '2026-10', seed: 1, refunds: 1, chargebacks: 0, settlementCurrency: 'ZAR' })).toThrow(/settlementCurrency "ZAR"/);
    rt.settleMonth('klarna', 'M1', { month: '2026-10', seed: 1, refunds: 1, chargebacks: 1 });
    expect(() => rt.settleMonth('klarna', 'M1', { month: '2026-10', seed: 1, refunds: 1, chargebacks: 1 })).toThrow(/already settled/);
  });
});
