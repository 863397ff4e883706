import { Client, Pool } from 'pg';
import { testInfra } from './infra';
import { uniqueSuffix } from './unique';

/** A schema of its own on the test database, and a pool whose connections use it. */
export interface TestDatabase {
  /** The schema's name: lower case, a valid unquoted identifier. */
  schema: string;
  /** Connections have `search_path` set to {@link schema} (only). */
  pool: Pool;
  /** The database URL with `options=-c search_path=<schema>`, for code that connects by itself. */
  url: string;
  /** Ends the pool and drops the schema CASCADE. Safe to call twice. */
  drop(): Promise<void>;
}

const MAX_IDENTIFIER = 63;

/** `prefix` made a lower-case identifier start ([a-z_][a-z0-9_]*), leaving room for `_<suffix>`. */
export function schemaPrefix(prefix: string): string {
  let p = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (p === '') p = 'test';
  if (!/^[a-z_]/.test(p)) p = `t_${p}`;
  return p.slice(0, MAX_IDENTIFIER - 12).replace(/_+$/, '');
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates a fresh, uniquely named schema (`<prefix>_<random>`; prefix default "test") on the test
 * database and a pg Pool (max `poolSize` connections, default 5) whose connections have `search_path`
 * set to it, so unqualified table names stay inside the schema and parallel test files do not see
 * each other's tables. `drop()` ends the pool and drops the schema CASCADE.
 */
export async function createTestDatabase(prefix = 'test', poolSize = 5): Promise<TestDatabase> {
  const { databaseUrl } = await testInfra();
  const schema = `${schemaPrefix(prefix)}_${uniqueSuffix()}`;
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const options = `-c search_path=${schema}`;
  // application_name marks this pool's backends, so drop() can end them if a test leaked a client.
  const applicationName = `ledgerline-test:${schema}`.slice(0, 63);
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize, options, application_name: applicationName });
  // An idle connection that the server closes (a test may kill backends on purpose) must not crash the run.
  pool.on('error', () => undefined);
  const url = `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(options)}`;
  let dropped: Promise<void> | undefined;
  const drop = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    // pool.end() waits for checked-out clients; a test that never released one must not hang afterAll.
    const ended = await Promise.race([
      pool.end().then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000))),
    ]);
    clearTimeout(timer);
    await withClient(databaseUrl, async (client) => {
      if (!ended) {
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [applicationName]);
      }
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });
  };
  return { schema, pool, url, drop: () => (dropped ??= drop()) };
}
