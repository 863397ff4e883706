import { createTestDatabase, type TestDatabase } from '@ledgerline/testing';
import { runMigrations, type Migration } from '../src';

describe('runMigrations against a real PostgreSQL', () => {
  let db: TestDatabase;
  const first: Migration = { id: '1735900000000-create-store-orders', sql: 'CREATE TABLE {{schema}}.store_orders (id bigint PRIMARY KEY)' };
  const second: Migration = { id: '1735900000001-add-status-to-store-orders', sql: `ALTER TABLE {{schema}}.store_orders ADD COLUMN status text NOT NULL DEFAULT 'pending'` };

  beforeEach(async () => {
    db = await createTestDatabase('migrations');
  });
  afterEach(async () => db.drop());

  it('applies pending migrations in order once, even when replicas start together', async () => {
    const reports = await Promise.all([1, 2, 3].map(() => runMigrations(db.pool, db.schema, [first, second])));
    expect(reports.flatMap((r) => r.applied).sort()).toEqual([first.id, second.id]);
    const { rows } = await db.pool.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'store_orders' ORDER BY ordinal_position`, [db.schema]);
    expect(rows.map((r) => r.column_name)).toEqual(['id', 'status']);
  });

  it('refuses to start when an applied migration was edited', async () => {
    await runMigrations(db.pool, db.schema, [first]);
    await expect(runMigrations(db.pool, db.schema, [{ ...first, sql: first.sql + ', note text' }])).rejects.toThrow(
      `Migration ${first.id} of schema ${db.schema} was changed after it was applied. Restore its original SQL and add a new migration instead.`,
    );
  });

  it('refuses to start when the database is ahead of this build', async () => {
    await runMigrations(db.pool, db.schema, [first, second]);
    await expect(runMigrations(db.pool, db.schema, [first])).rejects.toThrow(/has migration 1735900000001-add-status-to-store-orders, which this build does not know/);
  });

  it('rolls back a failing migration and names it', async () => {
    await expect(runMigrations(db.pool, db.schema, [first, { id: '1735900000002-broken', sql: 'ALTER TABLE {{schema}}.nope ADD x int' }])).rejects.toThrow(
      /Migration 1735900000002-broken of schema .* failed: relation .*nope.* does not exist/,
    );
    const { rows } = await db.pool.query(`SELECT id FROM ${db.schema}.schema_migrations`);
    expect(rows.map((r) => r.id)).toEqual([first.id]);
  });
});
