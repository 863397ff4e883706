import { createHash } from 'node:crypto';
import type { CustomersService } from '../customers/customers.service';
import { assembleOrder, type DraftCoupon, type DraftFee, type DraftLine, type DraftShipping } from '../orders/order-assembler';
import { GATEWAY_TITLES, REFUNDABLE_GATEWAYS } from '../orders/order-statuses';
import { activePrice } from '../products/product-rest.mapper';
import type { RefundItemRequest, RefundsService } from '../refunds/refunds.service';
import type { MetaData, OrderRecord, OrderStatus, ProductRecord } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import { formatCents, parseCents } from '../tax/money';
import type { HookSink } from '../webhooks/request-hooks';
import { generatePerson, withFreeEmail, type GeneratedPerson } from './customer.generator';
import { generateProducts } from './product.generator';
import type { Prng } from './prng';
import { COMPANY_SUFFIXES, SEK_PER_UNIT } from './sample-data';

export interface GenerateOrdersOptions {
  /** Earliest creation date (default: 30 days before now). */
  from?: Date | string;
  /** Latest creation date (default: now). */
  to?: Date | string;
  /** Prices entered with tax for these orders; `mixed` alternates (default: the store setting). */
  pricesIncludeTax?: boolean | 'mixed';
  /** Orders abroad in the customer's currency (EUR, NOK, DKK, USD) as a multi-currency plugin does (default true). */
  multiCurrency?: boolean;
  /** Share of paid orders that get a refund: full, partial line, or amount-only (default 0.15). */
  refundShare?: number;
  /** Share of guest orders, `customer_id` 0 (default 0.35). */
  guestShare?: number;
  /** Share of orders with a coupon (default 0.25). */
  couponShare?: number;
  /** Share of orders with a fee line (default 0.15). */
  feeShare?: number;
  /** Share of subscription renewal orders (default 0.08). */
  subscriptionShare?: number;
  /** Share of EU business orders with a VAT number, untaxed under reverse charge (default 0.05). */
  b2bShare?: number;
  /** Fire `order.created`/`order.updated` (and `customer.created`) for what is generated (default true). */
  webhooks?: boolean;
}

export interface GeneratedOrders {
  orderIds: number[];
  refundIds: number[];
}

/** What the order generator needs from the sandbox. */
export interface OrderGeneratorDeps {
  state: WooStoreState;
  customers: CustomersService;
  refunds: RefundsService;
  random: Prng;
}

const STATUS_WEIGHTS: ReadonlyArray<readonly [OrderStatus, number]> = [
  ['completed', 55],
  ['processing', 22],
  ['on-hold', 6],
  ['pending', 6],
  ['cancelled', 6],
  ['failed', 5],
];

const MUTE: HookSink = { fire: () => undefined };

/**
 * Creates `n` checkout orders spread over a date window, as a real store accumulates them: several
 * tax rates (SE 25/12/6 %, DE 19/7 %, OSS destination rates, untaxed exports and reverse-charge
 * B2B), coupons of each type, fees, shipping, variations, guests and registered customers, several
 * currencies, subscription renewals, gateway meta, and refunds (full, partial line, amount-only).
 * Totals come from the same calculator as REST orders, so lines + shipping + fees − discounts +
 * taxes equal the total to the cent. Creates a catalogue first if the store has none.
 */
export function generateOrders(deps: OrderGeneratorDeps, hooks: HookSink, n: number, opts: GenerateOrdersOptions = {}): GeneratedOrders {
  const { state, random } = deps;
  const sink = opts.webhooks === false ? MUTE : hooks;
  const now = state.clock.now().getTime();
  const to = opts.to ? new Date(opts.to).getTime() : now;
  const from = opts.from ? new Date(opts.from).getTime() : to - 30 * 86_400_000;
  if (!(from <= to)) throw new Error('generateOrders: from must not be after to');

  let catalogue = sellable(state);
  if (catalogue.length === 0) {
    generateProducts(state, random, sink, 60, { variationsShare: 0.4 });
    catalogue = sellable(state);
  }
  const times = Array.from({ length: n }, () => from + Math.floor(random.next() * (to - from + 1))).sort((a, b) => a - b);
  const out: GeneratedOrders = { orderIds: [], refundIds: [] };
  const customersByCountry = new Map<string, number[]>();

  for (let i = 0; i < n; i++) {
    const created = new Date(Math.floor(times[i] / 1000) * 1000);
    const order = buildOrder(deps, sink, opts, created, now, catalogue, customersByCountry, i);
    state.orders.set(order.id, order);
    out.orderIds.push(order.id);
    sink.fire('order', 'created', order.id);
    sink.fire('order', 'updated', order.id);
    const refundId = maybeRefund(deps, sink, opts, order, now);
    if (refundId !== null) out.refundIds.push(refundId);
  }
  return out;
}

