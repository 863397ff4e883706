/* eslint-disable @typescript-eslint/no-non-null-assertion -- ids and rows asserted to exist just before. */
import { WooCommerceClient } from '@ledgerline/woocommerce';
import { startGateway, TENANT, type Gateway } from './store-gateway.harness';

async function metric(gw: Gateway, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${gw.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('store-gateway sweeps and webhook health (sandbox WooCommerce, real PostgreSQL and Kafka)', () => {
  let gw: Gateway;
  const key = (orderId: number | string) => `${TENANT}:${gw.storeId}:${orderId}`;

  beforeAll(async () => {
    gw = await startGateway({ seed: 23 });
    const check = await gw.admin('POST', `/stores/${gw.storeId}/webhooks/check`);
    expect(check.json.created.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('finds an order whose delivery was dropped, emits order.placed once and counts it as missed', async () => {
    gw.woo.faults.dropDeliveries({ topic: 'order.created' });
    gw.woo.faults.dropDeliveries({ topic: 'order.updated' });
    const { orderIds } = gw.woo.control.generateOrders(1, { refundShare: 0, from: new Date(Date.now() - 60_000), to: new Date() });
    await gw.woo.control.webhooksIdle();
    gw.woo.faults.reset();
    const id = orderIds[0] as number;
    expect(gw.woo.control.deliveries().filter((d) => d.arg === id && d.topic.startsWith('order.')).every((d) => d.outcome === 'dropped')).toBe(true);
    expect(await gw.outbox({ key: key(id) })).toEqual([]);

    await new Promise((r) => setTimeout(r, 1000)); // the sweep window ends at the start of the current second
    const sweep = await gw.admin('POST', `/stores/${gw.storeId}/sweep`);
    expect(sweep.status).toBe(201);
    expect(sweep.json).toMatchObject({ storeId: gw.storeId, skipped: false, missed: 1, parked: 0 });
    expect((await gw.outbox({ key: key(id) })).map((r) => r.event_type)).toEqual(['order.placed']);
    expect(await metric(gw, 'ledgerline_sweep_orders_found_total', 'outcome="missed"')).toBe(1);

    // A second sweep re-reads the overlap window: the order is known, nothing is appended, the cursor does not go back.
    const again = await gw.admin('POST', `/stores/${gw.storeId}/sweep`);
    expect(again.json).toMatchObject({ missed: 0 });
    expect(again.json.alreadyKnown).toBeGreaterThanOrEqual(1);
    expect(Date.parse(again.json.cursor)).toBeGreaterThanOrEqual(Date.parse(sweep.json.cursor));
    expect(await gw.outbox({ key: key(id) })).toHaveLength(1);
    expect(await metric(gw, 'ledgerline_sweep_orders_found_total', 'outcome="already_known"')).toBeGreaterThanOrEqual(1);
  });

  it('backfills history older than the cursor from a given date, through the same idempotent ingest', async () => {
    const old = gw.woo.control.generateOrders(2, { refundShare: 0, webhooks: false, from: new Date(Date.now() - 40 * 86_400_000), to: new Date(Date.now() - 35 * 86_400_000) });
    const sweep = await gw.admin('POST', `/stores/${gw.storeId}/sweep`);
    expect(sweep.json.missed).toBe(0);
    const backfill = await gw.admin('POST', `/stores/${gw.storeId}/backfill`, { from: new Date(Date.now() - 41 * 86_400_000).toISOString() });
    expect(backfill.status).toBe(201);
    expect(backfill.json.missed).toBe(2);
    for (const id of old.orderIds) expect((await gw.outbox({ key: key(id) })).map((r) => r.event_type)).toEqual(['order.placed']);
    const bad = await gw.admin('POST', `/stores/${gw.storeId}/backfill`, { from: 'last tuesday' });
    expect(bad).toEqual({ status: 400, json: { statusCode: 400, code: 'BACKFILL_FROM_INVALID', message: 'Send {"from": "<ISO 8601 date-time>"}, like {"from": "2024-01-01T00:00:00Z"}.' } });
  });

  it('re-enables a webhook WooCommerce disabled, and deliveries flow again', async () => {
    const woo = new WooCommerceClient({ siteUrl: gw.woo.url, consumerKey: gw.woo.consumerKey, consumerSecret: gw.woo.consumerSecret });
    const hook = (await woo.listWebhooks()).find((h) => h.topic === 'order.updated');
    expect(hook).toBeDefined();
    await woo.updateWebhook(hook!.id, { status: 'disabled' });
    const paused = (await woo.listWebhooks()).find((h) => h.topic === 'order.created')!;
    await woo.updateWebhook(paused.id, { status: 'paused' });

    const check = await gw.admin('POST', `/stores/${gw.storeId}/webhooks/check`);
    expect(check.json.reenabled.sort()).toEqual([hook!.id, paused.id].sort());
    expect(check.json.created).toEqual([]);
    expect(gw.woo.control.webhook(hook!.id)?.status).toBe('active');
    expect(await metric(gw, 'ledgerline_webhooks_repaired_total', 'action="reenabled"')).toBe(2);

    const { orderIds } = gw.woo.control.generateOrders(1, { refundShare: 0, from: new Date(Date.now() - 10_000), to: new Date() });
    await gw.woo.control.webhooksIdle();
    expect((await gw.outbox({ key: key(orderIds[0] as number) })).map((r) => r.event_type)).toEqual(['order.placed']);
  });

  it('refuses admin calls without the admin token', async () => {
    const res = await fetch(`${gw.base}/stores/${gw.storeId}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('ADMIN_TOKEN_INVALID');
  });
});
