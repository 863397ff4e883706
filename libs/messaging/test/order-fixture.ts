import { exampleOrder, type CanonicalOrder } from '@ledgerline/contracts';

/** An order payload whose order number carries `seq`, so tests can check the order in which events arrive. */
export function orderPayload(ref: { tenantId: string; storeId: string; orderId: string; seq: number }): { order: CanonicalOrder } {
  return { order: exampleOrder({ tenantId: ref.tenantId, storeId: ref.storeId, orderId: ref.orderId, orderNumber: `${ref.orderId}-${ref.seq}` }) };
}
