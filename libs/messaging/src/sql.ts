import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { createLogger, type HealthCheck } from '@ledgerline/observability';

/**
 * The slice of a database connection that messaging needs: one `query` method.
 * A `pg` PoolClient inside `BEGIN … COMMIT` satisfies it; so does a TypeORM QueryRunner wrapped with {@link fromQueryRunner}.
 */
export interface Tx {
  query<R extends QueryResultRow = QueryResultRow>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * Runs `fn` inside one transaction on a pooled connection and returns its result.
 * Commits when `fn` resolves, rolls back when it throws (and rethrows), always releases the connection.
 */
export async function withTransaction<T>(pool: Pool, fn: (tx: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // the connection itself failed; do not hand it back to the pool
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Returns a schema name safe to splice into SQL, or throws naming the bad value. */
export function schemaIdent(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(
      `Messaging schema name "${schema}" is not allowed: use lower-case letters, digits and underscores (the service name, underscored, like "connector_fortnox").`,
    );
  }
  return `"${schema}"`;
}

/** Adapts a TypeORM QueryRunner (whose `query` returns rows) to {@link Tx}. */
export function fromQueryRunner(runner: { query(text: string, params?: unknown[]): Promise<unknown> }): Tx {
  return {
    async query<R extends QueryResultRow>(text: string, params?: unknown[]) {
      const raw = (await runner.query(text, params)) as R[] | [R[], number];
      const rows = (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) ? raw[0] : raw) as R[];
      return { rows, rowCount: rows.length, command: '', oid: 0, fields: [] } as QueryResult<R>;
    },
  };
}

/**
 * Gives a service's connection pool. An idle connection that the server closes (restart, failover) emits an error
 * on the pool; it is logged instead of crashing the process, and the next query reconnects.
 */
export function createPool(opts: { connectionString: string; max?: number; service: string }): Pool {
  const pool = new Pool({ connectionString: opts.connectionString, max: opts.max ?? 10 });
  pool.on('error', (err) => createLogger(opts.service).warn({ err }, 'idle database connection failed'));
  return pool;
}

/** Gives a readiness check that fails while the database does not answer `SELECT 1`. */
export function databaseHealthCheck(pool: Pool): HealthCheck {
  return { name: 'database', check: async () => void (await pool.query('SELECT 1')) };
}
