// `npm start`: the main job out of the box (issue #7 part 3). Starts every service and the sandboxes as child
// processes, sets up a demo tenant with two stores feeding the Fortnox sandbox, sends realistic traffic (orders,
// refunds, cancellations, a stock change, a Stripe payout), waits until everything is synced, prints a summary read
// from the sources of truth, and leaves the console running. `--once`: exits after the summary, printing one JSON
// object as the last line (exit code 1 when anything was lost, duplicated or does not agree). See README.md here.
import { mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { inheritedEnvironment, loadQuickstartConfig, portVariable, type ProgramName, type QuickstartConfig } from './config/quickstart.config';
import { setUpDemoTenant, TENANT_ID, type DemoTenant } from './demo-tenant';
import { bearer, call, expectOk, waitFor, type FortnoxReader } from './http';
import { Programs } from './processes';
import { programSpecs, schemaPrefix, SANDBOXES, SERVICES, STORES, topicSuffix, urlsOf, type Urls } from './stack';
import { buildSummary, expectedDocuments, formatSummary, parkedEverywhere, refOf, storeOrders, summaryJson, type FortnoxInvoiceRow } from './summary';
import { changeStockInFortnox, generateStoreTraffic, placeStripeOrders, pollPayouts, settleStripe, sharedSkus, type GroundTruthPayout, type StockChange, type WooProduct } from './traffic';

const once = process.argv.includes('--once');
const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
const print = (line: string) => process.stdout.write(`${line}\n`);
const phase = (title: string) => print(`\n[${elapsed()}] ${title}`);

async function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** Drops the schemas of earlier quickstart runs (`qs_<runId>_*`), so the database does not grow run after run. */
async function dropOldRuns(config: QuickstartConfig): Promise<number> {
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'qs\\_%' AND nspname NOT LIKE $1`, [`${schemaPrefix(config.runId)}%`]);
    for (const r of rows) await db.query(`DROP SCHEMA IF EXISTS "${r.nspname}" CASCADE`);
    return rows.length;
  } finally {
    await db.end();
  }
}

function portTable(urls: Urls): string[] {
  const what: Record<ProgramName, string> = {
    'control-plane': 'admin API + web console (/console/)',
    'store-gateway': 'WooCommerce webhooks, sweeps, stock writes',
    'connector-fortnox': 'orders, refunds, payouts → Fortnox; stock poll',
    'inventory-sync': 'ERP stock → store quantities',
    'payout-reconciliation': 'Stripe payouts → bookings',
    'sandbox-woo-nordic': `WooCommerce store "${STORES[0]?.storeId}"`,
    'sandbox-woo-outlet': `WooCommerce store "${STORES[1]?.storeId}"`,
    'sandbox-fortnox': 'Fortnox API v3 + OAuth',
    'sandbox-psp': 'Stripe / Klarna / Adyen',
  };
  return [...SERVICES, ...SANDBOXES].map((name) => `  ${name.padEnd(22)} ${urls.of(name).padEnd(24)} ${what[name].padEnd(50)} ${portVariable(name)}`);
}

async function waitForDocuments(config: QuickstartConfig, tenant: DemoTenant, urls: Urls, programs: Programs): Promise<void> {
  const expected = expectedDocuments(tenant.tenantId, await storeOrders(tenant));
  const fortnox: FortnoxReader = tenant.fortnox;
  let lastCount = -1;
  let lastChange = Date.now();
  await waitFor({
    what: 'orders → Fortnox',
    timeoutMs: config.phaseTimeoutMs,
    stallMs: 60_000,
    intervalMs: 2000,
    print,
    check: () => failIfDead(programs),
    probe: async () => {
      const rows = await fortnox.list<FortnoxInvoiceRow>('/3/invoices', 'Invoices');
      const refs = new Map(rows.map((r) => [r.ExternalInvoiceReference1, r]));
      const invoices = [...expected.invoices.keys()].filter((r) => refs.has(r));
      const credits = [...expected.credits.keys()].filter((r) => refs.has(r));
      const cancels = [...expected.cancellations.keys()].filter((r) => refs.get(r)?.Cancelled || refs.has(`${r}|C`));
      const progress = `invoices ${invoices.length}/${expected.invoices.size}, credit invoices ${credits.length}/${expected.credits.size}, cancellations ${cancels.length}/${expected.cancellations.size}`;
      const done = invoices.length + credits.length + cancels.length;
      const all = expected.invoices.size + expected.credits.size + expected.cancellations.size;
      if (done === all) return { done: true, progress };
      if (done !== lastCount) {
        lastCount = done;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > 20_000) {
        // Nothing moved for 20 s: if every missing document is parked with a reason, waiting longer changes nothing.
        const missing = [...[...expected.invoices.keys()].filter((r) => !refs.has(r)), ...[...expected.credits.keys()].filter((r) => !refs.has(r))];
        const parked = await parkedEverywhere(config, tenant, urls, missing);
        const parkedRefs = new Set(parked.filter((p) => p.service === 'connector-fortnox').map((p) => p.subject));
        if (missing.length > 0 && missing.every((r) => parkedRefs.has(r))) return { done: true, progress: `${progress}; the ${missing.length} missing are parked` };
        lastChange = Date.now();
      }
      return { done: null, progress };
    },
  });
}

async function waitForPayouts(config: QuickstartConfig, urls: Urls, programs: Programs, payouts: GroundTruthPayout[]): Promise<void> {
  let lastPoll = Date.now();
  await waitFor({
    what: 'payout → Fortnox',
    timeoutMs: config.phaseTimeoutMs,
    stallMs: 90_000,
    intervalMs: 1500,
    print,
    check: () => failIfDead(programs),
    probe: async () => {
      const recon = expectOk('payout-reconciliation: payouts', await call<Array<{ payoutId: string; status: string; lines: number; linesMatched: number; hold: { code: string } | null }>>('GET', `${urls.of('payout-reconciliation')}/payouts?tenantId=${TENANT_ID}`, undefined, bearer(config.secrets.payoutAdminToken)));
      const parts: string[] = [];
      let done = true;
      for (const p of payouts) {
        const r = recon.find((x) => x.payoutId === p.payoutId);
        const bookings = expectOk('connector-fortnox: bookings', await call<{ bookings: Array<{ status: string }> }>('GET', `${urls.of('connector-fortnox')}/tenants/${TENANT_ID}/payouts/${encodeURIComponent(p.payoutId)}/bookings`)).bookings;
        const settled = bookings.filter((b) => b.status === 'settled').length;
        const parked = bookings.filter((b) => b.status === 'parked').length;
        parts.push(`${p.payoutId}: ${r ? `${r.status}, lines matched ${r.linesMatched}/${r.lines}${r.hold ? ` (held ${r.hold.code})` : ''}` : 'not read yet'}, bookings settled ${settled}/${bookings.length}${parked ? ` (${parked} parked)` : ''}`);
        if (!(r?.status === 'booked' && bookings.length > 0 && settled + parked === bookings.length)) done = false;
      }
      if (!done && Date.now() - lastPoll > 10_000) {
        await pollPayouts(config, urls);
        lastPoll = Date.now();
      }
      return { done: done ? true : null, progress: parts.join('; ') };
    },
  });
}

async function waitForStock(config: QuickstartConfig, tenant: DemoTenant, programs: Programs, changes: StockChange[]): Promise<void> {
  await waitFor({
    what: 'Fortnox stock → stores',
    timeoutMs: config.phaseTimeoutMs,
    stallMs: 60_000,
    intervalMs: 1000,
    print,
    check: () => failIfDead(programs),
    probe: async () => {
      let inSync = 0;
      for (const store of tenant.stores) {
        const products = await store.woo.all<WooProduct>('/products', { sku: changes.map((c) => c.sku).join(',') });
        inSync += changes.filter((c) => products.some((p) => p.sku === c.sku && p.manage_stock && p.stock_quantity === c.availableStock)).length;
      }
      const all = changes.length * tenant.stores.length;
      return { done: inSync === all ? true : null, progress: `${inSync}/${all} store SKUs show the Fortnox level` };
    },
  });
}

function failIfDead(programs: Programs): void {
  const dead = programs.dead();
  if (dead.length > 0) throw new Error(`${dead.map((d) => `${d.name} (${d.how})`).join(', ')} stopped; see ${programs.logFile}`);
}

async function main(): Promise<number> {
  const config = loadQuickstartConfig();
  const urls = urlsOf(config);
  const runDir = join(config.stateDir, config.runId);
  mkdirSync(runDir, { recursive: true });
  const latest = join(config.stateDir, 'latest');
  try {
    unlinkSync(latest);
  } catch {
    // no earlier run
  }
  symlinkSync(config.runId, latest);
  const logFile = join(runDir, 'programs.log');

  print(`Ledgerline quickstart, run ${config.runId}${once ? ' (--once)' : ''}`);
  print(`  schemas ${schemaPrefix(config.runId)}*, topic suffix .${topicSuffix(config.runId)}; logs of every program: ${logFile}`);
  const busy: string[] = [];
  for (const name of [...SERVICES, ...SANDBOXES]) if (!(await portFree(config.host, config.ports[name]))) busy.push(`${name} port ${config.ports[name]} (${portVariable(name)})`);
  if (busy.length > 0) throw new Error(`ports in use: ${busy.join(', ')}. Is another quickstart running? Stop it, or choose other ports.`);
  if (config.dropOldRuns) {
    const dropped = await dropOldRuns(config);
    if (dropped > 0) print(`  dropped ${dropped} schemas of earlier quickstart runs (QUICKSTART_KEEP_OLD_RUNS=1 keeps them)`);
  }

  const programs = new Programs(config.repoRoot, config.host, logFile, inheritedEnvironment());
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= programs.stopAll());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      print(`\n${signal}: stopping every program …`);
      void stop().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }

  try {
    phase('Starting the sandboxes and services');
    for (const line of portTable(urls)) print(line);
    const specs = programSpecs(config);
    for (const spec of specs) programs.start(spec);
    const ready = await Promise.all(specs.map(async (spec) => [spec.name, await programs.waitReady(spec.name, config.phaseTimeoutMs, 2, print)] as const));
    print(`  all ${ready.length} ready (/health/ready): ${ready.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
    writeFileSync(
      join(runDir, 'tokens.env'),
      [
        `CONTROL_PLANE_URL=${urls.of('control-plane')}`,
        `CONTROL_PLANE_BOOTSTRAP_TOKEN=${config.secrets.controlPlaneBootstrapToken}`,
        `STORE_GATEWAY_ADMIN_TOKEN=${config.secrets.storeGatewayAdminToken}`,
        `INVENTORY_SYNC_ADMIN_TOKEN=${config.secrets.inventorySyncAdminToken}`,
        `PAYOUT_RECONCILIATION_ADMIN_TOKEN=${config.secrets.payoutAdminToken}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );

    phase('Demo tenant "demo": two stores feeding one Fortnox company');
    const tenant = await setUpDemoTenant(config, urls, print);

    phase('Traffic');
    await generateStoreTraffic(config, tenant, print);
    const stockSkus = await sharedSkus(tenant, config.stockSkus);
    const [first] = tenant.stores;
    if (!first) throw new Error('no store');
    const live = await placeStripeOrders(config, first, urls, stockSkus, print);
    // Webhooks carried the orders; a backfill over the 30 days of history is the safety net (idempotent).
    for (const store of tenant.stores) {
      await call('POST', `${store.controlUrl}/__sandbox/webhooks/idle`);
      const report = expectOk(`store-gateway: backfill ${store.storeId}`, await call<{ found: number; missed: number; alreadyKnown: number; parked: number }>('POST', `${urls.of('store-gateway')}/stores/${store.storeId}/backfill`, { from: new Date(Date.now() - 31 * 86_400_000).toISOString() }, bearer(config.secrets.storeGatewayAdminToken)));
      print(`  store-gateway backfill of "${store.storeId}" (safety net behind the webhooks): ${report.found} orders read, ${report.alreadyKnown} already known, ${report.missed} missed by webhooks, ${report.parked} parked`);
    }

    phase('Waiting for invoices, credit invoices and cancellations in Fortnox');
    await waitForDocuments(config, tenant, urls, programs);

    phase('Stripe pays out the card checkouts');
    const payouts = await settleStripe(urls, print);
    await pollPayouts(config, urls);
    await waitForPayouts(config, urls, programs, payouts);

    phase('Stock changes in Fortnox (the stock master) reach both stores');
    const changes = await changeStockInFortnox(tenant, urls, stockSkus, print);
    await waitForStock(config, tenant, programs, changes);

    phase('Reading the result from the sources of truth');
    const consoleUrl = `${urls.of('control-plane')}/console/`;
    const summary = await buildSummary({ config, tenant, urls, startedAt, consoleUrl, stock: changes, payouts, payoutInvoiceRefs: live.map((o) => refOf(tenant.tenantId, first.storeId, o.id)) });
    for (const line of formatSummary(summary)) print(line);
    writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);

    if (once) {
      await stop();
      print(summaryJson(summary));
      return summary.ok ? 0 : 1;
    }
    print('');
    print(`Console: ${consoleUrl}  (sign in with this API token: ${tenant.consoleToken})`);
    print(`Admin tokens of the other services: ${join(runDir, 'tokens.env')}; logs: ${logFile}`);
    print('Everything keeps running (the stores, Fortnox and the services); Ctrl-C stops it all.');
    await new Promise<never>(() => undefined);
    return 0;
  } catch (err) {
    print(`\nquickstart failed after ${elapsed()}: ${(err as Error).message}`);
    print(`  logs of every program: ${logFile}`);
    await stop();
    if (once) print(JSON.stringify({ ok: false, runId: config.runId, durationSeconds: Math.round((Date.now() - startedAt) / 100) / 10, error: (err as Error).message }));
    return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    print(`quickstart: ${err.message}`);
    if (once) print(JSON.stringify({ ok: false, error: err.message }));
    process.exit(2);
  },
);
