import type { Prng } from '../generate/prng';
import type { OrdersService } from '../orders/orders.service';
import { GATEWAY_TITLES, REFUNDABLE_GATEWAYS } from '../orders/order-statuses';
import { derivedStockStatus } from '../products/product-rest.mapper';
import type { FeeLineRecord, ItemTax, LineItemRecord, MetaData, OrderRecord, RefundRecord, ShippingLineRecord } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import { formatCents, formatMicros, parseCents, tryParseCents } from '../tax/money';
import type { HookSink } from '../webhooks/request-hooks';
import { arrayOf, toInt, truthy, type Json } from '../wp/json-values';
import { invalidId, WpError } from '../wp/wp-error';

/** A refund of one order item: quantity and amounts as positive numbers (cents), tax per rate id. */
export interface RefundItemRequest {
  itemId: number;
  quantity: number;
  refundTotalCents: number;
  refundTaxCents: Map<number, number>;
}

/** What to refund, as `wc_create_refund` takes it. */
export interface RefundRequest {
  /** Null: the sum of the item refunds. */
  amountCents: number | null;
  reason: string;
  items: RefundItemRequest[];
  /** Ask the payment gateway to refund (REST `api_refund`, default true). */
  refundPayment: boolean;
  /** Put refunded quantities back in stock (REST `api_restock`, default true). */
  restockItems: boolean;
  refundedBy: number;
}

/**
 * Order refunds as `wc_create_refund` makes them: negative copies of the refunded items with
 * `_refunded_item_id`, the order's total untouched, the order `refunded` once nothing is left, and
 * `order.updated` fired (there is no refund webhook topic; NOTES-rest-api.md, "Refunds").
 */
export class RefundsService {
  constructor(
    private readonly state: WooStoreState,
    private readonly orders: OrdersService,
    private readonly random: Prng,
  ) {}

  /** The refund with this id if it belongs to the order. */
  get(orderId: number, refundId: number): RefundRecord | undefined {
    return this.state.orders.get(orderId)?.refunds.find((r) => r.id === refundId);
  }

  /** Turns a REST body (`amount`, `reason`, `line_items`, `api_refund`, `api_restock`) into a {@link RefundRequest}. */
  fromRest(input: Json, refundedBy: number): RefundRequest {
    const items: RefundItemRequest[] = arrayOf(input['line_items']).map((li) => ({
      itemId: toInt(li['id']) ?? 0,
      quantity: toInt(li['quantity']) ?? 0,
      refundTotalCents: tryParseCents(li['refund_total']) ?? 0,
      refundTaxCents: new Map(arrayOf(li['refund_tax']).map((t) => [toInt(t['id']) ?? 0, tryParseCents(t['refund_total']) ?? 0])),
    }));
    const amount = input['amount'] === undefined || input['amount'] === null || input['amount'] === '' ? null : tryParseCents(input['amount']);
    if (amount === null && input['amount'] !== undefined && input['amount'] !== null && input['amount'] !== '') {
      throw new WpError(400, 'rest_invalid_param', 'Invalid parameter(s): amount', { params: { amount: 'amount is not of type string.' } });
    }
    return {
      amountCents: amount,
      reason: typeof input['reason'] === 'string' ? input['reason'] : '',
      items,
      refundPayment: input['api_refund'] === undefined ? true : truthy(input['api_refund']),
      restockItems: input['api_restock'] === undefined ? true : truthy(input['api_restock']),
      refundedBy,
    };
  }

  /** Creates a refund; errors are WooCommerce's (`woocommerce_rest_cannot_create_order_refund` is a 500 there). */
  create(orderId: number, req: RefundRequest, hooks: HookSink, at?: Date): RefundRecord {
    const order = this.state.orders.get(orderId);
    if (!order) throw new WpError(404, 'woocommerce_rest_invalid_order_id', 'Invalid order ID.');
    const itemsSum = req.items.reduce((a, i) => a + i.refundTotalCents + [...i.refundTaxCents.values()].reduce((x, y) => x + y, 0), 0);
    const amount = req.amountCents ?? itemsSum;
    if (amount < 0) throw new WpError(400, 'woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.');
    const remaining = remainingRefundCents(order);
    if (amount > remaining) throw cannotCreate('Invalid refund amount.');

    const refund: RefundRecord = {
      id: this.state.nextOrderId(),
      orderId: order.id,
      dateCreated: at ?? this.state.clock.now(),
      amount: formatCents(amount),
      reason: req.reason,
      refunded_by: req.refundedBy,
      refunded_payment: false,
      meta_data: [],
      line_items: [],
      shipping_lines: [],
      fee_lines: [],
    };
    for (const item of req.items) this.addRefundItem(order, refund, item);

    if (req.refundPayment && amount > 0) {
      // wc_refund_payment: the gateway must exist and support refunds, else the refund is rolled back.
      if (!(order.payment_method in GATEWAY_TITLES)) throw cannotCreate('The payment gateway for this order does not exist.');
      if (!REFUNDABLE_GATEWAYS.includes(order.payment_method)) throw cannotCreate('The payment gateway for this order does not support automatic refunds.');
      refund.refunded_payment = true;
      if (order.payment_method === 'stripe') refund.meta_data.push(this.meta('_stripe_refund_id', `re_${this.random.chars(24)}`));
    }

    order.refunds.unshift(refund);
    this.state.refundOrders.set(refund.id, order.id);
    if (req.restockItems) this.restock(order, req.items, hooks);
    if (remaining - amount <= 0) this.orders.setStatus(order, 'refunded', hooks);
    if (refund.dateCreated > order.dateModified) order.dateModified = refund.dateCreated;
    hooks.fire('order', 'updated', order.id);
    return refund;
  }

