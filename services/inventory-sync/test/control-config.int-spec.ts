import { configKey, ControlConfigPublished, envelope } from '@ledgerline/contracts';
import { controlConfigTopic, OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { eventually } from '@ledgerline/testing';
import { level, newTenant, shownQuantities, startInventory, type InventoryUnderTest } from './inventory.harness';

const FLOW_OFF = 'inventory flow off in the control plane';

describe('inventory-sync honours the inventory flow of the control plane (real Kafka and PostgreSQL)', () => {
  let inv: InventoryUnderTest;

  beforeAll(async () => {
    inv = await startInventory('flows');
  });

  afterAll(async () => {
    await inv?.close();
  });

  /** Publishes a control-plane `store` record the way the control plane does: producer outbox + relay, keyed tenant:store:id. */
  const publishStore = async (tenantId: string, storeId: string, version: number, inventory: boolean): Promise<string> => {
    const event = envelope.of(
      new ControlConfigPublished({
        tenantId,
        kind: 'store',
        subjectId: storeId,
        version,
        deleted: false,
        data: { name: `Store ${storeId}`, siteUrl: `https://${storeId}.example`, currency: 'SEK', erpConnectionId: 'conn-1', flows: { orders: true, refunds: true, inventory, products: false, customers: false, payouts: false } },
        changedBy: 'ops@example.com',
        publishedAt: new Date().toISOString(),
      }),
      { tenantId, storeId: null },
    );
    const writer = new OutboxWriter(inv.producerDb.schema);
    await withTransaction(inv.producerDb.pool, (tx) => writer.append(tx, event, { topic: controlConfigTopic(inv.config.topicSuffix), key: configKey(tenantId, 'store', storeId) }));
    return event.id;
  };
  /** Waits until inventory-sync's config consumer has processed event `eventId` (applied or ignored). */
  const consumed = (eventId: string, description: string) =>
    eventually(async () => (await inv.db.pool.query(`SELECT 1 FROM ${inv.db.schema}.inbox_messages WHERE event_id = $1`, [eventId])).rowCount, { timeoutMs: 30_000, description });
  const heldVersion = async (tenantId: string, storeId: string) =>
    (await inv.db.pool.query<{ version: number }>(`SELECT version FROM ${inv.db.schema}.control_config WHERE tenant_id = $1 AND kind = 'store' AND subject_id = $2`, [tenantId, storeId])).rows[0]?.version ?? null;
  const shown = async (storeId: string) => shownQuantities((await inv.requests(storeId)).filter((r) => r.tenantId === tenant));
  const waitShown = (storeId: string, sku: string, quantity: string, description: string) =>
    eventually(async () => ((await shown(storeId))[sku] === quantity ? true : null), { timeoutMs: 30_000, description });
  /** Waits until the flush loop has taken the store's mark on `sku` (sent or not), so "nothing was sent" is a fact. */
  const flushed = (storeId: string, sku: string, description: string) =>
    eventually(
      async () => {
        const { rows } = await inv.db.pool.query<{ dirty: boolean }>(`SELECT dirty FROM ${inv.db.schema}.store_stock WHERE tenant_id = $1 AND store_id = $2 AND sku = $3`, [tenant, storeId, sku]);
        return rows[0] && !rows[0].dirty ? true : null;
      },
      { timeoutMs: 30_000, description },
    );
  const requestsOf = async (storeId: string) => (await inv.requests(storeId)).filter((r) => r.tenantId === tenant);

  const tenant = newTenant();

  it('sends a switched-off store nothing, says so, catches it up when switched on, and ignores an older record', async () => {
    // Two stores on the same ERP figure; the control plane has published neither yet, so both are on (as before).
    expect((await inv.admin('PUT', `/tenants/${tenant}/stores/off`, { warehouses: [null] })).status).toBe(200);
    expect((await inv.admin('PUT', `/tenants/${tenant}/stores/on`, { warehouses: [null] })).status).toBe(200);
    await inv.publish(level(tenant, 'MUG', null, '5', '2026-11-27T10:00:00.000Z'));
    await waitShown('off', 'MUG', '5', 'store "off" shows 5 before the control plane says anything');
    await waitShown('on', 'MUG', '5', 'store "on" shows 5');

    // The operator switches the inventory flow of "off" off (version 2 of its record).
    await consumed(await publishStore(tenant, 'off', 2, false), 'the record switching "off" off is consumed');
    expect(await heldVersion(tenant, 'off')).toBe(2);
    const before = (await requestsOf('off')).length;

    // A level change: "on" gets it, "off" gets nothing, and the flush took its mark without sending.
    await inv.publish(level(tenant, 'MUG', null, '7', '2026-11-27T10:01:00.000Z'));
    await waitShown('on', 'MUG', '7', 'store "on" shows the new level 7');
    await flushed('off', 'MUG', 'the flush loop took the change of store "off"');
    expect(await requestsOf('off')).toHaveLength(before);
    expect((await shown('off'))['MUG']).toBe('5');

    // The availability endpoint says why.
    const why = await inv.admin('GET', `/tenants/${tenant}/skus/MUG/availability`);
    expect(why.status).toBe(200);
    expect(why.json.stores.find((s: { storeId: string }) => s.storeId === 'off')).toMatchObject({ available: '7', inventoryFlow: 'off', notSent: FLOW_OFF, lastRequested: { quantity: '5' } });
    expect(why.json.stores.find((s: { storeId: string }) => s.storeId === 'on')).toMatchObject({ available: '7', inventoryFlow: 'on', notSent: null });

    // Reconciliation of every store and a full sync of "off": nothing for "off", and the report names it.
    const rec = await inv.admin('POST', `/tenants/${tenant}/reconciliations`, {});
    expect(rec.status).toBe(202);
    expect(rec.json.requests.map((r: { storeId: string }) => r.storeId)).toEqual(['on']);
    expect(rec.json.skipped).toEqual([{ storeId: 'off', reason: FLOW_OFF }]);
    const report = await inv.admin('GET', `/reconciliations/${rec.json.id}`);
    expect(report.json.stores.map((s: { storeId: string }) => s.storeId)).toEqual(['on']);
    expect(report.json.skipped).toEqual([{ storeId: 'off', reason: FLOW_OFF }]);
    const full = await inv.admin('POST', `/tenants/${tenant}/full-syncs`, { storeId: 'off' });
    expect(full.json).toMatchObject({ requests: [], skipped: [{ storeId: 'off', reason: FLOW_OFF }] });
    expect(await requestsOf('off')).toHaveLength(before);

    // Switched on again (version 3): the store is recomputed and gets its current level.
    await consumed(await publishStore(tenant, 'off', 3, true), 'the record switching "off" on again is consumed');
    await waitShown('off', 'MUG', '7', 'store "off" catches up with the level set while it was off');
    const caughtUp = (await requestsOf('off')).at(-1);
    expect(caughtUp).toMatchObject({ reason: 'change', items: [{ sku: 'MUG', quantity: '7' }] });

    // A record with a lower version (2, flow off) arriving late is ignored: the store stays on.
    await consumed(await publishStore(tenant, 'off', 2, false), 'the late version-2 record is consumed');
    expect(await heldVersion(tenant, 'off')).toBe(3);
    await inv.publish(level(tenant, 'MUG', null, '9', '2026-11-27T10:02:00.000Z'));
    await waitShown('on', 'MUG', '9', 'store "on" shows 9');
    await waitShown('off', 'MUG', '9', 'store "off" (still on) shows 9 too');
    const after = await inv.admin('GET', `/tenants/${tenant}/skus/MUG/availability`);
    expect(after.json.stores.find((s: { storeId: string }) => s.storeId === 'off')).toMatchObject({ inventoryFlow: 'on', notSent: null });
  });
});
