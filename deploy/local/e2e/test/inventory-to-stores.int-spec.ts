// The inventory path of issue #5 end to end on the local stack: Fortnox (sandbox, the stock master) → connector-fortnox's
// stock poll → stock-level.changed → inventory-sync → store-stock.requested → store-gateway → WooCommerce batch writes
// in three sandbox stores; a store's order (webhook → store-gateway → order.placed) and its invoice
// (connector-fortnox → erp-document.recorded) feed back into availability; a reconciliation corrects drift.
// Everything runs in this process on real PostgreSQL and Kafka; each service has a schema of its own, all share one
// topic suffix, so the file can run next to any other.
import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { envelope, keyFor, StockLevelChanged } from '@ledgerline/contracts';
import { createKafka, ensureMessagingSchema, OutboxRelay, OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { startFortnoxSandbox, type FortnoxSandbox } from '@ledgerline/sandbox-fortnox';
import { startWooSandbox, type WooSandbox } from '@ledgerline/sandbox-woocommerce';
import { createTestDatabase, eventually, testInfra, uniqueSuffix, type TestDatabase } from '@ledgerline/testing';
import { WooCommerceClient } from '@ledgerline/woocommerce';
/* eslint-disable @nx/enforce-module-boundaries -- a system test runs the services themselves in process (STYLE.md §7); no lib wraps their app modules. */
import { createInventorySyncApp } from '@ledgerline/inventory-sync/src/app.factory';
import { loadInventorySyncConfig } from '@ledgerline/inventory-sync/src/config/inventory-sync.config';
import { inventoryTopics } from '@ledgerline/inventory-sync/src/messaging/topics';
/* eslint-enable @nx/enforce-module-boundaries */
import { startConnector, startGateway, wooWrite } from './services';

// Several flows wait on Kafka consumers, relays and the Fortnox rate limit (25 requests / 5 s) on a shared 2-core machine.
jest.setTimeout(180_000);

const ADMIN_TOKEN = `e2e-admin-${randomBytes(16).toString('hex')}`;
const MAX_DELAY_MS = 2000;
const WEBHOOK_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'customer.created', 'customer.updated', 'customer.deleted', 'product.created', 'product.updated', 'product.deleted'];

/** Three stores of one tenant, all selling from Fortnox stock point MAIN; "no" keeps one unit back, "dk" has no sweaters. */
const STORES = [
  { id: 'se-shop', seed: 11, buffer: 0, sweaters: true },
  { id: 'no-shop', seed: 12, buffer: 1, sweaters: true },
  { id: 'dk-shop', seed: 13, buffer: 0, sweaters: false },
] as const;
type StoreId = (typeof STORES)[number]['id'];

const MUG = 'MUG-1';
const SWEATER_M = 'SWEATER-M';
const SWEATER_L = 'SWEATER-L';
const BURST = 'BURST-1';


/** What the store shows for a SKU: its stock quantity when stock is managed, null otherwise, undefined when it has no such SKU. */
function shownIn(woo: WooSandbox, sku: string): number | null | undefined {
  const id = woo.state.skus.get(sku);
  const product = id === undefined ? undefined : woo.state.products.get(id);
  if (!product) return undefined;
  return product.manage_stock ? product.stock_quantity : null;
}

/** Batch requests the store received on its two stock endpoints since its counters were reset. */
function batchRequests(woo: WooSandbox): number {
  const b = woo.control.counters().batches;
  return (b['products/batch']?.requests ?? 0) + (b['products/{id}/variations/batch']?.requests ?? 0);
}