function buildOrder(
  deps: OrderGeneratorDeps,
  hooks: HookSink,
  opts: GenerateOrdersOptions,
  created: Date,
  now: number,
  catalogue: ProductRecord[],
  customersByCountry: Map<string, number[]>,
  index: number,
): OrderRecord {
  const { state, random } = deps;
  const person = generatePerson(random);
  const country = person.profile.country;
  const eu = ['SE', 'DE', 'FI', 'DK', 'NL', 'FR'].includes(country);
  const b2b = eu && country !== state.settings.baseCountry && random.chance(opts.b2bShare ?? 0.05);
  const currency = opts.multiCurrency === false ? state.settings.currency : person.profile.currency;
  const factor = (SEK_PER_UNIT[state.settings.currency] ?? 1) / (SEK_PER_UNIT[currency] ?? 1);
  const convert = (cents: number): number => (factor === 1 ? cents : Math.max(10, Math.round((cents * factor) / 10) * 10));
  const sek = (amountSek: number): number => convert(Math.round((amountSek * 100) / (SEK_PER_UNIT[state.settings.currency] ?? 1)));
  const pricesIncludeTax = opts.pricesIncludeTax === 'mixed' ? index % 2 === 0 : (opts.pricesIncludeTax ?? state.settings.pricesIncludeTax);

  const customerId = random.chance(opts.guestShare ?? 0.35) ? 0 : registeredCustomer(deps, hooks, person, created, customersByCountry);
  if (b2b) person.address.company = `${person.last} ${COMPANY_SUFFIXES[country] ?? 'Ltd'}`;

  const lines: DraftLine[] = [];
  const lineCount = random.weighted([[1, 40], [2, 30], [3, 20], [4, 10]] as const);
  for (let l = 0; l < lineCount; l++) {
    const product = random.pick(catalogue);
    const parent = product.type === 'variation' ? state.products.get(product.parent_id) : undefined;
    lines.push({
      productId: parent ? parent.id : product.id,
      variationId: parent ? product.id : 0,
      name: product.name,
      parentName: parent ? parent.name : null,
      sku: product.sku,
      taxClass: product.tax_class,
      taxable: product.tax_status === 'taxable',
      quantity: random.weighted([[1, 70], [2, 20], [3, 10]] as const),
      unitPriceCents: convert(parseCents(activePrice(product))),
      meta: product.attributes.map((a) => ({ id: state.nextMetaId(), key: String(a['name']).toLowerCase(), value: String(a['option']), display_key: String(a['name']), display_value: String(a['option']) })),
    });
  }

  const coupons: DraftCoupon[] = [];
  if (random.chance(opts.couponShare ?? 0.25)) {
    const type = random.weighted([['percent', 50], ['fixed_cart', 30], ['fixed_product', 20]] as const);
    if (type === 'percent') {
      const pct = random.pick([10, 15, 20]);
      coupons.push({ code: `save${pct}`, type, amount: pct });
    } else if (type === 'fixed_cart') {
      coupons.push({ code: 'welcome50', type, amount: sek(50) / 100 });
    } else {
      coupons.push({ code: 'bundle', type, amount: sek(20) / 100, productId: lines[0].variationId || lines[0].productId });
    }
  }

  const method = paymentMethod(random, country);
  const fees: DraftFee[] = [];
  if (random.chance(opts.feeShare ?? 0.15)) {
    const invoice = method === 'bacs' || method === 'klarna_payments';
    fees.push({ name: invoice ? 'Invoice fee' : 'Gift wrapping', amountCents: sek(invoice ? 29 : 25), taxClass: '', taxable: true });
  }

  const itemsText = lines.map((l) => `${l.name} &times; ${l.quantity}`).join(', ');
  const shippingMeta: MetaData[] = [{ id: state.nextMetaId(), key: 'Items', value: itemsText, display_key: 'Items', display_value: itemsText }];
  const shipKind = random.weighted([['flat_rate', 70], ['free_shipping', 20], ['local_pickup', country === 'SE' ? 10 : 0]] as const);
  const shipping: DraftShipping[] = [
    shipKind === 'flat_rate'
      ? { methodId: 'flat_rate', methodTitle: 'Flat rate', instanceId: '1', amountCents: sek(country === 'SE' ? 49 : 99), meta: shippingMeta }
      : shipKind === 'free_shipping'
        ? { methodId: 'free_shipping', methodTitle: 'Free shipping', instanceId: '2', amountCents: 0, meta: shippingMeta }
        : { methodId: 'local_pickup', methodTitle: 'Local pickup', instanceId: '3', amountCents: 0, meta: shippingMeta },
  ];

  // Reverse-charge B2B orders are VAT exempt: no rate matches the made-up tax location.
  const totals = assembleOrder(state, { pricesIncludeTax, country: b2b ? 'VAT-EXEMPT' : country, lines, fees, shipping, coupons });

  const status = random.weighted(STATUS_WEIGHTS);
  const paid = status === 'completed' || status === 'processing' || (status === 'on-hold' && method !== 'bacs');
  const clampNow = (t: number): Date => new Date(Math.min(now, Math.floor(t / 1000) * 1000));
  const datePaid = paid ? clampNow(created.getTime() + random.int(5, 120) * 1000) : null;
  const dateCompleted = status === 'completed' ? clampNow((datePaid ?? created).getTime() + random.int(1, 72) * 3_600_000) : null;
  const dateModified = new Date(Math.max(created.getTime(), datePaid?.getTime() ?? 0, dateCompleted?.getTime() ?? 0));
  const renewal = random.chance(opts.subscriptionShare ?? 0.08);
  const { email: _email, ...shippingAddress } = person.address;
  const order: OrderRecord = {
    id: state.nextOrderId(),
    parent_id: 0,
    status,
    statusBeforeTrash: null,
    currency,
    version: state.settings.wcVersion,
    prices_include_tax: pricesIncludeTax,
    dateCreated: created,
    dateModified,
    datePaid,
    dateCompleted,
    ...totals,
    customer_id: customerId,
    order_key: `wc_order_${random.chars(13)}`,
    billing: { ...person.address },
    shipping: { ...shippingAddress },
    payment_method: method,
    payment_method_title: GATEWAY_TITLES[method] ?? method,
    transaction_id: '',
    customer_ip_address: `203.0.113.${random.int(1, 254)}`,
    customer_user_agent: random.pick(USER_AGENTS),
    created_via: renewal ? 'subscription' : 'checkout',
    customer_note: random.chance(0.05) ? 'Please leave the parcel at the door.' : '',
    cart_hash: createHash('md5').update(`${index}-${created.getTime()}-${random.next()}`).digest('hex'),
    meta_data: [],
    refunds: [],
    stockReduced: paid,
  };
  order.meta_data = orderMeta(deps, order, paid, b2b, renewal, person);
  return order;
}

