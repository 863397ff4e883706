import { eventually } from '@ledgerline/testing';
import { createInventorySyncApp } from '../src/app.factory';
import { level, newTenant, shownQuantities, startInventory, type InventoryUnderTest } from './inventory.harness';

describe('inventory-sync across restarts and replicas (real Kafka and PostgreSQL)', () => {
  let inv: InventoryUnderTest;

  beforeAll(async () => {
    inv = await startInventory('replicas');
  });

  afterAll(async () => {
    await inv?.close();
  });

  const settle = () => new Promise((r) => setTimeout(r, 700));
  const requestsFor = (storeId: string, sku: string) => inv.requests(storeId).then((all) => all.filter((r) => r.items.some((i) => i.sku === sku)));

  it('keeps a change that was marked but not flushed across a crash and sends it after the restart', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/crash`, { warehouses: [null] });
    // A window too long to close before the "crash".
    await inv.restart({ INVENTORY_SYNC_COALESCE_WINDOW_MS: '60000', INVENTORY_SYNC_COALESCE_MAX_DELAY_MS: '600000' });
    await inv.publish(level(tenant, 'KEPT', null, '11'));
    await eventually(
      async () => (await inv.db.pool.query(`SELECT 1 FROM ${inv.db.schema}.store_stock WHERE tenant_id = $1 AND sku = 'KEPT' AND dirty`, [tenant])).rowCount,
      { timeoutMs: 20_000, description: 'change marked' },
    );
    expect(await requestsFor('crash', 'KEPT')).toEqual([]);
    await inv.restart({ INVENTORY_SYNC_COALESCE_WINDOW_MS: '200', INVENTORY_SYNC_COALESCE_MAX_DELAY_MS: '2000' });
    await eventually(async () => shownQuantities(await inv.requests('crash'))['KEPT'] === '11', { timeoutMs: 20_000, description: 'the kept change is sent after restart' });
    expect(await requestsFor('crash', 'KEPT')).toHaveLength(1);
  });

  it('sends each change once when two replicas consume and flush the same schema', async () => {
    const tenant = newTenant();
    await inv.admin('PUT', `/tenants/${tenant}/stores/twin`, { warehouses: [null] });
    const second = await createInventorySyncApp(inv.config, { logger: false });
    await second.init();
    try {
      const skus = Array.from({ length: 40 }, (_, i) => `TWIN-${String(i).padStart(2, '0')}`);
      await inv.publish(...skus.map((sku, i) => level(tenant, sku, null, String(i + 1))));
      const shown = await eventually(
        async () => {
          const now = shownQuantities(await inv.requests('twin'));
          return skus.every((sku, i) => now[sku] === String(i + 1)) ? now : null;
        },
        { timeoutMs: 30_000, description: 'all 40 SKUs requested' },
      );
      expect(Object.keys(shown)).toHaveLength(40);
      await settle();
      const items = (await inv.requests('twin')).flatMap((r) => r.items.map((i) => i.sku));
      expect(items.sort()).toEqual(skus);
    } finally {
      await second.close();
    }
  });
});
