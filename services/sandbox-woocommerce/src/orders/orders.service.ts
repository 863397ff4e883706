import type { Prng } from '../generate/prng';
import { dateFilter, sortRecords } from '../http/collection';
import { derivedStockStatus } from '../products/product-rest.mapper';
import { mergeAddress, mergeMeta } from '../store/record-updates';
import { EMPTY_ADDRESS, type OrderRecord, type OrderStatus, type ProductRecord } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import { findRates } from '../tax/tax-rates';
import { parseCents, tryParseCents } from '../tax/money';
import { inclusiveTaxCents } from '../tax/order-totals.calculator';
import type { HookSink } from '../webhooks/request-hooks';
import { invalidId, WpError } from '../wp/wp-error';
import { arrayOf, isObject, toInt, type Json } from '../wp/json-values';
import { assembleOrder, type DraftCoupon, type DraftFee, type DraftLine, type DraftOrder, type DraftShipping } from './order-assembler';
import { GATEWAY_TITLES, HIDDEN_FROM_ANY, PAYABLE_STATUSES, STOCK_REDUCING_STATUSES } from './order-statuses';

/**
 * Orders as WooCommerce's REST orders controller (v2/v3) keeps them: create with totals
 * calculated, update with recalculation when items or addresses change, trash or delete, and the
 * hooks each change fires (`order.created` + `order.updated` on a REST create, issue #19764).
 */
export class OrdersService {
  constructor(
    private readonly state: WooStoreState,
    private readonly random: Prng,
  ) {}

  get(id: number): OrderRecord | undefined {
    return this.state.orders.get(id);
  }

  /** The orders matching the list parameters (already validated), sorted; paging is the caller's. */
  list(params: Json): OrderRecord[] {
    const statuses = (params['status'] as string[] | undefined) ?? ['any'];
    const any = statuses.includes('any');
    const include = params['include'] as number[] | undefined;
    const exclude = params['exclude'] as number[] | undefined;
    const parents = params['parent'] as number[] | undefined;
    const customer = params['customer'] as number | undefined;
    const product = params['product'] as number | undefined;
    const search = typeof params['search'] === 'string' ? (params['search'] as string).toLowerCase() : undefined;
    const inDates = dateFilter(params, this.state.clock);
    const matches = [...this.state.orders.values()].filter((o) => {
      if (any ? HIDDEN_FROM_ANY.includes(o.status) : !statuses.includes(o.status)) return false;
      if (include && include.length > 0 && !include.includes(o.id)) return false;
      if (exclude && exclude.includes(o.id)) return false;
      if (parents && parents.length > 0 && !parents.includes(o.parent_id)) return false;
      if (customer !== undefined && o.customer_id !== customer) return false;
      if (product !== undefined && !o.line_items.some((li) => li.product_id === product || li.variation_id === product)) return false;
      if (search && !searchText(o).includes(search)) return false;
      return inDates(o.dateCreated, o.dateModified);
    });
    const orderby = params['orderby'] ?? 'date';
    const key = (o: OrderRecord): number => (orderby === 'id' ? o.id : orderby === 'modified' ? o.dateModified.getTime() : o.dateCreated.getTime());
    return sortRecords(matches, key, params['order'], orderby === 'include' ? include : undefined);
  }

