import { lineItemToRest } from '../orders/order-rest.mapper';
import { reformat } from '../tax/money';
import { link, restUrl, type RestContext } from '../store/rest-context';
import type { RefundRecord } from '../store/woo-records';

/** Returns the refund as `GET /wc/v3/orders/<order>/refunds/<id>` prints it (order-refund*.json). */
export function refundToRest(refund: RefundRecord, ctx: RestContext): Record<string, unknown> {
  return {
    id: refund.id,
    date_created: ctx.clock.local(refund.dateCreated),
    date_created_gmt: ctx.clock.gmt(refund.dateCreated),
    amount: reformat(refund.amount, ctx.dp),
    reason: refund.reason,
    refunded_by: refund.refunded_by,
    refunded_payment: refund.refunded_payment,
    meta_data: refund.meta_data.map((x) => ({ ...x })),
    line_items: refund.line_items.map((li) => lineItemToRest(li, ctx, false)),
    _links: {
      self: link(restUrl(ctx, `orders/${refund.orderId}/refunds/${refund.id}`)),
      collection: link(restUrl(ctx, `orders/${refund.orderId}/refunds`)),
      up: link(restUrl(ctx, `orders/${refund.orderId}`)),
    },
  };
}