describe('local stack: Fortnox stock reaches every WooCommerce store, orders count once, drift is corrected', () => {
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  const woos = new Map<StoreId, WooSandbox>();
  let fortnox: FortnoxSandbox;
  let fortnoxCompany: string;
  let connector: INestApplication;
  let gateway: INestApplication;
  let inventory: INestApplication;
  let connectorUrl: string;
  let gatewayUrl: string;
  let inventoryUrl: string;
  const dbs: TestDatabase[] = [];
  let inventoryDb: TestDatabase;
  let producerDb: TestDatabase;
  let producerRelay: OutboxRelay;
  let stockLevelsTopic: string;

  const woo = (id: StoreId): WooSandbox => woos.get(id) as WooSandbox;

  beforeAll(async () => {
    const infra = await testInfra();
    const suffix = uniqueSuffix();
    let gatewayDb: TestDatabase;
    let connectorDb: TestDatabase;
    [fortnox, gatewayDb, connectorDb, inventoryDb, producerDb] = await Promise.all([
      startFortnoxSandbox(),
      createTestDatabase('e2e_inv_store_gateway'),
      createTestDatabase('e2e_inv_connector_fortnox'),
      createTestDatabase('e2e_inv_inventory_sync'),
      createTestDatabase('e2e_inv_erp_producer'),
    ]);
    dbs.push(gatewayDb, connectorDb, inventoryDb, producerDb);
    for (const s of STORES) woos.set(s.id, await startWooSandbox({ seed: s.seed }));

    ({ app: connector, url: connectorUrl } = await startConnector({
      infra,
      fortnox,
      schema: connectorDb.schema,
      topicSuffix: suffix,
      env: {
        // The test reads the ERP's stock on demand (POST /tenants/:id/stock/poll), so each reading is a step it controls.
        CONNECTOR_FORTNOX_STOCK_POLL_MS: '0',
      },
    }));

    const inventoryConfig = loadInventorySyncConfig({
      DATABASE_URL: infra.databaseUrl,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      PORT: '0',
      INVENTORY_SYNC_SCHEMA: inventoryDb.schema,
      INVENTORY_SYNC_TOPIC_SUFFIX: suffix,
      INVENTORY_SYNC_ADMIN_TOKEN: ADMIN_TOKEN,
      // The defaults (window 200 ms, max delay 2 s); only the flush loop looks more often, to keep the test short.
      INVENTORY_SYNC_COALESCE_WINDOW_MS: '200',
      INVENTORY_SYNC_COALESCE_MAX_DELAY_MS: String(MAX_DELAY_MS),
      INVENTORY_SYNC_FLUSH_TICK_MS: '20',
      INVENTORY_SYNC_RECONCILE_INTERVAL_MS: '0',
    });
    inventory = await createInventorySyncApp(inventoryConfig, { logger: ['error'] });
    await inventory.listen(0, '127.0.0.1');
    inventoryUrl = await inventory.getUrl();
    stockLevelsTopic = inventoryTopics(inventoryConfig).stockLevels;

    ({ app: gateway, url: gatewayUrl } = await startGateway({ infra, schema: gatewayDb.schema, topicSuffix: suffix, adminToken: ADMIN_TOKEN, env: { STORE_GATEWAY_STOCK_POLL_MS: '50' } }));

    // Stands in for connector-fortnox in (b) only: its own schema, outbox and relay onto the same stock-levels topic.
    await ensureMessagingSchema(producerDb.pool, producerDb.schema);
    producerRelay = new OutboxRelay({ pool: producerDb.pool, kafka: createKafka({ brokers: infra.kafkaBrokers, clientId: 'e2e-erp-stock-producer' }), schema: producerDb.schema, idleDelayMs: 10 });
    await producerRelay.start();

    // Fortnox company connected, with the mappings an order needs to become an invoice.
    const company = fortnox.control.createTenant('E2E Lager AB');
    fortnoxCompany = company.tenantId;
    expect(await http(connectorUrl, 'POST', '/connections', { tenantId, authorizationCode: company.authorizationCode })).toEqual({ status: 201, body: { tenantId, connectionId: `fortnox-${tenantId}` } });
    const mappings = {
      taxCodes: { 'SE:25': { vat: 25, account: 3001 }, 'SE:12': { vat: 12, account: 3002 }, 'SE:6': { vat: 6, account: 3003 }, 'SE:0': { vat: 0, account: 3004 } },
      paymentMethods: { stripe: { modeOfPayment: 'KORT', termsOfPayment: '0' } },
      shippingMethods: { flat_rate: { account: 3001 } },
    };
    expect((await http(connectorUrl, 'PUT', `/tenants/${tenantId}/mappings`, mappings)).status).toBe(200);

    // Each store: registered with the gateway, configured in inventory-sync, and given its catalogue through the REST API
    // (stock not managed yet: the first write from the ERP turns it on).
    for (const s of STORES) {
      const w = woo(s.id);
      const registered = await http(gatewayUrl, 'PUT', `/stores/${s.id}`, { tenantId, siteUrl: w.url, currency: 'SEK', consumerKey: w.consumerKey, consumerSecret: w.consumerSecret }, admin);
      expect(registered.status).toBe(200);
      const settings = await http(inventoryUrl, 'PUT', `/tenants/${tenantId}/stores/${s.id}`, { warehouses: ['MAIN'], safetyBuffer: String(s.buffer) }, admin);
      expect(settings.status).toBe(200);
      await wooWrite(w, '/products', { name: 'Kaffekopp', type: 'simple', regular_price: '200.00', sku: MUG });
      await wooWrite(w, '/products', { name: 'Burst', type: 'simple', regular_price: '10.00', sku: BURST });
      if (s.sweaters) {
        const parent = await wooWrite<{ id: number }>(w, '/products', { name: 'Tröja', type: 'variable', sku: 'SWEATER', attributes: [{ name: 'Size', options: ['M', 'L'], variation: true, visible: true }] });
        for (const size of ['M', 'L']) {
          await wooWrite(w, `/products/${parent.id}/variations`, { sku: `SWEATER-${size}`, regular_price: '300.00', attributes: [{ name: 'Size', option: size }] });
        }
      }
    }
  });

  afterAll(async () => {
    await producerRelay?.stop();
    await gateway?.close();
    await inventory?.close();
    await connector?.close();
    for (const w of woos.values()) await w.close();
    await fortnox?.close();
    for (const db of dbs) await db.drop();
  });

  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  async function http(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** One reading of the ERP: connector-fortnox polls the company's stock balances now. */
  const pollErp = async (): Promise<{ read: number; changed: number }> => {
    const res = await http(connectorUrl, 'POST', `/tenants/${tenantId}/stock/poll`);
    expect(res.status).toBe(200);
    return res.body as { read: number; changed: number };
  };

  /** Waits until every store listed shows the quantities given (null: the store has no such SKU). */
  const waitShown = async (want: Partial<Record<StoreId, Record<string, number | undefined>>>, description: string): Promise<void> => {
    const seen = () => Object.fromEntries(Object.entries(want).map(([id, skus]) => [id, Object.fromEntries(Object.keys(skus ?? {}).map((sku) => [sku, shownIn(woo(id as StoreId), sku)]))]));
    try {
      await eventually(async () => JSON.stringify(seen()) === JSON.stringify(want), { timeoutMs: 60_000, intervalMs: 100, description });
    } finally {
      // On a timeout the difference shows here.
      expect(seen()).toEqual(want);
    }
  };

  const availability = async (sku: string) => {
    const res = await http(inventoryUrl, 'GET', `/tenants/${tenantId}/skus/${sku}/availability`, undefined, admin);
    expect(res.status).toBe(200);
    return res.body['stores'] as Array<{ storeId: string; erpFree: string; pending: string; available: string; storeHasSku: boolean | null; changePending: boolean; pendingOrders: Array<{ storeId: string; orderId: string; quantity: string; documentRecordedAt: string | null }> }>;
  };

  it('(a) one ERP stock change reaches every store that sells the SKU, a variation included', async () => {
    fortnox.state.setStock(fortnoxCompany, { itemId: MUG, inStock: 10 });
    fortnox.state.setStock(fortnoxCompany, { itemId: SWEATER_M, inStock: 7 });
    fortnox.state.setStock(fortnoxCompany, { itemId: SWEATER_L, inStock: 4, availableStock: 3 });
    expect(await pollErp()).toMatchObject({ read: 3, changed: 3 });
    await waitShown(
      {
        'se-shop': { [MUG]: 10, [SWEATER_M]: 7, [SWEATER_L]: 3 },
        'no-shop': { [MUG]: 9, [SWEATER_M]: 6, [SWEATER_L]: 2 },
        'dk-shop': { [MUG]: 10, [SWEATER_M]: undefined, [SWEATER_L]: undefined },
      },
      'the first ERP reading in every store (less "no"\'s buffer of 1; SWEATER-L less the 1 Fortnox reserved)',
    );

    // One change of one variation in the ERP: both stores that sell it get it, through a variations batch; dk sells no sweaters.
    for (const s of STORES) woo(s.id).control.resetCounters();
    fortnox.state.setStock(fortnoxCompany, { itemId: SWEATER_M, inStock: 12 });
    expect(await pollErp()).toMatchObject({ read: 3, changed: 1 });
    await waitShown({ 'se-shop': { [SWEATER_M]: 12, [SWEATER_L]: 3, [MUG]: 10 }, 'no-shop': { [SWEATER_M]: 11, [SWEATER_L]: 2, [MUG]: 9 } }, 'SWEATER-M 12 in se, 11 in no');
    for (const id of ['se-shop', 'no-shop'] as const) {
      const b = woo(id).control.counters().batches;
      expect([b['products/batch']?.requests ?? 0, b['products/{id}/variations/batch']?.requests ?? 0]).toEqual([0, 1]);
    }
    // dk was asked once for the sweater SKUs, reported them unknown, and is not written again.
    const sweaterM = await eventually(async () => {
      const stores = await availability(SWEATER_M);
      return stores.find((s) => s.storeId === 'dk-shop')?.storeHasSku === false ? stores : null;
    }, { timeoutMs: 30_000, description: 'dk-shop reported SWEATER-M unknown' });
    expect(sweaterM.map((s) => [s.storeId, s.erpFree, s.available, s.storeHasSku])).toEqual([
      ['dk-shop', '12', '12', false],
      ['no-shop', '12', '11', true],
      ['se-shop', '12', '12', true],
    ]);
    expect(batchRequests(woo('dk-shop'))).toBe(0);
  });

  it('(b) 1,000 ERP changes of one SKU within about a second cause a handful of store writes, and the newest level wins', async () => {
    // 1,000 readings cannot go through the Fortnox sandbox and a poll in a second (Fortnox allows 25 requests per 5 s),
    // so they are published to Kafka the way connector-fortnox's poll does: stock-level.changed appended to an outbox
    // (a producer schema of the test's) and sent by an OutboxRelay, keyed stockKey(tenant, sku).
    for (const s of STORES) woo(s.id).control.resetCounters();
    const writer = new OutboxWriter(producerDb.schema);
    const t0 = Date.now();
    const readings = Array.from({ length: 1000 }, (_, i) => ({ quantity: 2000 - 2 * i, readAt: new Date(t0 + i) }));
    const last = readings[readings.length - 1] as { quantity: number; readAt: Date };
    const publishStart = Date.now();
    for (let i = 0; i < readings.length; i += 500) {
      await withTransaction(producerDb.pool, async (tx) => {
        for (const r of readings.slice(i, i + 500)) {
          const env = envelope.of(
            new StockLevelChanged({ tenantId, sku: BURST, warehouseCode: 'MAIN', quantity: String(r.quantity), reserved: '0', erp: 'fortnox', erpConnectionId: `fortnox-${tenantId}`, readAt: r.readAt.toISOString() }),
            { tenantId, storeId: null, occurredAt: r.readAt },
          );
          await writer.append(tx, env, { topic: stockLevelsTopic, key: keyFor(env) });
        }
      });
    }

    await waitShown({ 'se-shop': { [BURST]: last.quantity }, 'no-shop': { [BURST]: last.quantity - 1 }, 'dk-shop': { [BURST]: last.quantity } }, `the newest reading (${last.quantity}) in every store`);
    // When inventory-sync had consumed the last reading (its inbox row for it): the max delay paces the writes while
    // the readings are being consumed, one transaction each.
    const consumedMs =
      (
        await eventually(async () => {
          const { rows } = await inventoryDb.pool.query<{ at: Date }>(`SELECT max(processed_at) AS at FROM ${inventoryDb.schema}.inbox_messages WHERE topic = $1`, [stockLevelsTopic]);
          const { rows: lv } = await inventoryDb.pool.query(`SELECT 1 FROM ${inventoryDb.schema}.stock_levels WHERE tenant_id = $1 AND sku = $2 AND read_at = $3`, [tenantId, BURST, last.readAt]);
          return lv.length === 1 ? rows[0]?.at : null;
        }, { description: 'inventory-sync stored the newest burst reading' })
      ).getTime() - publishStart;
    const settled = await eventually(async () => {
      const stores = await availability(BURST);
      return stores.every((s) => !s.changePending) ? stores : null;
    }, { timeoutMs: 30_000, description: 'no BURST change waits for a flush' });
    expect(settled.map((s) => [s.storeId, s.erpFree, s.available])).toEqual([
      ['dk-shop', String(last.quantity), String(last.quantity)],
      ['no-shop', String(last.quantity), String(last.quantity - 1)],
      ['se-shop', String(last.quantity), String(last.quantity)],
    ]);
    // Wait for any write still in flight at the gateway, then count: a store is written at most once per max delay
    // while the readings are consumed, plus the first and the last flush; far from one write per reading.
    await eventually(async () => {
      for (const s of STORES) {
        const open = await http(gatewayUrl, 'GET', `/stores/${s.id}/stock-requests?status=open`, undefined, admin);
        if (open.status !== 200 || (open.body as unknown as unknown[]).length > 0) return false;
      }
      return true;
    }, { timeoutMs: 30_000, description: 'no open stock request at the gateway' });
    const allowed = Math.ceil(consumedMs / MAX_DELAY_MS) + 2;
    for (const s of STORES) {
      const writes = batchRequests(woo(s.id));
      expect(writes).toBeGreaterThanOrEqual(1);
      expect(writes).toBeLessThanOrEqual(allowed);
      expect(writes).toBeLessThanOrEqual(50);
    }
  });

  it('(c) a store order lowers every store sharing the stock at once, and is not counted twice once the ERP reading after its invoice absorbs it', async () => {
    // The webhooks the gateway's health job registered in se-shop deliver the order.
    const wooApi = new WooCommerceClient({ siteUrl: woo('se-shop').url, consumerKey: woo('se-shop').consumerKey, consumerSecret: woo('se-shop').consumerSecret });
    await eventually(async () => {
      const list = await wooApi.listWebhooks();
      return WEBHOOK_TOPICS.every((t) => list.some((h) => h.topic === t && h.status === 'active'));
    }, { timeoutMs: 20_000, intervalMs: 250, description: 'store-gateway registered the webhooks in se-shop' });

    const mugId = woo('se-shop').state.skus.get(MUG) as number;
    const address = { first_name: 'Eva', last_name: 'Lind', address_1: 'Storgatan 1', city: 'Uppsala', postcode: '75320', country: 'SE' };
    const order = await wooWrite<{ id: number }>(woo('se-shop'), '/orders', {
      payment_method: 'stripe',
      payment_method_title: 'Kort',
      set_paid: true,
      billing: { ...address, email: 'eva.lind@example.se' },
      shipping: address,
      line_items: [{ product_id: mugId, quantity: 2 }],
    });

    // No new ERP reading yet (the ERP still says 10): the two units are subtracted wherever stock point MAIN is sold.
    await waitShown({ 'se-shop': { [MUG]: 8 }, 'no-shop': { [MUG]: 7 }, 'dk-shop': { [MUG]: 8 } }, 'MUG 10 − 2 in se and dk, 10 − 1 − 2 in no');
    const before = await availability(MUG);
    const seOrder = [{ storeId: 'se-shop', orderId: String(order.id), quantity: '2' }];
    expect(before.map((s) => [s.storeId, s.erpFree, s.pending, s.available, s.pendingOrders.map(({ storeId, orderId, quantity }) => ({ storeId, orderId, quantity }))])).toEqual([
      ['dk-shop', '10', '2', '8', seOrder],
      ['no-shop', '10', '2', '7', seOrder],
      ['se-shop', '10', '2', '8', seOrder],
    ]);

    // connector-fortnox invoices the order and announces it (erp-document.recorded); inventory-sync records when.
    await eventually(async () => {
      const se = (await availability(MUG)).find((s) => s.storeId === 'se-shop');
      return se?.pendingOrders.some((o) => o.orderId === String(order.id) && o.documentRecordedAt !== null);
    }, { timeoutMs: 60_000, intervalMs: 250, description: `the invoice of order ${order.id} recorded by inventory-sync` });

    // The ERP's next reading contains the sale and a delivery of 5: 10 − 2 + 5 = 13. Counted twice it would be 11.
    fortnox.state.setStock(fortnoxCompany, { itemId: MUG, inStock: 13 });
    expect(await pollErp()).toMatchObject({ changed: 1 });
    await waitShown({ 'se-shop': { [MUG]: 13 }, 'no-shop': { [MUG]: 12 }, 'dk-shop': { [MUG]: 13 } }, 'MUG 13 (12 in no) after the reading absorbed the order');
    const after = await availability(MUG);
    expect(after.map((s) => [s.storeId, s.erpFree, s.pending, s.available, s.pendingOrders])).toEqual([
      ['dk-shop', '13', '0', '13', []],
      ['no-shop', '13', '0', '12', []],
      ['se-shop', '13', '0', '13', []],
    ]);
  });

  it('(d) drift typed into a store is found and corrected by a reconciliation, and reported', async () => {
    const w = woo('se-shop');
    const id = w.state.skus.get(SWEATER_L) as number;
    // A shop manager types 50 on the variation's edit screen.
    w.control.setStock(id, 50);
    expect(shownIn(w, SWEATER_L)).toBe(50);

    const started = await http(inventoryUrl, 'POST', `/tenants/${tenantId}/reconciliations`, {}, admin);
    expect(started.status).toBe(202);
    const reportId = started.body['id'] as string;
    const report = await eventually(async () => {
      const res = await http(inventoryUrl, 'GET', `/reconciliations/${reportId}`, undefined, admin);
      return res.status === 200 && res.body['complete'] === true ? res.body : null;
    }, { timeoutMs: 60_000, intervalMs: 250, description: `reconciliation ${reportId} reported by every store` });

    const stores = report['stores'] as Array<{ storeId: string; corrected: unknown[]; unchanged: number; unknownErpSkus: string[]; failed: unknown[] }>;
    const byStore = Object.fromEntries(stores.map((s) => [s.storeId, s]));
    expect(byStore['se-shop']).toMatchObject({ corrected: [{ sku: SWEATER_L, was: '50', now: '3' }], unchanged: 3, unknownErpSkus: [], failed: [] });
    expect(byStore['no-shop']).toMatchObject({ corrected: [], unchanged: 4, unknownErpSkus: [], failed: [] });
    expect(byStore['dk-shop']).toMatchObject({ corrected: [], unchanged: 2, failed: [] });
    expect([...(byStore['dk-shop']?.unknownErpSkus ?? [])].sort()).toEqual([SWEATER_L, SWEATER_M]);
    expect(shownIn(w, SWEATER_L)).toBe(3);
  });
});
