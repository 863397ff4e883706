import { csvDocument } from '../common/csv';
import { isoSeconds } from '../common/dates';
import { major, minorUnits } from '../common/money';
import type { Payout, SettlementRecord } from '../ledger/settlement-engine';
import { purchaseCountry, type KlarnaPayoutData, type KlarnaTxn } from './klarna.book';

export type KlarnaPayout = Payout<KlarnaTxn, KlarnaPayoutData>;

export function payoutDate(p: KlarnaPayout): string {
  return `${p.arrivalDate}T06:00:00Z`;
}

/** `Payout` (settlements-api-openapi.yml); `transactions` is the link Klarna gives. */
export function payoutJson(p: KlarnaPayout, apiUrl: string): Record<string, unknown> {
  return {
    totals: p.data.totals,
    payment_reference: p.payoutId,
    payout_date: payoutDate(p),
    currency_code: p.currency,
    currency_code_of_registration_country: p.currency,
    merchant_settlement_type: 'NET',
    merchant_id: p.merchantAccount,
    transactions: `${apiUrl}/transactions?payment_reference=${p.payoutId}`,
  };
}

/** `Transaction` in the field order of the constructed example; optional fields only when set. */
export function transactionJson(p: KlarnaPayout, r: SettlementRecord<KlarnaTxn>, apiUrl: string): Record<string, unknown> {
  const t = r.data;
  const pay = t.payment;
  const out: Record<string, unknown> = {
    amount: minorUnits(t.amount, t.currency),
    capture_id: t.captureId,
    merchant_reference1: pay?.orderNumber ?? null,
    sale_date: isoSeconds(t.saleDate),
    type: t.type,
    capture_date: isoSeconds(t.captureDate),
    payment_reference: p.payoutId,
    order_id: pay?.transactionId ?? null,
    payout: `${apiUrl}/payouts/${p.payoutId}`,
    short_order_id: pay?.secondaryId ?? null,
    merchant_reference2: pay?.orderId ?? null,
    currency_code: t.currency,
    purchase_country: purchaseCountry(pay?.currency ?? t.currency),
    vat_rate: 0,
    vat_amount: 0,
    shipping_country: purchaseCountry(pay?.currency ?? t.currency),
    initial_payment_method_type: pay?.paymentMethod ?? 'invoice',
    detailed_type: t.detailedType,
  };
  if (t.merchantCaptureReference) out.merchant_capture_reference = t.merchantCaptureReference;
  if (t.refundId) out.refund_id = t.refundId;
  if (t.merchantRefundReference) out.merchant_refund_reference = t.merchantRefundReference;
  if (t.reversalReference) out.reversal_reference = t.reversalReference;
  if (t.klarnaComment) out.klarna_comment = t.klarnaComment;
  return out;
}

/** Header of the constructed settlement report (column order is the contract's own choice, see SETTLEMENTS.md). */
export const KLARNA_REPORT_COLUMNS = [
  'merchant_id', 'payment_reference', 'payout_date', 'type', 'detailed_type', 'amount', 'currency_code', 'vat_rate', 'vat_amount', 'order_id', 'short_order_id', 'capture_id', 'refund_id',
  'merchant_reference1', 'merchant_reference2', 'merchant_capture_reference', 'merchant_refund_reference', 'sale_date', 'capture_date', 'purchase_country', 'shipping_country',
  'initial_payment_method_type', 'reversal_reference', 'klarna_comment',
] as const;

export function reportRows(p: KlarnaPayout): string[][] {
  return p.records.map((r) => {
    const t = r.data;
    const pay = t.payment;
    return [
      p.merchantAccount,
      p.payoutId,
      payoutDate(p),
      t.type,
      t.detailedType,
      major(t.amount, t.currency),
      t.currency,
      '0.00',
      '0.00',
      pay?.transactionId ?? '',
      pay?.secondaryId ?? '',
      t.captureId,
      t.refundId,
      pay?.orderNumber ?? '',
      pay?.orderId ?? '',
      t.merchantCaptureReference,
      t.merchantRefundReference,
      isoSeconds(t.saleDate),
      isoSeconds(t.captureDate),
      purchaseCountry(pay?.currency ?? t.currency),
      purchaseCountry(pay?.currency ?? t.currency),
      pay?.paymentMethod ?? 'invoice',
      t.reversalReference,
      t.klarnaComment,
    ];
  });
}

/** Semicolon-separated, amounts in major units with a point (SETTLEMENTS.md, "CSV settlement report"). */
export function reportCsv(rows: string[][]): string {
  return csvDocument(KLARNA_REPORT_COLUMNS, rows, ';');
}