  /** `POST /orders`: WC_REST_Orders_V2_Controller::save_object with `$creating`. */
  create(input: Json, hooks: HookSink, createdVia = 'rest-api'): OrderRecord {
    if (input['id'] !== undefined && input['id'] !== 0) throw new WpError(400, 'woocommerce_rest_shop_order_exists', 'Cannot create existing shop_order.');
    const now = this.state.clock.now();
    const order: OrderRecord = {
      id: this.state.nextOrderId(),
      parent_id: toInt(input['parent_id']) ?? 0,
      status: 'pending',
      statusBeforeTrash: null,
      currency: typeof input['currency'] === 'string' ? input['currency'] : this.state.settings.currency,
      version: this.state.settings.wcVersion,
      prices_include_tax: this.state.settings.pricesIncludeTax,
      dateCreated: now,
      dateModified: now,
      datePaid: null,
      dateCompleted: null,
      discount_total: '0.00',
      discount_tax: '0.00',
      shipping_total: '0.00',
      shipping_tax: '0.00',
      cart_tax: '0.00',
      total: '0.00',
      total_tax: '0.00',
      customer_id: 0,
      order_key: `wc_order_${this.random.chars(13)}`,
      billing: { ...EMPTY_ADDRESS, email: '' },
      shipping: { ...EMPTY_ADDRESS },
      payment_method: '',
      payment_method_title: '',
      transaction_id: '',
      customer_ip_address: '',
      customer_user_agent: '',
      created_via: createdVia,
      customer_note: '',
      cart_hash: '',
      meta_data: [],
      line_items: [],
      tax_lines: [],
      shipping_lines: [],
      fee_lines: [],
      coupon_lines: [],
      refunds: [],
      stockReduced: false,
    };
    this.applyProps(order, input);
    this.recalculate(order, input, true);
    if (typeof input['status'] === 'string') this.setStatus(order, input['status'] as OrderStatus, hooks);
    this.state.orders.set(order.id, order);
    if (input['set_paid'] === true) this.paymentComplete(order, input['transaction_id'], hooks);
    hooks.fire('order', 'created', order.id);
    hooks.fire('order', 'updated', order.id);
    return order;
  }

  /** `PUT /orders/<id>`: 400 `woocommerce_rest_shop_order_invalid_id` for an unknown id, as WooCommerce answers updates. */
  update(id: number, input: Json, hooks: HookSink): OrderRecord {
    const order = this.state.orders.get(id);
    if (!order) throw invalidId('shop_order', 400);
    this.applyProps(order, input);
    const itemsChanged = ['billing', 'shipping', 'line_items', 'shipping_lines', 'fee_lines', 'coupon_lines'].some((k) => input[k] !== undefined);
    if (itemsChanged) this.recalculate(order, input, false);
    if (typeof input['status'] === 'string') this.setStatus(order, input['status'] as OrderStatus, hooks);
    if (input['set_paid'] === true && PAYABLE_STATUSES.includes(order.status)) this.paymentComplete(order, input['transaction_id'], hooks);
    order.dateModified = this.state.clock.now();
    hooks.fire('order', 'updated', order.id);
    return order;
  }

  /**
   * `DELETE /orders/<id>`: to the trash (fires `order.deleted`), or with `force` gone for good, which
   * fires no webhook (no `order.deleted` hook runs on a permanent delete; webhook-delivery.md topics).
   */
  delete(id: number, force: boolean, hooks: HookSink): OrderRecord {
    const order = this.state.orders.get(id);
    if (!order) throw invalidId('shop_order');
    if (force) {
      this.state.orders.delete(id);
      for (const r of order.refunds) this.state.refundOrders.delete(r.id);
      return order;
    }
    if (order.status === 'trash') throw new WpError(410, 'woocommerce_rest_already_trashed', 'The shop_order has already been deleted.');
    this.trash(order, hooks);
    return order;
  }

  /** Admin "Move to Trash" (HPOS `woocommerce_trash_order`). */
  trash(order: OrderRecord, hooks: HookSink): void {
    order.statusBeforeTrash = order.status;
    order.status = 'trash';
    order.dateModified = this.state.clock.now();
    hooks.fire('order', 'deleted', order.id);
  }

  /** Admin "Restore" from the trash (HPOS `woocommerce_untrash_order`). */
  restore(order: OrderRecord, hooks: HookSink): void {
    if (order.status !== 'trash') return;
    order.status = order.statusBeforeTrash ?? 'pending';
    order.statusBeforeTrash = null;
    order.dateModified = this.state.clock.now();
    hooks.fire('order', 'restored', order.id);
  }

  /** Status change with the dates and stock handling WooCommerce attaches to it. */
  setStatus(order: OrderRecord, status: OrderStatus, hooks: HookSink): void {
    if (order.status === status) return;
    order.status = status;
    const now = this.state.clock.now();
    if ((status === 'processing' || status === 'completed') && order.datePaid === null) order.datePaid = now;
    if (status === 'completed') order.dateCompleted = now;
    if (STOCK_REDUCING_STATUSES.includes(status)) this.reduceStock(order, hooks);
  }

