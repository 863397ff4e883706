import { OrderCancelled, OrderRefunded } from '@ledgerline/contracts';
import { eventually } from '@ledgerline/testing';
import { invoiceRecorded, level, newTenant, orderPlaced, shownQuantities, startInventory, type InventoryUnderTest } from './inventory.harness';

describe('inventory-sync availability (real Kafka and PostgreSQL)', () => {
  let inv: InventoryUnderTest;

  beforeAll(async () => {
    inv = await startInventory('avail');
  });

  afterAll(async () => {
    await inv?.close();
  });

  const shown = async (storeId: string) => shownQuantities(await inv.requests(storeId));
  const waitShown = (storeId: string, expected: Record<string, string>, description: string, timeoutMs = 20_000) =>
    eventually(
      async () => {
        const now = await shown(storeId);
        return Object.entries(expected).every(([sku, qty]) => now[sku] === qty) ? now : null;
      },
      { timeoutMs, description },
    );
  const levelOf = async (tenantId: string, sku: string, readAt: string) =>
    eventually(async () => (await inv.db.pool.query(`SELECT 1 FROM ${inv.db.schema}.stock_levels WHERE tenant_id = $1 AND sku = $2 AND read_at = $3`, [tenantId, sku, readAt])).rowCount, {
      description: `level of ${sku} read at ${readAt} stored`,
    });
  // Long enough for a due change to be flushed (window 200 ms, tick 20 ms) before asserting that nothing was sent.
  const settle = () => new Promise((r) => setTimeout(r, 700));

  it('sums the warehouses a store sells from, takes off its buffer and its pending orders, and explains the figure', async () => {
    const tenant = newTenant();
    expect((await inv.admin('PUT', `/tenants/${tenant}/stores/se`, { warehouses: ['MAIN', 'B2'], safetyBuffer: '2', skuBuffers: { CAP: '0' } })).status).toBe(200);
    expect((await inv.admin('PUT', `/tenants/${tenant}/stores/de`, { warehouses: [null] })).status).toBe(200);
    const { placed } = orderPlaced(tenant, 'se', '1001', [{ sku: 'MUG', quantity: '3' }]);
    await inv.publish(level(tenant, 'MUG', 'MAIN', '10'), level(tenant, 'MUG', 'B2', '5'), level(tenant, 'MUG', 'OTHER', '100'), level(tenant, 'MUG', null, '7'), level(tenant, 'CAP', 'MAIN', '3.5'));
    await inv.publish(placed);

    await waitShown('se', { MUG: '10', CAP: '3' }, 'se shows MUG 15 - 2 - 3 = 10 and CAP floor(3.5 - 0) = 3');
    await waitShown('de', { MUG: '7' }, 'de shows the ERP single figure 7');
    expect(Object.keys(await shown('de'))).toEqual(['MUG']);

    const why = await inv.admin('GET', `/tenants/${tenant}/skus/MUG/availability`);
    expect(why.status).toBe(200);
    const se = why.json.stores.find((s: { storeId: string }) => s.storeId === 'se');
    expect(se).toMatchObject({
      warehouses: ['MAIN', 'B2'],
      erpFree: '15',
      safetyBuffer: '2',
      pending: '3',
      available: '10',
      pendingOrders: [{ orderId: '1001', quantity: '3', documentRecordedAt: null }],
      lastRequested: { quantity: '10' },
      storeHasSku: null,
    });
    expect(se.levels.map((l: { warehouseCode: string }) => l.warehouseCode).sort()).toEqual(['B2', 'MAIN']);
    expect(why.json.stores.find((s: { storeId: string }) => s.storeId === 'de')).toMatchObject({ erpFree: '7', pending: '0', available: '7' });
  });

  it('turns a burst of 1,000 readings of one SKU into a few requests that end on the newest level', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/burst`, { warehouses: [null] });
    const start = Date.parse('2026-11-26T12:00:00.000Z');
    const readings = Array.from({ length: 1000 }, (_, i) => level(tenant, 'HOT', null, String(1000 - i), new Date(start + i)));
    const before = Date.now();
    await inv.publish(...readings);

    // One transaction per reading: on a loaded 2-core CI machine the burst takes tens of seconds to consume.
    await waitShown('burst', { HOT: '1' }, 'the newest reading (1) reaches the store', 90_000);
    await settle();
    const requests = (await inv.requests('burst')).filter((r) => r.items.some((i) => i.sku === 'HOT'));
    // The quiet window never closes while readings keep arriving, so the max delay paces the requests: at most one per
    // max delay while the consumer works through the burst, plus the final one.
    const { rows } = await inv.db.pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM max(processed_at) - min(processed_at)) * 1000 AS ms FROM ${inv.db.schema}.inbox_messages WHERE topic = $1 AND processed_at >= to_timestamp($2 / 1000.0)`,
      [inv.topics.stockLevels, before],
    );
    const consumedMs = Number(rows[0]?.ms ?? 0);
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(requests.length).toBeLessThanOrEqual(Math.ceil(consumedMs / inv.config.coalesceMaxDelayMs) + 2);
    expect(requests.length).toBeLessThan(30);
    expect(requests.every((r) => r.reason === 'change' && r.complete === false && r.items.length === 1)).toBe(true);
    expect(requests.at(-1)?.items).toEqual([{ sku: 'HOT', quantity: '1' }]);
  }, 120_000);

  it('sends nothing when a newer reading, or a change and its undoing within the window, leaves the quantity as it is', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/calm`, { warehouses: [null] });
    await inv.publish(level(tenant, 'SAME', null, '4', '2026-11-26T12:00:00.000Z'));
    await waitShown('calm', { SAME: '4' }, 'first reading sent');
    const count = (await inv.requests('calm')).length;

    await inv.publish(level(tenant, 'SAME', null, '4', '2026-11-26T12:05:00.000Z'));
    await inv.publish(level(tenant, 'SAME', null, '9', '2026-11-26T12:06:00.000Z'), level(tenant, 'SAME', null, '4', '2026-11-26T12:06:00.100Z'));
    await levelOf(tenant, 'SAME', '2026-11-26T12:06:00.100Z');
    // A reading older than the stored one is stale and changes nothing.
    await inv.publish(level(tenant, 'SAME', null, '1', '2026-11-26T11:00:00.000Z'));
    await settle();
    expect((await inv.requests('calm')).length).toBe(count);
    const { rows } = await inv.db.pool.query(`SELECT quantity::text, dirty FROM ${inv.db.schema}.stock_levels JOIN ${inv.db.schema}.store_stock USING (tenant_id, sku) WHERE tenant_id = $1`, [tenant]);
    expect(rows).toEqual([{ quantity: '4', dirty: false }]);
  });

  it('subtracts an order at once and stops exactly when a reading taken after its invoice arrives', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/shop`, { warehouses: [null] });
    await inv.publish(level(tenant, 'ORD', null, '10', new Date(Date.now() - 60_000)));
    await waitShown('shop', { ORD: '10' }, 'the ERP level reaches the store');

    const { order, placed } = orderPlaced(tenant, 'shop', '2001', [{ sku: 'ORD', quantity: '3' }]);
    await inv.publish(placed);
    await waitShown('shop', { ORD: '7' }, 'the order lowers availability before the ERP knows it');

    const recordedAt = new Date(Date.now() - 10_000).toISOString();
    await inv.publish(invoiceRecorded(order.orderRef, recordedAt));
    // A reading taken before the invoice does not contain the order: it is still subtracted.
    const before = new Date(Date.parse(recordedAt) - 1_000).toISOString();
    await inv.publish(level(tenant, 'ORD', null, '10', before));
    await levelOf(tenant, 'ORD', before);
    await settle();
    let why = await inv.admin('GET', `/tenants/${tenant}/skus/ORD/availability`);
    expect(why.json.stores[0]).toMatchObject({ erpFree: '10', pending: '3', available: '7' });
    const count = (await inv.requests('shop')).length;

    // The ERP's reading after the invoice contains the order (10 - 3): it is not subtracted a second time.
    const after = new Date(Date.parse(recordedAt) + 1_000).toISOString();
    await inv.publish(level(tenant, 'ORD', null, '7', after));
    await levelOf(tenant, 'ORD', after);
    await settle();
    why = await inv.admin('GET', `/tenants/${tenant}/skus/ORD/availability`);
    expect(why.json.stores[0]).toMatchObject({ erpFree: '7', pending: '0', available: '7', pendingOrders: [] });
    expect((await inv.requests('shop')).length).toBe(count);
    const { rows } = await inv.db.pool.query(`SELECT absorbed_by_read_at FROM ${inv.db.schema}.order_stock_lines WHERE tenant_id = $1`, [tenant]);
    expect(rows.map((r) => (r.absorbed_by_read_at as Date).toISOString())).toEqual([after]);

    // A later order update cannot bring absorbed units back.
    const { placed: updated } = orderPlaced(tenant, 'shop', '2001', [{ sku: 'ORD', quantity: '5' }], new Date(Date.now() + 1000).toISOString());
    await inv.publish({ event: updated.event, ctx: updated.ctx });
    await settle();
    expect((await inv.admin('GET', `/tenants/${tenant}/skus/ORD/availability`)).json.stores[0]).toMatchObject({ pending: '0', available: '7' });
  });

  it('absorbs an order when its invoice arrives after a reading that was taken later', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/shop`, { warehouses: ['MAIN'] });
    await inv.publish(level(tenant, 'LATE', 'MAIN', '8', new Date(Date.now() - 60_000)));
    const { order, placed } = orderPlaced(tenant, 'shop', '3001', [{ sku: 'LATE', quantity: '2' }]);
    await inv.publish(placed);
    await waitShown('shop', { LATE: '6' }, 'the order is subtracted');

    const recordedAt = new Date(Date.now() - 5_000).toISOString();
    // The ERP already booked the invoice, so this reading (8 - 2 = 6) contains the order, but the document event is late.
    await inv.publish(level(tenant, 'LATE', 'MAIN', '6', new Date()));
    await waitShown('shop', { LATE: '4' }, 'until the document arrives the order is counted on the safe side');
    await inv.publish(invoiceRecorded(order.orderRef, recordedAt));
    await waitShown('shop', { LATE: '6' }, 'the document absorbs the order against the reading already held');
  });

  it('ignores an order snapshot older than the one applied, and absorbs an order whose invoice was known before the order', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/shop`, { warehouses: [null] });
    await inv.publish(level(tenant, 'SNAP', null, '10', new Date(Date.now() - 60_000)));
    const v2 = orderPlaced(tenant, 'shop', '5001', [{ sku: 'SNAP', quantity: '4' }], '2026-11-26T10:00:02.000Z');
    const v1 = orderPlaced(tenant, 'shop', '5001', [{ sku: 'SNAP', quantity: '1' }], '2026-11-26T10:00:01.000Z');
    await inv.publish(v2.placed, v1.placed);
    await waitShown('shop', { SNAP: '6' }, 'the newer snapshot (4 units) wins over the late older one');

    // The invoice event is consumed before the order event (different topics); a newer reading is already held.
    const fresh = orderPlaced(tenant, 'shop', '5002', [{ sku: 'SNAP', quantity: '2' }]);
    await inv.publish(invoiceRecorded(fresh.order.orderRef, new Date(Date.now() - 30_000).toISOString()));
    await eventually(async () => (await inv.db.pool.query(`SELECT 1 FROM ${inv.db.schema}.order_stock WHERE tenant_id = $1 AND order_id = '5002'`, [tenant])).rowCount, {
      description: 'document recorded',
    });
    await inv.publish(level(tenant, 'SNAP', null, '8', new Date()));
    await waitShown('shop', { SNAP: '4' }, 'the reading (8, containing order 5002) less the open order 5001 (4)');
    await inv.publish(fresh.placed);
    await settle();
    expect((await inv.admin('GET', `/tenants/${tenant}/skus/SNAP/availability`)).json.stores[0]).toMatchObject({ erpFree: '8', pending: '4', available: '4' });
    expect(shownQuantities(await inv.requests('shop'))['SNAP']).toBe('4');
  });

  it('releases the units of a cancelled order and the units returned by a refund', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/shop`, { warehouses: [null], safetyBuffer: '1' });
    await inv.publish(level(tenant, 'TEE', null, '20'));
    const a = orderPlaced(tenant, 'shop', '4001', [{ sku: 'TEE', quantity: '5' }, { sku: null, quantity: '1' }]);
    const b = orderPlaced(tenant, 'shop', '4002', [{ sku: 'TEE', quantity: '4' }]);
    await inv.publish(a.placed, b.placed);
    await waitShown('shop', { TEE: '10' }, '20 - 1 - 5 - 4 = 10');

    await inv.publish({ event: new OrderCancelled({ orderRef: a.order.orderRef, reason: null, cancelledAt: new Date().toISOString() }), ctx: { tenantId: tenant, storeId: 'shop' } });
    await waitShown('shop', { TEE: '15' }, 'the cancelled order releases its 5 units');

    const line = b.order.lines[0];
    if (!line) throw new Error('order has no line');
    const sek = (amount: string) => ({ amount, currency: 'SEK' });
    const refund = new OrderRefunded({
      refundId: 'r-1',
      orderRef: b.order.orderRef,
      currency: 'SEK',
      createdAt: new Date().toISOString(),
      amount: sek('100.00'),
      reason: null,
      amountOnly: false,
      refundedPayment: true,
      lines: [{ lineId: 'r1', orderLineId: line.lineId, productId: line.productId, variationId: null, sku: 'TEE', name: line.name, quantity: '1', total: sek('80.00'), totalTax: sek('20.00'), taxes: [] }],
      shippingLines: [],
      feeLines: [],
    });
    await inv.publish({ event: refund, ctx: { tenantId: tenant, storeId: 'shop' } }, { event: refund, ctx: { tenantId: tenant, storeId: 'shop' } });
    await waitShown('shop', { TEE: '16' }, 'the refund returns 1 unit, once for the refund id though delivered twice');
    await settle();
    expect((await inv.admin('GET', `/tenants/${tenant}/skus/TEE/availability`)).json.stores[0]).toMatchObject({ pending: '3', available: '16' });
    const { rows } = await inv.db.pool.query(`SELECT lines_without_sku FROM ${inv.db.schema}.order_stock WHERE tenant_id = $1 AND order_id = '4001'`, [tenant]);
    expect(rows).toEqual([{ lines_without_sku: 1 }]);
  });

  it('refuses store settings that cannot work, naming each field', async () => {
    const res = await inv.admin('PUT', `/tenants/${newTenant()}/stores/bad`, { warehouses: 'MAIN', safetyBuffer: '-2' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'INVENTORY_SETTINGS_INVALID' });
    expect(res.json.problems).toHaveLength(2);
    const anonymous = await fetch(`${inv.base}/tenants/x/stores`, { headers: { authorization: 'Bearer wrong' } });
    expect(anonymous.status).toBe(401);
  });
});