  /** Deletes a refund; WooCommerce trunk (>= 11.2) fires `order.updated` for it. */
  delete(orderId: number, refundId: number, hooks: HookSink): RefundRecord {
    const order = this.state.orders.get(orderId);
    const refund = order?.refunds.find((r) => r.id === refundId);
    if (!order || !refund) throw invalidId('shop_order_refund');
    order.refunds = order.refunds.filter((r) => r.id !== refundId);
    this.state.refundOrders.delete(refundId);
    order.dateModified = this.state.clock.now();
    hooks.fire('order', 'updated', order.id);
    return refund;
  }

  private addRefundItem(order: OrderRecord, refund: RefundRecord, item: RefundItemRequest): void {
    if (item.quantity === 0 && item.refundTotalCents === 0 && item.refundTaxCents.size === 0) return;
    const taxes: ItemTax[] = [...item.refundTaxCents].filter(([, c]) => c !== 0).map(([id, c]) => ({ id, total: formatMicros(-c * 10_000), subtotal: formatMicros(-c * 10_000) }));
    const taxCents = [...item.refundTaxCents.values()].reduce((a, b) => a + b, 0);
    const refMeta = this.meta('_refunded_item_id', String(item.itemId));
    const line = order.line_items.find((li) => li.id === item.itemId);
    if (line) {
      const refunded: LineItemRecord = {
        ...line,
        id: this.state.nextItemId(),
        quantity: -item.quantity,
        subtotal: formatCents(-item.refundTotalCents),
        subtotal_tax: formatCents(-taxCents),
        total: formatCents(-item.refundTotalCents),
        total_tax: formatCents(-taxCents),
        taxes,
        meta_data: [refMeta],
      };
      refund.line_items.push(refunded);
      return;
    }
    const shipping = order.shipping_lines.find((s) => s.id === item.itemId);
    if (shipping) {
      const refunded: ShippingLineRecord = { ...shipping, id: this.state.nextItemId(), total: formatCents(-item.refundTotalCents), total_tax: formatCents(-taxCents), taxes, meta_data: [refMeta] };
      refund.shipping_lines.push(refunded);
      return;
    }
    const fee = order.fee_lines.find((f) => f.id === item.itemId);
    if (fee) {
      const refunded: FeeLineRecord = { ...fee, id: this.state.nextItemId(), amount: formatCents(-item.refundTotalCents), total: formatCents(-item.refundTotalCents), total_tax: formatCents(-taxCents), taxes, meta_data: [refMeta] };
      refund.fee_lines.push(refunded);
    }
    // An id that is not an item of this order is skipped, as wc_create_refund does.
  }

  private restock(order: OrderRecord, items: RefundItemRequest[], hooks: HookSink): void {
    for (const item of items) {
      const line = order.line_items.find((li) => li.id === item.itemId);
      const product = line && this.state.products.get(line.variation_id || line.product_id);
      if (!product || !product.manage_stock || item.quantity <= 0) continue;
      product.stock_quantity = (product.stock_quantity ?? 0) + item.quantity;
      product.stock_status = derivedStockStatus(product);
      product.dateModified = this.state.clock.now();
      hooks.fire('product', 'updated', product.id);
    }
  }

  private meta(key: string, value: unknown): MetaData {
    return { id: this.state.nextMetaId(), key, value };
  }
}

/** `WC_Order::get_remaining_refund_amount`: total minus every refund so far (cents). */
export function remainingRefundCents(order: OrderRecord): number {
  return parseCents(order.total) - order.refunds.reduce((a, r) => a + parseCents(r.amount), 0);
}

function cannotCreate(message: string): WpError {
  return new WpError(500, 'woocommerce_rest_cannot_create_order_refund', message);
}
