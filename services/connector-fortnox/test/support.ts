// Test wiring shared by the integration specs: sandbox-fortnox in process, a schema of its own, orders that follow
// the canonical contract.
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { exampleOrder, type CanonicalOrder } from '@ledgerline/contracts';
import { ensureErpKitSchema } from '@ledgerline/erp-kit';
import { ensureMessagingSchema, withTransaction } from '@ledgerline/messaging';
import { runMigrations } from '@ledgerline/persistence';
import type { FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import type { ComponentSettings } from '../src/messaging/components';
import { migrations } from '../src/persistence/migrations';
import { StoreRepository, type TenantMappings } from '../src/persistence/store.repository';

/** The tenant mapping the tests start from; SE 6 % is left out on purpose where a test says so. */
export const baseMappings = (withSix: boolean): TenantMappings => ({
  taxCodes: {
    'SE:25': { vat: 25, account: 3001 },
    'SE:12': { vat: 12, account: 3002 },
    ...(withSix ? { 'SE:6': { vat: 6, account: 3003 } } : {}),
    'SE:0': { vat: 0, account: 3004 },
  },
  paymentMethods: { stripe: { modeOfPayment: 'KORT' }, bacs: { modeOfPayment: 'BG' } },
  shippingMethods: {},
});

/** Component settings aimed at `sandbox`, tuned for fast tests. */
export function testSettings(schema: string, sandbox: FortnoxSandbox, rateLimit: { requests: number; windowMs: number }): ComponentSettings {
  return {
    schema,
    fortnoxApiBaseUrl: sandbox.url,
    fortnoxTokenUrl: `${sandbox.url}/oauth-v1/token`,
    fortnoxClientId: sandbox.clientId,
    fortnoxClientSecret: sandbox.clientSecret,
    tokenKey: { id: 'test-key-1', key: randomBytes(32).toString('base64') },
    requestTimeoutMs: 800,
    rateLimit,
    workerIdleMs: 50,
    intentLeaseMs: 10_000,
    backoffBaseMs: 100,
    backoffMaxMs: 200,
    topicSuffix: '',
    payoutVoucherSeries: 'A',
  };
}

/** Creates the service's tables in `schema` as the service does at boot. */
export async function prepareSchema(pool: Pool, schema: string): Promise<void> {
  await runMigrations(pool, schema, migrations);
  await ensureMessagingSchema(pool, schema);
  await ensureErpKitSchema(pool, schema);
}

export async function putMappings(pool: Pool, schema: string, tenantId: string, mappings: Partial<TenantMappings>): Promise<void> {
  await withTransaction(pool, (tx) => new StoreRepository(schema).replaceMappings(tx, tenantId, mappings));
}

const sek = (amount: string) => ({ amount, currency: 'SEK' });

/**
 * exampleOrder (prices incl. 25 % VAT: 2 mugs 200.00 gross, shipping 49.00 gross, total 249.00), optionally with a
 * book at 6 % (89.00 gross: 83.96 + 5.04), total then 338.00.
 */
export function orderWithOptionalBook(ref: { tenantId: string; storeId: string; orderId: string; orderNumber: string }, withBook: boolean): CanonicalOrder {
  const order = exampleOrder(ref);
  if (!withBook) return order;
  order.lines.push({
    lineId: '4',
    productId: '11',
    variationId: null,
    sku: 'BOOK-1',
    name: 'Bok',
    quantity: '1',
    taxClass: 'reduced-rate',
    unitPrice: sek('83.96'),
    subtotal: sek('83.96'),
    subtotalTax: sek('5.04'),
    total: sek('83.96'),
    totalTax: sek('5.04'),
    taxes: [{ rateId: '2', total: sek('5.04'), subtotal: sek('5.04') }],
  });
  order.taxLines.push({ lineId: '5', rateId: '2', rateCode: 'SE-MOMS 6%-1', label: 'Moms 6%', compound: false, ratePercent: '6.0000', taxTotal: sek('5.04'), shippingTaxTotal: sek('0.00') });
  order.totals = { ...order.totals, totalTax: sek('54.84'), total: sek('338.00') };
  return order;
}

/**
 * A net-priced order with 25 / 12 / 6 % lines, a 10 % coupon, a fee and shipping. Net per rate: 25 % 360.00 + 80.00
 * shipping + 20.00 fee = 460.00 (VAT 115.00); 12 % 180.00 (21.60); 6 % 90.00 (5.40). Total 872.00.
 */
export function mixedRateOrder(ref: { tenantId: string; storeId: string; orderId: string; orderNumber: string }): CanonicalOrder {
  const order = exampleOrder(ref);
  const line = (lineId: string, sku: string, name: string, qty: string, subtotal: string, total: string, rateId: string, tax: string, subTax: string) => ({
    lineId,
    productId: lineId,
    variationId: null,
    sku,
    name,
    quantity: qty,
    taxClass: null,
    unitPrice: sek(subtotal),
    subtotal: sek(subtotal),
    subtotalTax: sek(subTax),
    total: sek(total),
    totalTax: sek(tax),
    taxes: [{ rateId, total: sek(tax), subtotal: sek(subTax) }],
  });
  order.pricesIncludeTax = false;
  order.lines = [
    line('1', 'SHIRT-1', 'Tröja', '2', '400.00', '360.00', '1', '90.00', '100.00'),
    line('2', 'FOOD-1', 'Kaffe', '3', '200.00', '180.00', '2', '21.60', '24.00'),
    line('3', 'BOOK-9', 'Bok', '1', '100.00', '90.00', '3', '5.40', '6.00'),
  ];
  order.shippingLines = [{ lineId: '4', methodId: 'flat_rate', instanceId: '1', title: 'Postnord', total: sek('80.00'), totalTax: sek('20.00'), taxes: [{ rateId: '1', total: sek('20.00'), subtotal: null }] }];
  order.feeLines = [{ lineId: '5', name: 'Presentinslagning', taxClass: null, taxStatus: 'taxable', total: sek('20.00'), totalTax: sek('5.00'), taxes: [{ rateId: '1', total: sek('5.00'), subtotal: null }] }];
  order.couponLines = [{ lineId: '6', code: 'TIO', discount: sek('70.00'), discountTax: sek('13.00'), discountType: 'percent' }];
  order.taxLines = [
    { lineId: '7', rateId: '1', rateCode: 'SE-MOMS-1', label: 'Moms', compound: false, ratePercent: '25.0000', taxTotal: sek('95.00'), shippingTaxTotal: sek('20.00') },
    { lineId: '8', rateId: '2', rateCode: 'SE-MOMS 12%-2', label: 'Moms 12%', compound: false, ratePercent: '12.0000', taxTotal: sek('21.60'), shippingTaxTotal: sek('0.00') },
    { lineId: '9', rateId: '3', rateCode: 'SE-MOMS 6%-3', label: 'Moms 6%', compound: false, ratePercent: '6.0000', taxTotal: sek('5.40'), shippingTaxTotal: sek('0.00') },
  ];
  order.totals = { discount: sek('70.00'), discountTax: sek('13.00'), shipping: sek('80.00'), shippingTax: sek('20.00'), totalTax: sek('142.00'), total: sek('872.00') };
  order.paymentMethod = { id: 'bacs', title: 'Bank transfer', transactionId: null };
  return order;
}

/** Exchanges a fresh authorization code of `fortnoxTenantId` at the sandbox. */
export async function exchangeCode(sandbox: FortnoxSandbox, code: string): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const res = await fetch(`${sandbox.url}/oauth-v1/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code }).toString(),
  });
  const granted = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
  if (res.status !== 200) throw new Error(`authorization-code exchange failed: ${res.status} ${JSON.stringify(granted)}`);
  return granted;
}
