import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

/** One schema change. `id` orders migrations (`<timestamp>-<verb>-<subject>`, STYLE.md §3) and never changes once released. */
export interface Migration {
  id: string;
  /** SQL run in one transaction. `{{schema}}` is replaced by the quoted schema name. */
  sql: string;
}

/** What a run did: the ids it applied now, and those that were already there. */
export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * Brings `schema` up to date with `migrations`, in id order, each in its own transaction, and returns what it did.
 * Safe with many replicas starting at once (an advisory lock per schema). Refuses to start when a migration that was
 * already applied has since been edited, or when the database has a migration this build does not know (a newer
 * release ran): both mean the code and the database disagree, and guessing would corrupt data.
 */
export async function runMigrations(pool: Pool, schema: string, migrations: Migration[]): Promise<MigrationReport> {
  if (!IDENT.test(schema)) throw new Error(`Schema name "${schema}" is not allowed: use lower-case letters, digits and underscores.`);
  const ids = migrations.map((m) => m.id);
  const sorted = [...ids].sort();
  if (ids.some((id, i) => id !== sorted[i]) || new Set(ids).size !== ids.length) {
    throw new Error(`Migrations for schema ${schema} must be listed once each in id order; got ${ids.join(', ')}.`);
  }
  const s = `"${schema}"`;
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`ledgerline.migrations:${schema}`]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
        id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ id: string; checksum: string }>(`SELECT id, checksum FROM ${s}.schema_migrations ORDER BY id`);
      const known = new Map(migrations.map((m) => [m.id, m]));
      for (const row of rows) {
        const m = known.get(row.id);
        if (!m) {
          throw new Error(`Schema ${schema} has migration ${row.id}, which this build does not know: a newer release ran against this database. Deploy that release or newer.`);
        }
        if (checksum(m.sql) !== row.checksum) {
          throw new Error(`Migration ${row.id} of schema ${schema} was changed after it was applied. Restore its original SQL and add a new migration instead.`);
        }
      }
      const done = new Set(rows.map((r) => r.id));
      const report: MigrationReport = { applied: [], alreadyApplied: [...done] };
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql.replaceAll('{{schema}}', s));
          await client.query(`INSERT INTO ${s}.schema_migrations (id, checksum) VALUES ($1, $2)`, [m.id, checksum(m.sql)]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${m.id} of schema ${schema} failed: ${(err as Error).message}`, { cause: err });
        }
        report.applied.push(m.id);
      }
      return report;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`ledgerline.migrations:${schema}`]);
    }
  } finally {
    client.release();
  }
}
