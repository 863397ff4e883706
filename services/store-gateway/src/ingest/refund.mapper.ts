import type { OrderRefunded } from '@ledgerline/contracts';
import type { WooMetaData, WooOrder, WooRefund } from '@ledgerline/woocommerce';
import { MappingRefusedError } from './mapping-refused.error';
import { describeOrder, lineTaxes, type StoreRef } from './order.mapper';
import { decodeEntities, flipSign, gmtToIso, idOrNull, metaText, textOrNull } from './woo-values';

function refundedItem(meta: WooMetaData[] | undefined, what: string, lineId: number): string {
  const id = metaText(meta, '_refunded_item_id');
  if (!id) {
    throw new MappingRefusedError('STORE_REFUND_INVALID', `Refund line ${lineId} of ${what} does not say which order line it refunds (no _refunded_item_id meta). Check the refund in WooCommerce; a plugin may have created it without line references.`);
  }
  return id;
}

/**
 * Maps a WooCommerce refund of `order` to `order.refunded` (pure). WooCommerce reports refund lines negative
 * (../shared/contracts/woocommerce/order-refunds-list.json); the contract wants them positive, so signs are flipped.
 */
export function toOrderRefunded(store: StoreRef, order: WooOrder, r: WooRefund): OrderRefunded {
  const what = `refund ${r.id} of ${describeOrder(store, order)}`;
  const c = order.currency;
  const money = (amount: string) => ({ amount: flipSign(amount), currency: c });
  const createdAt = gmtToIso(r.date_created_gmt);
  if (!createdAt) throw new MappingRefusedError('STORE_REFUND_INVALID', `WooCommerce ${what} has no date_created_gmt; check the store's plugins, then replay.`);
  const lines = (r.line_items ?? []).map((l) => ({
    lineId: String(l.id),
    orderLineId: refundedItem(l.meta_data, what, l.id),
    productId: idOrNull(l.product_id),
    variationId: idOrNull(l.variation_id),
    sku: textOrNull(l.sku),
    name: decodeEntities(l.name),
    quantity: flipSign(String(l.quantity)),
    total: money(l.total),
    totalTax: money(l.total_tax),
    taxes: lineTaxes(l.taxes, c, flipSign),
  }));
  const shippingLines = (r.shipping_lines ?? []).map((s) => ({
    lineId: String(s.id),
    orderLineId: refundedItem(s.meta_data, what, s.id),
    total: money(s.total),
    totalTax: money(s.total_tax),
    taxes: lineTaxes(s.taxes, c, flipSign),
  }));
  const feeLines = (r.fee_lines ?? []).map((f) => ({
    lineId: String(f.id),
    orderLineId: refundedItem(f.meta_data, what, f.id),
    name: decodeEntities(f.name),
    total: money(f.total),
    totalTax: money(f.total_tax),
    taxes: lineTaxes(f.taxes, c, flipSign),
  }));
  return {
    refundId: String(r.id),
    orderRef: { tenantId: store.tenantId, storeId: store.storeId, orderId: String(order.id), orderNumber: textOrNull(order.number) ?? String(order.id) },
    currency: c,
    createdAt,
    // `amount` is already positive in refund objects (NOTES-rest-api.md, "Refunds").
    amount: { amount: r.amount.replace(/^-/, ''), currency: c },
    reason: textOrNull(r.reason),
    amountOnly: lines.length + shippingLines.length + feeLines.length === 0,
    refundedPayment: r.refunded_payment === true,
    lines,
    shippingLines,
    feeLines,
  };
}
