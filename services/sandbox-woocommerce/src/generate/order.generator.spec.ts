import { RuntimeControl } from '../control/sandbox-control';
import { SandboxRuntime, type SandboxRuntimeOptions } from '../sandbox-runtime';
import type { OrderRecord } from '../store/woo-records';
import { parseCents } from '../tax/money';

const NOW = new Date('2024-06-30T12:00:00Z');

function sandbox(overrides: Partial<SandboxRuntimeOptions> = {}): { rt: SandboxRuntime; control: RuntimeControl } {
  const rt = new SandboxRuntime({
    siteUrl: 'http://shop.test',
    consumerKey: 'ck_test',
    consumerSecret: 'cs_test',
    seed: 42,
    currency: 'SEK',
    pricesIncludeTax: false,
    baseCountry: 'SE',
    utcOffsetMinutes: 60,
    assumeHttps: false,
    rateLimit: null,
    webhookMaxDeliveryFailures: 5,
    webhookTimeoutMs: 1000,
    webhookDelayMs: 0,
    now: () => NOW,
    ...overrides,
  });
  return { rt, control: new RuntimeControl(rt) };
}

const c = parseCents;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** The checks an ERP integration relies on, to the cent. */
function expectTotalsAddUp(o: OrderRecord): void {
  const lines = sum(o.line_items.map((l) => c(l.subtotal)));
  const fees = sum(o.fee_lines.map((f) => c(f.total)));
  expect([o.id, lines + c(o.shipping_total) + fees - c(o.discount_total) + c(o.total_tax)]).toEqual([o.id, c(o.total)]);
  expect([o.id, sum(o.tax_lines.map((t) => c(t.tax_total) + c(t.shipping_tax_total)))]).toEqual([o.id, c(o.total_tax)]);
  expect([o.id, sum(o.line_items.map((l) => c(l.total_tax))) + sum(o.fee_lines.map((f) => c(f.total_tax)))]).toEqual([o.id, c(o.cart_tax)]);
  expect([o.id, sum(o.line_items.map((l) => c(l.subtotal) - c(l.total)))]).toEqual([o.id, c(o.discount_total)]);
  expect([o.id, sum(o.coupon_lines.map((x) => c(x.discount)))]).toEqual([o.id, c(o.discount_total)]);
  for (const l of o.line_items) expect([o.id, l.id, sum(l.taxes.map((t) => c(t.total)))]).toEqual([o.id, l.id, c(l.total_tax)]);
  expect(sum(o.refunds.map((r) => c(r.amount)))).toBeLessThanOrEqual(c(o.total));
}

