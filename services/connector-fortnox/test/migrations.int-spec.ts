// Upgrading a database whose document intents were keyed by the bare WooCommerce order id (before 1764150000006).
import { ensureErpKitSchema } from '@ledgerline/erp-kit';
import { runMigrations } from '@ledgerline/persistence';
import { createTestDatabase, type TestDatabase } from '@ledgerline/testing';
import { migrations } from '../src/persistence/migrations';

describe('connector-fortnox migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('fortnox_migrations');
  });

  afterAll(async () => {
    await db.drop();
  });

  it('qualifies old order, refund and credit-for source ids with their store, and leaves new ones alone', async () => {
    const before = migrations.filter((m) => m.id < '1764150000006');
    await runMigrations(db.pool, db.schema, before);
    await ensureErpKitSchema(db.pool, db.schema);
    const insert = (storeId: string, kind: string, sourceId: string, documentKind: string, payload: object) =>
      db.pool.query(
        `INSERT INTO ${db.schema}.document_intents (tenant_id, connection_id, store_id, source_kind, source_id, document_kind, external_ref, payload, correlation_id, causation_id)
         VALUES ('acme', 'fortnox-1', $1, $2, $3, $4, $5, $6, 'c', 'c')`,
        [storeId, kind, sourceId, documentKind, `LL|acme|${storeId}|${sourceId}|${documentKind}`, JSON.stringify(payload)],
      );
    await insert('se', 'order', '1005', 'invoice', {});
    await insert('se', 'refund', '1005:77', 'credit-invoice', { creditFor: { sourceId: '1005' } });
    await insert('outlet', 'order', 'outlet:1005', 'invoice', {});
    await insert('outlet', 'refund', 'outlet:1005:78', 'credit-invoice', { creditFor: { sourceId: 'outlet:1005' } });

    await runMigrations(db.pool, db.schema, migrations);

    const { rows } = await db.pool.query(`SELECT store_id, source_id, payload #>> '{creditFor,sourceId}' AS credit_for FROM ${db.schema}.document_intents ORDER BY store_id, source_kind, source_id`);
    expect(rows).toEqual([
      { store_id: 'outlet', source_id: 'outlet:1005', credit_for: null },
      { store_id: 'outlet', source_id: 'outlet:1005:78', credit_for: 'outlet:1005' },
      { store_id: 'se', source_id: 'se:1005', credit_for: null },
      { store_id: 'se', source_id: 'se:1005:77', credit_for: 'se:1005' },
    ]);
  });

  it('runs on a new database, where erp-kit creates the intents table after the migrations', async () => {
    const fresh = await createTestDatabase('fortnox_migrations_new');
    try {
      await runMigrations(fresh.pool, fresh.schema, migrations);
      await ensureErpKitSchema(fresh.pool, fresh.schema);
      const { rows } = await fresh.pool.query(`SELECT count(*)::int AS n FROM ${fresh.schema}.document_intents`);
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await fresh.drop();
    }
  });
});