  /** `WC_Order::payment_complete()`. */
  paymentComplete(order: OrderRecord, transactionId: unknown, hooks: HookSink): void {
    if (typeof transactionId === 'string' && transactionId !== '') order.transaction_id = transactionId;
    if (order.datePaid === null) order.datePaid = this.state.clock.now();
    if (PAYABLE_STATUSES.includes(order.status)) this.setStatus(order, 'processing', hooks);
    this.reduceStock(order, hooks);
    const customer = this.state.customers.get(order.customer_id);
    if (customer) customer.is_paying_customer = true;
  }

  /**
   * `wc_maybe_reduce_stock_levels`: once per order, managed stock goes down by the line quantities
   * and each product is saved, which fires `product.updated`.
   */
  private reduceStock(order: OrderRecord, hooks: HookSink): void {
    if (order.stockReduced) return;
    order.stockReduced = true;
    for (const li of order.line_items) {
      const product = this.state.products.get(li.variation_id || li.product_id);
      if (!product || !product.manage_stock) continue;
      product.stock_quantity = (product.stock_quantity ?? 0) - li.quantity;
      product.stock_status = derivedStockStatus(product);
      product.total_sales += li.quantity;
      product.dateModified = this.state.clock.now();
      hooks.fire('product', 'updated', product.id);
    }
  }

  private applyProps(order: OrderRecord, input: Json): void {
    if (input['customer_id'] !== undefined) {
      const id = toInt(input['customer_id']) ?? 0;
      if (id !== 0 && !this.state.customers.has(id)) throw new WpError(400, 'woocommerce_rest_invalid_customer_id', 'Customer ID is invalid.');
      order.customer_id = id;
    }
    if (isObject(input['billing'])) order.billing = mergeAddress(order.billing, input['billing'], true);
    if (isObject(input['shipping'])) order.shipping = mergeAddress(order.shipping, input['shipping'], false);
    for (const key of ['payment_method', 'payment_method_title', 'transaction_id', 'customer_note', 'customer_ip_address', 'customer_user_agent'] as const) {
      if (typeof input[key] === 'string') order[key] = input[key] as string;
    }
    if (typeof input['payment_method'] === 'string' && typeof input['payment_method_title'] !== 'string' && order.payment_method_title === '') {
      order.payment_method_title = GATEWAY_TITLES[order.payment_method] ?? order.payment_method;
    }
    if (Array.isArray(input['meta_data'])) order.meta_data = mergeMeta(this.state, order.meta_data, input['meta_data']);
  }