function orderMeta(deps: OrderGeneratorDeps, order: OrderRecord, paid: boolean, b2b: boolean, renewal: boolean, person: GeneratedPerson): MetaData[] {
  const { state, random } = deps;
  const meta: MetaData[] = [];
  const add = (key: string, value: unknown): void => void meta.push({ id: state.nextMetaId(), key, value });
  add('is_vat_exempt', b2b ? 'yes' : 'no');
  if (b2b) add('_billing_vat_number', `${person.profile.country}${random.int(100_000_000, 999_999_999)}`);
  if (renewal) {
    add('_subscription_renewal', String(random.int(200, 900)));
    add('_requires_manual_renewal', 'false');
  }
  if (!paid) return meta;
  const total = parseCents(order.total);
  if (order.payment_method === 'stripe') {
    order.transaction_id = `ch_3${random.chars(23)}`;
    const fee = Math.round(total * 0.014) + 25;
    add('_stripe_customer_id', `cus_${random.chars(14)}`);
    add('_stripe_source_id', `pm_${random.chars(24)}`);
    add('_stripe_intent_id', `pi_3${random.chars(23)}`);
    add('_stripe_charge_captured', 'yes');
    add('_stripe_fee', formatCents(fee));
    add('_stripe_net', formatCents(total - fee));
    add('_stripe_currency', order.currency);
  } else if (order.payment_method === 'klarna_payments') {
    order.transaction_id = uuid(random);
    add('_wc_klarna_order_id', order.transaction_id);
    add('_wc_klarna_environment', 'test');
  } else if (order.payment_method === 'swish') {
    order.transaction_id = random.hex(32).toUpperCase();
    add('_swish_payment_reference', order.transaction_id);
  }
  return meta;
}

