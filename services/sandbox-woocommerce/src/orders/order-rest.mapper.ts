import { reformat } from '../tax/money';
import { billingToRest, currencySymbol, link, restUrl, shippingToRest, type RestContext } from '../store/rest-context';
import type { FeeLineRecord, LineItemRecord, OrderRecord, ShippingLineRecord } from '../store/woo-records';

/**
 * Returns the order as `GET /wc/v3/orders/<id>` prints it: WooCommerce 8/9's field set in its key
 * order (order-constructed-fees-coupons-refund.json), money strings to `dp` decimals, `refunds`
 * as negative summaries, `order.total` never reduced by refunds.
 */
export function orderToRest(order: OrderRecord, ctx: RestContext): Record<string, unknown> {
  const m = (v: string): string => reformat(v, ctx.dp);
  const c = ctx.clock;
  const links: Record<string, unknown> = {
    self: link(restUrl(ctx, `orders/${order.id}`)),
    collection: link(restUrl(ctx, 'orders')),
  };
  if (order.customer_id > 0) links['customer'] = link(restUrl(ctx, `customers/${order.customer_id}`));
  const payable = order.status === 'pending' || order.status === 'failed';
  return {
    id: order.id,
    parent_id: order.parent_id,
    status: order.status,
    currency: order.currency,
    version: order.version,
    prices_include_tax: order.prices_include_tax,
    date_created: c.local(order.dateCreated),
    date_modified: c.local(order.dateModified),
    discount_total: m(order.discount_total),
    discount_tax: m(order.discount_tax),
    shipping_total: m(order.shipping_total),
    shipping_tax: m(order.shipping_tax),
    cart_tax: m(order.cart_tax),
    total: m(order.total),
    total_tax: m(order.total_tax),
    customer_id: order.customer_id,
    order_key: order.order_key,
    billing: billingToRest(order.billing),
    shipping: shippingToRest(order.shipping),
    payment_method: order.payment_method,
    payment_method_title: order.payment_method_title,
    transaction_id: order.transaction_id,
    customer_ip_address: order.customer_ip_address,
    customer_user_agent: order.customer_user_agent,
    created_via: order.created_via,
    customer_note: order.customer_note,
    date_completed: c.local(order.dateCompleted),
    date_paid: c.local(order.datePaid),
    cart_hash: order.cart_hash,
    number: String(order.id),
    meta_data: order.meta_data.map((x) => ({ ...x })),
    line_items: order.line_items.map((li) => lineItemToRest(li, ctx, true)),
    tax_lines: order.tax_lines.map((t) => ({ ...t, tax_total: m(t.tax_total), shipping_tax_total: m(t.shipping_tax_total), meta_data: [...t.meta_data] })),
    shipping_lines: order.shipping_lines.map((s) => shippingLineToRest(s, ctx)),
    fee_lines: order.fee_lines.map((f) => feeLineToRest(f, ctx)),
    coupon_lines: order.coupon_lines.map((cl) => ({ ...cl, discount: m(cl.discount), discount_tax: m(cl.discount_tax), meta_data: [...cl.meta_data] })),
    refunds: order.refunds.map((r) => ({ id: r.id, reason: r.reason, total: m(`-${r.amount}`) })),
    payment_url: `${ctx.siteUrl}/checkout/order-pay/${order.id}/?pay_for_order=true&key=${order.order_key}`,
    is_editable: ['pending', 'on-hold', 'checkout-draft'].includes(order.status),
    needs_payment: payable && order.total !== '0.00',
    needs_processing: order.line_items.length > 0,
    date_created_gmt: c.gmt(order.dateCreated),
    date_modified_gmt: c.gmt(order.dateModified),
    date_completed_gmt: c.gmt(order.dateCompleted),
    date_paid_gmt: c.gmt(order.datePaid),
    currency_symbol: currencySymbol(order.currency),
    _links: links,
  };
}

/**
 * A product line as the REST API prints it; `price` is a JSON number (total / quantity, 0 for a
 * zero quantity), not a string (NOTES-rest-api.md). Refund lines omit `image` and `parent_name`,
 * as in order-refund-constructed-with-line-items.json.
 */
export function lineItemToRest(li: LineItemRecord, ctx: RestContext, withImage: boolean): Record<string, unknown> {
  const m = (v: string): string => reformat(v, ctx.dp);
  const out: Record<string, unknown> = {
    id: li.id,
    name: li.name,
    product_id: li.product_id,
    variation_id: li.variation_id,
    quantity: li.quantity,
    tax_class: li.tax_class,
    subtotal: m(li.subtotal),
    subtotal_tax: m(li.subtotal_tax),
    total: m(li.total),
    total_tax: m(li.total_tax),
    taxes: li.taxes.map((t) => ({ ...t })),
    meta_data: li.meta_data.map((x) => ({ ...x })),
    sku: li.sku,
    // Divided by |quantity|: refund lines (quantity -1, total -9.00) print price -9 in the contract.
    price: li.quantity === 0 ? 0 : Number(li.total) / Math.abs(li.quantity),
  };
  if (withImage) {
    out['image'] = { ...li.image };
    out['parent_name'] = li.parent_name;
  }
  return out;
}

function shippingLineToRest(s: ShippingLineRecord, ctx: RestContext): Record<string, unknown> {
  return { ...s, total: reformat(s.total, ctx.dp), total_tax: reformat(s.total_tax, ctx.dp), taxes: s.taxes.map((t) => ({ ...t })), meta_data: s.meta_data.map((x) => ({ ...x })) };
}

function feeLineToRest(f: FeeLineRecord, ctx: RestContext): Record<string, unknown> {
  return { ...f, total: reformat(f.total, ctx.dp), total_tax: reformat(f.total_tax, ctx.dp), taxes: f.taxes.map((t) => ({ ...t })), meta_data: f.meta_data.map((x) => ({ ...x })) };
}
