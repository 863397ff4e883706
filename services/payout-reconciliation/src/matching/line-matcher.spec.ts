import type { ProviderMapping } from '../mappings/provider-mapping';
import type { SettlementLine } from '../settlements/settlement';
import { matchLine, type KnownOrder, type MatchContext } from './line-matcher';

const mapping: ProviderMapping = {
  provider: 'klarna',
  merchantAccount: 'K1',
  tenantId: 'acme',
  erp: 'fortnox',
  erpConnectionId: 'f',
  accounts: { clearing: '1', fee: '2', bank: '3', reserve: '4', chargeback: '5', adjustment: '6' },
  modeOfPayment: 'KLARNA',
  gateways: ['klarna_payments', 'kco'],
  credentials: {},
};
const order = (o: Partial<KnownOrder>): KnownOrder => ({ tenantId: 'acme', storeId: 'se', orderId: '1042', orderNumber: '1042', gateway: 'klarna_payments', transactionId: null, currency: 'EUR', ...o });
const line = (l: Partial<SettlementLine>): SettlementLine => ({
  provider: 'klarna', merchantAccount: 'K1', payoutId: 'P1', lineId: 'x', kind: 'payment', currency: 'EUR', gross: '40.00', fee: '0.00', net: '40.00', presentmentAmount: '40.00', presentmentCurrency: 'EUR',
  exchangeRate: null, orderNumber: '1042', orderId: null, transactionId: 'uuid-1', altTransactionId: null, refundReference: null, providerReference: 'cap-1', description: '', occurredAt: null, ...l,
});
function ctx(orders: KnownOrder[], extra: Partial<MatchContext> = {}): MatchContext {
  const by = (key: (o: KnownOrder) => string | null) => {
    const m = new Map<string, KnownOrder[]>();
    for (const o of orders) { const k = key(o); if (k) m.set(k, [...(m.get(k) ?? []), o]); }
    return m;
  };
  return { tenantId: 'acme', ordersByTransaction: by((o) => o.transactionId), ordersById: by((o) => o.orderId), ordersByNumber: by((o) => o.orderNumber), invoices: new Map(), refunds: new Map(), creditInvoices: new Map(), usedRefunds: new Set(), ...extra };
}

describe('matching a settlement line', () => {
  it('matches by the Klarna order id the store keeps as transaction id, to the order\'s invoice', () => {
    const c = ctx([order({ transactionId: 'uuid-1', orderNumber: '9' })], { invoices: new Map([['se:1042', '5001']]) });
    expect(matchLine(line({}), mapping, c)).toMatchObject({ status: 'matched', documentNumber: '5001', order: { orderId: '1042' } });
  });

  it('waits with a reason naming both references when no order carries them', () => {
    expect(matchLine(line({}), mapping, ctx([]))).toEqual({
      status: 'waiting',
      code: 'ORDER_NOT_FOUND',
      reason: 'No order with Klarna order id uuid-1 or order number 1042 in the stores of tenant "acme" paid with klarna_payments, kco. It is matched automatically when the order arrives; if it never will, check the gateways of mapping klarna/K1 or resolve the line by hand.',
    });
  });

  it('says which two orders carry the same merchant reference', () => {
    const outcome = matchLine(line({ transactionId: null }), mapping, ctx([order({}), order({ storeId: 'de', gateway: 'kco' })]));
    expect(outcome).toMatchObject({ status: 'waiting', code: 'ORDER_AMBIGUOUS', reason: expect.stringMatching(/^Two orders carry merchant reference 1042: order 1042 \(store "se", id 1042\), order 1042 \(store "de", id 1042\)/) });
  });

  it('ignores orders paid through a gateway of another provider', () => {
    expect(matchLine(line({ transactionId: null }), mapping, ctx([order({ gateway: 'stripe' })]))).toMatchObject({ status: 'waiting', code: 'ORDER_NOT_FOUND' });
  });

  it('waits for the invoice when the order is known but the ERP has not recorded it', () => {
    expect(matchLine(line({}), mapping, ctx([order({ transactionId: 'uuid-1' })]))).toMatchObject({ status: 'waiting', code: 'INVOICE_NOT_RECORDED' });
  });

  it('matches refund lines to the credit invoice of a refund by reference, else by amount, each refund once', () => {
    const refunds = new Map([['se:1042', [{ refundId: '77', amount: '10.00', currency: 'EUR', createdAt: '' }, { refundId: '78', amount: '10.00', currency: 'EUR', createdAt: '' }]]]);
    const c = ctx([order({ transactionId: 'uuid-1' })], { refunds, creditInvoices: new Map([['se:77', 'C77'], ['se:78', 'C78']]) });
    const refund = (ref: string | null) => line({ kind: 'refund', gross: '-10.00', net: '-10.00', presentmentAmount: '10.00', refundReference: ref });
    expect(matchLine(refund('wc-refund-78'), mapping, c)).toMatchObject({ status: 'matched', documentNumber: 'C78', refundId: '78' });
    expect(matchLine(refund(null), mapping, c)).toMatchObject({ status: 'matched', documentNumber: 'C77', refundId: '77' });
    expect(matchLine(refund(null), mapping, c)).toMatchObject({ status: 'waiting', code: 'REFUND_NOT_FOUND', reason: expect.stringContaining('has no refund of 10.00 EUR') });
  });

  it('refuses a line charged in another currency than the order', () => {
    const outcome = matchLine(line({ presentmentCurrency: 'USD' }), mapping, ctx([order({ transactionId: 'uuid-1' })]));
    expect(outcome).toMatchObject({ status: 'waiting', code: 'CURRENCY_MISMATCH' });
  });
});