  /** Rebuilds items and totals from the request and the current items (`calculate_totals(true)`). */
  private recalculate(order: OrderRecord, input: Json, creating: boolean): void {
    const lines: DraftLine[] = order.line_items.map((li) => ({
      itemId: li.id,
      productId: li.product_id,
      variationId: li.variation_id,
      name: li.name,
      parentName: li.parent_name,
      sku: li.sku,
      taxClass: li.tax_class,
      taxable: li.taxes.length > 0 || this.isTaxable(li.variation_id || li.product_id),
      quantity: li.quantity,
      unitPriceCents: 0,
      explicitNet: { subtotalCents: parseCents(li.subtotal), totalCents: parseCents(li.subtotal) },
      meta: li.meta_data,
      imageId: li.image.id,
    }));
    for (const posted of arrayOf(input['line_items'])) this.applyLineItem(lines, posted, creating, order.prices_include_tax);

    const fees: DraftFee[] = order.fee_lines.map((f) => ({ itemId: f.id, name: f.name, amountCents: parseCents(f.total), taxClass: f.tax_class, taxable: f.tax_status === 'taxable' }));
    for (const posted of arrayOf(input['fee_lines'])) {
      const existing = fees.findIndex((f) => f.itemId !== undefined && f.itemId === toInt(posted['id']));
      if (existing >= 0 && posted['name'] === null) fees.splice(existing, 1);
      else if (existing >= 0) Object.assign(fees[existing], feeProps(posted, fees[existing]));
      else fees.push({ name: 'Fee', amountCents: 0, taxClass: '', taxable: true, ...feeProps(posted) });
    }

    const shipping: DraftShipping[] = order.shipping_lines.map((s) => ({ itemId: s.id, methodId: s.method_id, methodTitle: s.method_title, instanceId: s.instance_id, amountCents: parseCents(s.total), meta: s.meta_data }));
    for (const posted of arrayOf(input['shipping_lines'])) {
      const existing = shipping.findIndex((s) => s.itemId !== undefined && s.itemId === toInt(posted['id']));
      if (existing >= 0 && posted['method_id'] === null) shipping.splice(existing, 1);
      else if (existing >= 0) Object.assign(shipping[existing], shippingProps(posted));
      else shipping.push({ methodId: '', methodTitle: '', instanceId: '0', amountCents: 0, meta: [], ...shippingProps(posted) });
    }

    const coupons: DraftCoupon[] = order.coupon_lines.map((c) => ({ code: c.code, type: c.discount_type, amount: c.nominal_amount }));
    for (const posted of arrayOf(input['coupon_lines'])) {
      if (posted['id'] !== undefined && posted['code'] === null) {
        const gone = order.coupon_lines.find((c) => c.id === toInt(posted['id']));
        if (gone) coupons.splice(coupons.findIndex((c) => c.code === gone.code), 1);
        continue;
      }
      const code = String(posted['code'] ?? '').toLowerCase();
      if (code === '' || coupons.some((c) => c.code === code)) continue;
      const coupon = this.state.coupons.get(code);
      // Guess (WC_Coupon error text of newer versions): the contract has no coupon error example.
      if (!coupon) throw new WpError(400, 'invalid_coupon', `Coupon "${code}" cannot be applied because it does not exist.`);
      coupons.push({ code: coupon.code, type: coupon.discount_type, amount: coupon.amount });
    }

    const draft: DraftOrder = { pricesIncludeTax: false, country: this.taxCountry(order), lines, fees, shipping, coupons };
    Object.assign(order, assembleOrder(this.state, draft));
  }

  /**
   * One posted line item: update (by `id`), remove (`quantity: 0` or `product_id: null`), or add.
   * An update that changes only the quantity keeps the line's totals, as `prepare_line_items` does
   * (it prices a line from its product only on create); clients must send `subtotal`/`total`.
   * Read from WooCommerce's orders controller, not in the contract files: verify on a live store.
   */
  private applyLineItem(lines: DraftLine[], posted: Json, creating: boolean, pricesIncludeTax: boolean): void {
    const id = toInt(posted['id']);
    const index = id === undefined ? -1 : lines.findIndex((l) => l.itemId === id);
    if (index >= 0 && (posted['quantity'] === 0 || posted['product_id'] === null)) {
      lines.splice(index, 1);
      return;
    }
    const line: DraftLine =
      index >= 0
        ? lines[index]
        : { productId: 0, variationId: 0, name: '', parentName: null, sku: '', taxClass: '', taxable: true, quantity: 1, unitPriceCents: 0, explicitNet: { subtotalCents: 0, totalCents: 0 }, meta: [] };
    const productId = this.productIdFor(posted, creating || index < 0);
    const product = productId ? this.state.products.get(productId) : undefined;
    if (posted['quantity'] !== undefined) line.quantity = toInt(posted['quantity']) ?? line.quantity;
    if (product && (index < 0 || product.id !== (line.variationId || line.productId))) {
      // A line for a product that does not exist is kept without product data, as WooCommerce does.
      this.setLineProduct(line, product, pricesIncludeTax);
    }
    if (typeof posted['name'] === 'string') line.name = posted['name'];
    if (typeof posted['tax_class'] === 'string') line.taxClass = posted['tax_class'];
    const subtotal = tryParseCents(posted['subtotal']);
    const total = tryParseCents(posted['total']);
    if (subtotal !== null || total !== null) {
      const net = line.explicitNet ?? { subtotalCents: 0, totalCents: 0 };
      line.explicitNet = { subtotalCents: subtotal ?? total ?? net.subtotalCents, totalCents: total ?? subtotal ?? net.totalCents };
    } else if (product && line.explicitNet) {
      const net = this.netLinePrice(product, line.quantity, pricesIncludeTax);
      line.explicitNet = { subtotalCents: net, totalCents: net };
    }
    if (index < 0) lines.push(line);
  }