describe('generateOrders', () => {
  it.each([false, true])('produces orders whose totals add up to the cent (prices include tax: %s)', (pricesIncludeTax) => {
    const { rt, control } = sandbox({ pricesIncludeTax });
    control.generateOrders(600, { webhooks: false });
    const orders = [...rt.state.orders.values()];
    expect(orders).toHaveLength(600);
    for (const o of orders) {
      expect(o.prices_include_tax).toBe(pricesIncludeTax);
      expectTotalsAddUp(o);
    }
  });

  it('covers the cases an ERP mapping must handle', () => {
    const { rt, control } = sandbox({ pricesIncludeTax: true });
    control.generateOrders(800, { webhooks: false, pricesIncludeTax: 'mixed' });
    const orders = [...rt.state.orders.values()];
    const rates = new Set(orders.flatMap((o) => o.tax_lines.map((t) => `${t.rate_code} ${t.rate_percent}`)));
    expect([...rates]).toEqual(expect.arrayContaining(['SE-MOMS-1 25', 'SE-MOMS-1 12', 'SE-MOMS-1 6', 'DE-MWST.-1 19', 'DE-MWST.-1 7', 'FR-TVA-1 20']));
    expect(new Set(orders.flatMap((o) => o.coupon_lines.map((x) => x.discount_type)))).toEqual(new Set(['percent', 'fixed_cart', 'fixed_product']));
    expect(new Set(orders.map((o) => o.currency))).toEqual(new Set(['SEK', 'EUR', 'DKK', 'NOK', 'USD']));
    expect(new Set(orders.map((o) => o.prices_include_tax))).toEqual(new Set([true, false]));
    expect(orders.some((o) => o.fee_lines.length > 0)).toBe(true);
    expect(orders.some((o) => o.line_items.some((l) => l.variation_id > 0 && l.parent_name !== null))).toBe(true);
    expect(orders.some((o) => o.customer_id === 0)).toBe(true);
    expect(orders.some((o) => o.customer_id > 0 && rt.state.customers.has(o.customer_id))).toBe(true);
    expect(orders.some((o) => o.created_via === 'subscription' && o.meta_data.some((m) => m.key === '_subscription_renewal'))).toBe(true);
    expect(orders.some((o) => o.meta_data.some((m) => m.key === 'is_vat_exempt' && m.value === 'yes') && o.total_tax === '0.00' && o.billing.company !== '')).toBe(true);
    expect(orders.some((o) => o.tax_lines.length === 0 && ['NO', 'US'].includes(o.shipping.country))).toBe(true);

    const refunds = orders.flatMap((o) => o.refunds.map((r) => ({ o, r })));
    const full = refunds.filter(({ o, r }) => r.amount === o.total);
    expect(full.length).toBeGreaterThan(0);
    expect(full.every(({ o }) => o.status === 'refunded')).toBe(true);
    const lineRefunds = refunds.filter(({ r }) => r.line_items.length > 0);
    expect(lineRefunds.every(({ r }) => r.line_items.every((l) => l.quantity < 0 && c(l.total) <= 0 && l.meta_data.some((m) => m.key === '_refunded_item_id')))).toBe(true);
    expect(refunds.some(({ o, r }) => r.line_items.length === 1 && r.amount !== o.total)).toBe(true);
    expect(refunds.some(({ r }) => r.line_items.length === 0 && r.reason === 'Goodwill')).toBe(true);
    for (const o of orders) expectTotalsAddUp(o);
  });

  it('is deterministic per seed', () => {
    const a = sandbox({ seed: 7 });
    const b = sandbox({ seed: 7 });
    const other = sandbox({ seed: 8 });
    for (const s of [a, b, other]) s.control.generateOrders(50, { webhooks: false });
    const dump = (s: { rt: SandboxRuntime }): string => JSON.stringify([...s.rt.state.orders.values()]);
    expect(dump(a)).toBe(dump(b));
    expect(dump(a)).not.toBe(dump(other));
    a.control.reset();
    a.control.generateOrders(50, { webhooks: false });
    expect(dump(a)).toBe(dump(b));
  });

  it('never draws an e-mail twice: a repeated first.last1234 becomes local+N, so big months generate without refusals', () => {
    const { rt, control } = sandbox({ seed: 33 });

    control.generateCustomers(3000, { webhooks: false });
    control.generateOrders(2000, { webhooks: false });

    const emails = [...rt.state.customers.values()].map((cu) => cu.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.some((e) => /\+\d+@/.test(e))).toBe(true);
  });

  it('spreads creation dates over the window and never dates anything after now', () => {
    const { rt, control } = sandbox();
    control.generateOrders(200, { webhooks: false, from: '2024-06-01T00:00:00Z' });
    const orders = [...rt.state.orders.values()];
    expect(orders.every((o) => o.dateCreated >= new Date('2024-06-01T00:00:00Z') && o.dateModified <= NOW && o.dateModified >= o.dateCreated)).toBe(true);
    expect(orders.map((o) => o.dateCreated.getTime())).toEqual([...orders.map((o) => o.dateCreated.getTime())].sort((x, y) => x - y));
  });
});

describe('generateProducts', () => {
  it('creates 20,000 unique SKUs quickly, with the asked share of variations', () => {
    const { rt, control } = sandbox();
    const t0 = performance.now();
    const result = control.generateProducts(20_000, { variationsShare: 0.3, webhooks: false });
    const elapsed = performance.now() - t0;
    expect(result.skus).toHaveLength(20_000);
    expect(new Set([...result.skus, ...result.parentSkus]).size).toBe(result.skus.length + result.parentSkus.length);
    expect(result.variationIds).toHaveLength(6_000);
    expect(rt.state.skus.size).toBe(result.skus.length + result.parentSkus.length);
    expect(elapsed).toBeLessThan(3000);
    const variation = rt.state.products.get(result.variationIds[0]);
    expect(rt.state.products.get(variation?.parent_id ?? 0)?.variations).toContain(result.variationIds[0]);
  });
});