/** Refunds some paid orders: a full refund, one unit of one line, or an amount-only goodwill refund. */
function maybeRefund(deps: OrderGeneratorDeps, hooks: HookSink, opts: GenerateOrdersOptions, order: OrderRecord, now: number): number | null {
  const { random } = deps;
  if (!['completed', 'processing'].includes(order.status) || !random.chance(opts.refundShare ?? 0.15)) return null;
  if (parseCents(order.total) === 0) return null; // a free order (100 % coupon) has nothing to refund
  const at = new Date(Math.min(now, Math.floor((order.dateModified.getTime() + random.int(1, 14 * 24) * 3_600_000) / 1000) * 1000));
  const refundPayment = REFUNDABLE_GATEWAYS.includes(order.payment_method);
  const kind = random.weighted([['full', 30], ['line', 45], ['amount', 25]] as const);
  const cents = (s: string): number => parseCents(s);
  const taxMap = (taxes: Array<{ id: number; total: string }>, divisor = 1): Map<number, number> => new Map(taxes.map((t) => [t.id, Math.round(cents(t.total) / divisor)]));
  let items: RefundItemRequest[] = [];
  let amountCents: number | null = null;
  let reason = '';
  if (kind === 'full') {
    reason = 'Order cancelled by customer';
    items = [
      ...order.line_items.map((li) => ({ itemId: li.id, quantity: li.quantity, refundTotalCents: cents(li.total), refundTaxCents: taxMap(li.taxes) })),
      ...order.shipping_lines.map((s) => ({ itemId: s.id, quantity: 0, refundTotalCents: cents(s.total), refundTaxCents: taxMap(s.taxes) })),
      ...order.fee_lines.map((f) => ({ itemId: f.id, quantity: 0, refundTotalCents: cents(f.total), refundTaxCents: taxMap(f.taxes) })),
    ];
  } else if (kind === 'line') {
    reason = 'Returned item';
    const li = random.pick(order.line_items);
    items = [{ itemId: li.id, quantity: 1, refundTotalCents: Math.round(cents(li.total) / li.quantity), refundTaxCents: taxMap(li.taxes, li.quantity) }];
  } else {
    reason = 'Goodwill';
    amountCents = Math.max(1, Math.round(cents(order.total) * 0.1));
  }
  const refund = deps.refunds.create(order.id, { amountCents, reason, items, refundPayment, restockItems: false, refundedBy: 1 }, hooks, at);
  return refund.id;
}

function registeredCustomer(deps: OrderGeneratorDeps, hooks: HookSink, person: GeneratedPerson, created: Date, byCountry: Map<string, number[]>): number {
  const { random, customers } = deps;
  const known = byCountry.get(person.profile.country) ?? [];
  if (known.length > 0 && random.chance(0.5)) {
    const id = random.pick(known);
    const c = customers.get(id);
    if (c) {
      person.address = { ...c.billing };
      person.email = c.email;
      return id;
    }
  }
  const unique = withFreeEmail(customers, person);
  person.email = unique.email;
  person.address = unique.address;
  const { email: _email, ...shipping } = person.address;
  const registeredAt = new Date(created.getTime() - random.int(0, 30) * 86_400_000);
  const customer = customers.create({ email: person.email, first_name: person.first, last_name: person.last, billing: person.address, shipping }, hooks, registeredAt);
  known.push(customer.id);
  byCountry.set(person.profile.country, known);
  return customer.id;
}

function paymentMethod(random: Prng, country: string): string {
  if (country === 'SE') return random.weighted([['klarna_payments', 35], ['stripe', 30], ['swish', 25], ['bacs', 10]] as const);
  if (country === 'US') return random.weighted([['stripe', 85], ['bacs', 15]] as const);
  return random.weighted([['stripe', 50], ['klarna_payments', 25], ['bacs', 15], ['cod', 10]] as const);
}

function sellable(state: WooStoreState): ProductRecord[] {
  return [...state.products.values()].filter((p) => (p.type === 'simple' || p.type === 'variation') && p.status === 'publish' && activePrice(p) !== '');
}

function uuid(random: Prng): string {
  const h = random.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
];