  /** `get_product_id`: sku first, then product_id (without a variation), then variation_id. */
  private productIdFor(posted: Json, required: boolean): number {
    if (typeof posted['sku'] === 'string' && posted['sku'] !== '') return this.state.skus.get(posted['sku']) ?? 0;
    const productId = toInt(posted['product_id']) ?? 0;
    const variationId = toInt(posted['variation_id']) ?? 0;
    if (productId && !variationId) return productId;
    if (variationId) return variationId;
    if (!required) return 0;
    throw new WpError(400, 'woocommerce_rest_required_product_reference', 'Product ID or SKU is required.');
  }

  private setLineProduct(line: DraftLine, product: ProductRecord, pricesIncludeTax: boolean): void {
    const parent = product.type === 'variation' ? this.state.products.get(product.parent_id) : undefined;
    line.productId = parent ? parent.id : product.id;
    line.variationId = parent ? product.id : 0;
    line.name = parent ? `${parent.name} - ${product.attributes.map((a) => a['option']).join(', ')}` : product.name;
    line.parentName = parent ? parent.name : null;
    line.sku = product.sku;
    line.taxClass = product.tax_class;
    line.taxable = product.tax_status === 'taxable';
    line.imageId = product.images[0]?.id ?? parent?.images[0]?.id ?? 0;
    line.meta = product.attributes.map((a) => ({ id: this.state.nextMetaId(), key: String(a['slug'] ?? a['name']).toLowerCase(), value: String(a['option']).toLowerCase(), display_key: String(a['name']), display_value: String(a['option']) }));
    const net = this.netLinePrice(product, line.quantity, pricesIncludeTax);
    line.explicitNet = { subtotalCents: net, totalCents: net };
  }

  /** `wc_get_price_excluding_tax($product, ['qty' => n])`: a gross catalogue price loses the base country's tax. */
  private netLinePrice(product: ProductRecord, quantity: number, pricesIncludeTax: boolean): number {
    const price = product.sale_price !== '' && parseCents(product.sale_price) < parseCents(product.regular_price || '0') ? product.sale_price : product.regular_price;
    const gross = (tryParseCents(price) ?? 0) * quantity;
    if (!pricesIncludeTax || product.tax_status !== 'taxable') return gross;
    return gross - inclusiveTaxCents(gross, findRates(this.state.settings.baseCountry, product.tax_class));
  }

  private isTaxable(productId: number): boolean {
    const product = this.state.products.get(productId);
    return product ? product.tax_status === 'taxable' : true;
  }

  /** Tax based on the shipping address (WooCommerce's default), then billing, then the shop base. */
  private taxCountry(order: OrderRecord): string {
    return order.shipping.country || order.billing.country || this.state.settings.baseCountry;
  }
}

function searchText(o: OrderRecord): string {
  const a = o.billing;
  return [o.id, a.first_name, a.last_name, a.company, a.email ?? '', a.city, o.shipping.first_name, o.shipping.last_name, o.transaction_id, ...o.line_items.map((li) => li.name)].join(' ').toLowerCase();
}

function feeProps(posted: Json, current?: DraftFee): Partial<DraftFee> {
  const out: Partial<DraftFee> = {};
  if (typeof posted['name'] === 'string') out.name = posted['name'];
  const total = tryParseCents(posted['total']);
  if (total !== null) out.amountCents = total;
  if (typeof posted['tax_class'] === 'string') out.taxClass = posted['tax_class'];
  if (posted['tax_status'] !== undefined) out.taxable = posted['tax_status'] === 'taxable';
  else if (!current) out.taxable = true;
  return out;
}

function shippingProps(posted: Json): Partial<DraftShipping> {
  const out: Partial<DraftShipping> = {};
  if (typeof posted['method_id'] === 'string') out.methodId = posted['method_id'];
  if (typeof posted['method_title'] === 'string') out.methodTitle = posted['method_title'];
  if (posted['instance_id'] !== undefined) out.instanceId = String(posted['instance_id']);
  const total = tryParseCents(posted['total']);
  if (total !== null) out.amountCents = total;
  return out;
}


