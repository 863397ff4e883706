import type { Pool } from 'pg';
import { createLogger } from '@ledgerline/observability';
import { createPool } from './sql';

/**
 * Runs a service's migrations on a pool of its own, then closes the pool; resolves once both are done. This is what a
 * service does instead of serving when LEDGERLINE_MIGRATE_ONLY is set (the chart's pre-install/pre-upgrade Job):
 * no Kafka connection, no HTTP server, so `main` returns and the process exits 0. A failure rejects (exit 1).
 */
export async function runMigrationsOnly(opts: { databaseUrl: string; service: string; migrate: (pool: Pool) => Promise<void> }): Promise<void> {
  const pool = createPool({ connectionString: opts.databaseUrl, service: opts.service, max: 2 });
  try {
    await opts.migrate(pool);
  } finally {
    await pool.end();
  }
  createLogger(opts.service).info('migrations applied; exiting without serving (LEDGERLINE_MIGRATE_ONLY)');
}
