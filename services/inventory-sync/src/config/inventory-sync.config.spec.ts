import { loadInventorySyncConfig } from './inventory-sync.config';

const env = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', KAFKA_BROKERS: '127.0.0.1:9092', INVENTORY_SYNC_ADMIN_TOKEN: 'x'.repeat(24) };

describe('loadInventorySyncConfig', () => {
  it('fills in the defaults', () => {
    expect(loadInventorySyncConfig(env)).toMatchObject({ schema: 'inventory_sync', topicSuffix: '', coalesceWindowMs: 200, coalesceMaxDelayMs: 2000, reconcileIntervalMs: 86_400_000, controlConfigEnabled: true });
  });

  it('reads INVENTORY_SYNC_CONTROL_CONFIG as on or off only', () => {
    expect(loadInventorySyncConfig({ ...env, INVENTORY_SYNC_CONTROL_CONFIG: 'off' }).controlConfigEnabled).toBe(false);
    expect(() => loadInventorySyncConfig({ ...env, INVENTORY_SYNC_CONTROL_CONFIG: 'yes' })).toThrow(/INVENTORY_SYNC_CONTROL_CONFIG/);
  });

  it('lists every bad setting with its variable', () => {
    expect(() => loadInventorySyncConfig({ ...env, INVENTORY_SYNC_ADMIN_TOKEN: 'short', INVENTORY_SYNC_COALESCE_WINDOW_MS: 'soon' })).toThrow(
      /INVENTORY_SYNC_ADMIN_TOKEN[\s\S]*INVENTORY_SYNC_COALESCE_WINDOW_MS|INVENTORY_SYNC_COALESCE_WINDOW_MS[\s\S]*INVENTORY_SYNC_ADMIN_TOKEN/,
    );
  });

  it('refuses a max delay shorter than the window', () => {
    expect(() => loadInventorySyncConfig({ ...env, INVENTORY_SYNC_COALESCE_WINDOW_MS: '500', INVENTORY_SYNC_COALESCE_MAX_DELAY_MS: '100' })).toThrow('must be at least INVENTORY_SYNC_COALESCE_WINDOW_MS');
  });
});
