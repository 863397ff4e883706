import { randomUUID } from 'node:crypto';
import { parseEnvelope, stockKey, storeKey, type StoreStockRequested } from '@ledgerline/contracts';
import { eventually, readTopic } from '@ledgerline/testing';
import { COMPONENTS, type InventoryComponents } from '../src/messaging/components';
import { applied, level, newTenant, shownQuantities, startInventory, type InventoryUnderTest } from './inventory.harness';

describe('inventory-sync reconciliation, unknown SKUs and bad data (real Kafka and PostgreSQL)', () => {
  let inv: InventoryUnderTest;

  beforeAll(async () => {
    inv = await startInventory('findings');
  });

  afterAll(async () => {
    await inv?.close();
  });

  const settle = () => new Promise((r) => setTimeout(r, 700));
  const requestsFor = (storeId: string, sku: string) => inv.requests(storeId).then((all) => all.filter((r) => r.items.some((i) => i.sku === sku)));

  it('publishes change requests on the store-stock topic keyed by tenant and store', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/nordic`, { warehouses: [null] });
    await inv.publish(level(tenant, 'KAFKA-1', null, '12'));
    const key = storeKey(tenant, 'nordic');
    const messages = await eventually(
      async () => {
        const read = (await readTopic(inv.topics.storeStock, { expected: 1, timeoutMs: 3_000 })).filter((m) => m.key === key);
        return read.length > 0 ? read : null;
      },
      { timeoutMs: 20_000, description: 'the request on Kafka' },
    );
    const env = parseEnvelope(messages[0]?.value ?? '');
    expect(env.type).toBe('store-stock.requested');
    expect(env.payload as StoreStockRequested).toMatchObject({ tenantId: tenant, storeId: 'nordic', reason: 'change', part: 1, parts: 1, complete: false, items: [{ sku: 'KAFKA-1', quantity: '12' }] });
  });

  it('lists an ERP SKU that no store has once, however many readings follow, and stops sending it', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/a`, { warehouses: [null] });
    await inv.admin('PUT', `/tenants/${tenant}/stores/b`, { warehouses: [null] });
    await inv.publish(level(tenant, 'GHOST', null, '5', '2026-11-26T10:00:00.000Z'), level(tenant, 'REAL', null, '3', '2026-11-26T10:00:00.000Z'));
    const [ra, rb] = await eventually(
      async () => {
        const a = await requestsFor('a', 'GHOST');
        const b = await requestsFor('b', 'GHOST');
        return a[0] && b[0] ? [a[0], b[0]] : null;
      },
      { timeoutMs: 20_000, description: 'GHOST requested from both stores' },
    );
    if (!ra || !rb) throw new Error('unreachable');
    // Store a has REAL, store b has neither; only GHOST is unknown everywhere.
    await inv.publish(applied(ra, { unknownSkus: ['GHOST'], written: ra.items.some((i) => i.sku === 'REAL') ? [{ sku: 'REAL', was: '0', now: '3' }] : [] }));
    await inv.publish(applied(rb, { unknownSkus: rb.items.map((i) => i.sku) }));
    const listed = await eventually(
      async () => {
        const res = await inv.admin('GET', `/tenants/${tenant}/unknown-erp-skus`);
        return res.json.skus.length > 0 ? res.json.skus : null;
      },
      { timeoutMs: 20_000, description: 'GHOST listed' },
    );
    expect(listed).toEqual([
      expect.objectContaining({
        sku: 'GHOST',
        stores: ['a', 'b'],
        readings: 1,
        operatorMessage: expect.stringContaining('ERP article "GHOST" (tenant'),
      }),
    ]);
    const sentBefore = (await requestsFor('a', 'GHOST')).length + (await requestsFor('b', 'GHOST')).length;

    const later = Array.from({ length: 20 }, (_, i) => level(tenant, 'GHOST', null, String(6 + i), new Date(Date.parse('2026-11-26T11:00:00.000Z') + i * 1000)));
    await inv.publish(...later);
    const after = await eventually(
      async () => {
        const res = await inv.admin('GET', `/tenants/${tenant}/unknown-erp-skus`);
        return res.json.skus[0]?.readings === 21 ? res.json.skus : null;
      },
      { timeoutMs: 20_000, description: '20 more readings counted on the same row' },
    );
    expect(after).toHaveLength(1);
    expect(Date.parse(after[0].lastSeenAt)).toBeGreaterThan(Date.parse(after[0].firstSeenAt));
    await settle();
    expect((await requestsFor('a', 'GHOST')).length + (await requestsFor('b', 'GHOST')).length).toBe(sentBefore);
    const { rows } = await inv.db.pool.query(`SELECT count(*)::int AS n FROM ${inv.db.schema}.unknown_erp_skus WHERE tenant_id = $1`, [tenant]);
    expect(rows[0].n).toBe(1);
  });

  it('reconciles a store on demand and reports corrected drift, store-only SKUs, unknown SKUs and failures', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/drift`, { warehouses: ['MAIN'], safetyBuffer: '1' });
    await inv.publish(level(tenant, 'R-1', 'MAIN', '6'), level(tenant, 'R-2', 'MAIN', '9'), level(tenant, 'R-3', 'MAIN', '2'));
    await eventually(async () => Object.keys(shownQuantities(await inv.requests('drift'))).length === 3, { timeoutMs: 20_000, description: 'change requests sent' });

    const started = await inv.admin('POST', `/tenants/${tenant}/reconciliations`, { storeId: 'drift' });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ tenantId: tenant, storeId: 'drift', reason: 'reconciliation', trigger: 'operator', requests: [{ storeId: 'drift', parts: 1, items: 3 }] });
    const request = (await inv.requests('drift')).find((r) => r.requestId === started.json.requests[0].requestId);
    expect(request).toMatchObject({ reason: 'reconciliation', complete: true, part: 1, parts: 1 });
    expect(request?.items).toEqual([
      { sku: 'R-1', quantity: '5' },
      { sku: 'R-2', quantity: '8' },
      { sku: 'R-3', quantity: '1' },
    ]);
    if (!request) throw new Error('unreachable');

    let report = await inv.admin('GET', `/reconciliations/${started.json.id}`);
    expect(report.json).toMatchObject({ complete: false, stores: [{ storeId: 'drift', partsReported: 0 }] });

    // The gateway found R-1 drifted in the store (someone set it to 40) and could not write R-3.
    await inv.publish(
      applied(request, {
        written: [{ sku: 'R-1', was: '40', now: '5' }],
        unchangedCount: '1',
        failed: [{ sku: 'R-3', code: 'woocommerce_rest_invalid_id', message: 'Invalid ID.' }],
        storeOnlySkus: ['OLD-7'],
      }),
    );
    report = await eventually(
      async () => {
        const res = await inv.admin('GET', `/reconciliations/${started.json.id}`);
        return res.json.complete ? res : null;
      },
      { timeoutMs: 20_000, description: 'report complete' },
    );
    expect(report.json).toMatchObject({
      id: started.json.id,
      reason: 'reconciliation',
      complete: true,
      stores: [
        {
          storeId: 'drift',
          items: 3,
          unchanged: 1,
          corrected: [{ sku: 'R-1', was: '40', now: '5' }],
          storeOnlySkus: ['OLD-7'],
          unknownErpSkus: [],
          failed: [{ sku: 'R-3', code: 'woocommerce_rest_invalid_id', message: 'Invalid ID.' }],
        },
      ],
    });
    const storeOnly = await inv.admin('GET', `/tenants/${tenant}/store-only-skus?storeId=drift`);
    expect(storeOnly.json.skus).toEqual([expect.objectContaining({ storeId: 'drift', sku: 'OLD-7', operatorMessage: expect.stringContaining('no article with that number') })]);
    const metrics = await (await fetch(`${inv.base}/metrics`)).text();
    expect(metrics).toMatch(/ledgerline_inventory_drift_corrected_total\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/ledgerline_inventory_requests_emitted_total\{[^}]*reason="reconciliation"[^}]*\} [1-9]/);

    const missing = await inv.admin('POST', `/tenants/${tenant}/reconciliations`, { storeId: 'nope' });
    expect(missing.status).toBe(404);
    expect(missing.json.message).toContain('Store "nope"');
  });

  it('parks negative and non-numeric levels with a reason naming the SKU and value, and keeps consuming', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/bad`, { warehouses: [null] });
    const raw = (sku: string, quantity: unknown) => ({
      id: randomUUID(),
      type: 'stock-level.changed',
      schemaVersion: 1,
      tenantId: tenant,
      storeId: null,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      payload: { tenantId: tenant, sku, warehouseCode: null, quantity, erp: 'fortnox', erpConnectionId: 'conn-1', readAt: new Date().toISOString() },
    });
    await inv.publishRaw(inv.topics.stockLevels, stockKey(tenant, 'NEG-1'), raw('NEG-1', '-3'));
    await inv.publishRaw(inv.topics.stockLevels, stockKey(tenant, 'NAN-1'), raw('NAN-1', 'lots'));
    await inv.publish(level(tenant, 'FINE-1', null, '4'));

    const parked = await eventually(
      async () => {
        const { rows } = await inv.db.pool.query(`SELECT message_key, code, operator_message FROM ${inv.db.schema}.parked_events WHERE tenant_id = $1 ORDER BY message_key`, [tenant]);
        return rows.length === 2 ? rows : null;
      },
      { timeoutMs: 20_000, description: 'both bad levels parked' },
    );
    expect(parked[0]).toMatchObject({ message_key: stockKey(tenant, 'NAN-1'), code: 'CONTRACT_EVENT_INVALID' });
    expect(parked[0].operator_message).toContain('SKU "NAN-1"');
    expect(parked[0].operator_message).toContain('(got "lots")');
    expect(parked[1]).toMatchObject({ message_key: stockKey(tenant, 'NEG-1'), code: 'CONTRACT_EVENT_INVALID' });
    expect(parked[1].operator_message).toContain('SKU "NEG-1"');
    expect(parked[1].operator_message).toContain('(got "-3")');
    await eventually(async () => shownQuantities(await inv.requests('bad'))['FINE-1'] === '4', { timeoutMs: 20_000, description: 'the good level still flows' });
    const list = await inv.admin('GET', '/parked-events');
    expect(list.json.events.filter((e: { tenant_id: string }) => e.tenant_id === tenant)).toHaveLength(2);
  });

  it('runs the scheduled reconciliation once per interval across replicas and lists the tenant\'s stores', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/one`, { warehouses: [null], skuBuffers: { S1: '2' } });
    await inv.admin('PUT', `/tenants/${tenant}/stores/two`, { warehouses: ['MAIN', null] });
    expect((await inv.admin('GET', `/tenants/${tenant}/stores`)).json).toEqual({
      tenantId: tenant,
      stores: [
        { tenantId: tenant, storeId: 'one', warehouses: [null], safetyBuffer: '0', skuBuffers: { S1: '2' } },
        { tenantId: tenant, storeId: 'two', warehouses: ['MAIN', null], safetyBuffer: '0', skuBuffers: {} },
      ],
    });
    await inv.publish(level(tenant, 'S1', null, '7'));
    await eventually(async () => shownQuantities(await inv.requests('one'))['S1'] === '5', { timeoutMs: 20_000, description: 'S1 sent' });

    const service = inv.app.get<InventoryComponents>(COMPONENTS).reconciliation;
    const [first, second] = await Promise.all([service.runScheduled(3_600_000), service.runScheduled(3_600_000)]);
    const started = [...(first ?? []), ...(second ?? [])];
    const mine = started.filter((r) => r.tenantId === tenant);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ trigger: 'schedule', reason: 'reconciliation', storeId: null });
    expect(mine[0]?.requests.map((r) => [r.storeId, r.items])).toEqual([
      ['one', 1],
      ['two', 1],
    ]);
    expect(await service.runScheduled(3_600_000)).toEqual([]);
  });

  it('serves health and metrics', async () => {
    expect((await fetch(`${inv.base}/health/live`)).status).toBe(200);
    const ready = await eventually(async () => {
      const res = await fetch(`${inv.base}/health/ready`);
      return res.status === 200 ? res : null;
    });
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${inv.base}/metrics`)).text();
    for (const name of ['ledgerline_inventory_levels_received_total', 'ledgerline_inventory_items_requested_total', 'ledgerline_inventory_unknown_erp_skus', 'ledgerline_inventory_change_to_request_seconds_bucket']) {
      expect(metrics).toContain(name);
    }
  });
});
