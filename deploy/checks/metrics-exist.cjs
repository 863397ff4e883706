#!/usr/bin/env node
// Starts every runnable service from a production install (deploy/checks/prod-install.sh output), scrapes /metrics,
// and fails when a metric named in a Grafana dashboard or an alert rule is exposed by no service. Then sends SIGTERM
// to each, reports the order it shut down in (deploy/checks/shutdown-trace.cjs) and how long it took, and fails a
// service that did not exit 0 or shut down out of order (deploy/checks/shutdown-order.cjs).
//
//   node deploy/checks/metrics-exist.cjs --app <prod-tree> [--save names.json]
//   node deploy/checks/metrics-exist.cjs --names names.json [--dashboards dir] [--rules file]   (no services: reuse a scrape)
//
// Needs KAFKA_BROKERS and DATABASE_URL (run it through deploy/local/with-infra.sh). Each run uses its own schemas
// and topic suffix and drops the schemas afterwards. Adding a service is one entry in SERVICES.
'use strict';
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { shutdownProblems } = require('./shutdown-order.cjs');

const root = path.resolve(__dirname, '..', '..');
const chart = path.join(root, 'charts', 'ledgerline');

/**
 * One entry per service. `env(ctx)` gives what it needs to boot against the test infrastructure; `schemaEnv` names the
 * variable holding its database schema (dropped afterwards); `required: false` marks services still being built, whose
 * start-up problems are reported without failing the check; `guessed` marks settings inferred from the pattern.
 */
const SERVICES = [
  {
    name: 'store-gateway',
    required: true,
    schemaEnv: 'STORE_GATEWAY_SCHEMA',
    env: (c) => ({
      STORE_GATEWAY_SCHEMA: `${c.id}_store_gateway`,
      STORE_GATEWAY_TOPIC_SUFFIX: c.id.replaceAll('_', '-'),
      STORE_GATEWAY_SECRETS_KEY: crypto.randomBytes(32).toString('base64'),
      STORE_GATEWAY_ADMIN_TOKEN: crypto.randomBytes(16).toString('hex'),
      STORE_GATEWAY_PUBLIC_URL: `http://127.0.0.1:${c.port}`,
      STORE_GATEWAY_SWEEP_INTERVAL_MS: '0',
      STORE_GATEWAY_WEBHOOK_HEALTH_AT_START: 'false',
    }),
  },
  {
    name: 'connector-fortnox',
    required: true,
    schemaEnv: 'CONNECTOR_FORTNOX_SCHEMA',
    env: (c) => ({
      CONNECTOR_FORTNOX_SCHEMA: `${c.id}_connector_fortnox`,
      CONNECTOR_FORTNOX_TOPIC_SUFFIX: c.id.replaceAll('_', '-'),
      FORTNOX_CLIENT_ID: 'metrics-check',
      FORTNOX_CLIENT_SECRET: crypto.randomBytes(12).toString('hex'),
      FORTNOX_TOKEN_KEY: `k1:${crypto.randomBytes(32).toString('base64')}`,
      CONNECTOR_FORTNOX_STOCK_POLL_MS: '0',
    }),
  },
  {
    name: 'pipeline-demo',
    required: true,
    schemaEnv: 'PIPELINE_DEMO_SCHEMA',
    env: (c) => ({ PIPELINE_DEMO_SCHEMA: `${c.id}_pipeline_demo`, PIPELINE_DEMO_TOPIC_SUFFIX: c.id.replaceAll('_', '-'), DEMO_ORDERS: '1' }),
  },
  { name: 'sandbox-woocommerce', required: true, portEnv: 'SANDBOX_WOOCOMMERCE_PORT', hostEnv: 'SANDBOX_WOOCOMMERCE_HOST', env: () => ({}) },
  { name: 'sandbox-fortnox', required: true, portEnv: 'SANDBOX_FORTNOX_PORT', hostEnv: 'SANDBOX_FORTNOX_HOST', env: () => ({}) },
  // Being built: start-up problems are reported, not failed, until the entry says required: true.
  {
    name: 'inventory-sync',
    required: false,
    schemaEnv: 'INVENTORY_SYNC_SCHEMA',
    env: (c) => ({
      INVENTORY_SYNC_SCHEMA: `${c.id}_inventory_sync`,
      INVENTORY_SYNC_TOPIC_SUFFIX: c.id.replaceAll('_', '-'),
      INVENTORY_SYNC_ADMIN_TOKEN: crypto.randomBytes(16).toString('hex'),
    }),
  },
  {
    name: 'payout-reconciliation',
    required: false,
    schemaEnv: 'PAYOUT_RECONCILIATION_SCHEMA',
    env: (c) => ({
      PAYOUT_RECONCILIATION_SCHEMA: `${c.id}_payout_reconciliation`,
      PAYOUT_RECONCILIATION_TOPIC_SUFFIX: c.id.replaceAll('_', '-'),
      PAYOUT_RECONCILIATION_ADMIN_TOKEN: crypto.randomBytes(16).toString('hex'),
      PAYOUT_RECONCILIATION_SECRETS_KEY: crypto.randomBytes(32).toString('base64'),
    }),
  },
  {
    name: 'control-plane',
    required: false,
    schemaEnv: 'CONTROL_PLANE_SCHEMA',
    env: (c) => ({
      CONTROL_PLANE_SCHEMA: `${c.id}_control_plane`,
      CONTROL_PLANE_TOPIC_SUFFIX: c.id.replaceAll('_', '-'),
      CONTROL_PLANE_SECRETS_KEY: crypto.randomBytes(32).toString('base64'),
      CONTROL_PLANE_PUBLIC_URL: `http://127.0.0.1:${c.port}`,
    }),
  },
  // Guessed: SANDBOX_PSP_PORT / SANDBOX_PSP_HOST like the other sandboxes.
  { name: 'sandbox-psp', required: false, guessed: true, portEnv: 'SANDBOX_PSP_PORT', hostEnv: 'SANDBOX_PSP_HOST', env: () => ({}) },
];

/** Names Prometheus itself makes (not exposed by a service). */
const SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

// ---------------------------------------------------------------- PromQL metric names

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'le']);

/** Returns the metric names a PromQL expression selects (functions, label names, strings and durations removed). */
function metricNames(expr) {
  let s = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  s = s.replace(/\{[^}]*\}/g, ' ');
  s = s.replace(/\[[^\]]*\]/g, ' ');
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set();
  for (const m of s.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)) {
    const [, name, call] = m;
    if (call || KEYWORDS.has(name.toLowerCase())) continue;
    if (/^\d/.test(name)) continue;
    names.add(name);
  }
  return [...names];
}

/** Every query of the dashboards and rules, with where it came from. */
function queries(dashboardsDir, rulesFile) {
  const out = [];
  for (const file of fs.readdirSync(dashboardsDir).filter((f) => f.endsWith('.json')).sort()) {
    const dash = JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), 'utf8'));
    const svc = /^ledgerline-(.+)\.json$/.exec(file)?.[1];
    for (const panel of dash.panels ?? []) {
      for (const t of panel.targets ?? []) if (t.expr) out.push({ where: `${file} panel "${panel.title}"`, expr: t.expr, service: svc === 'overview' ? null : svc });
    }
  }
  const rules = parseRuleExprs(fs.readFileSync(rulesFile, 'utf8'));
  for (const r of rules) out.push({ where: `${path.basename(rulesFile)} alert ${r.alert}`, expr: r.expr, service: null });
  return out;
}

/** Reads `alert:` and `expr:` pairs from a Prometheus rule file (single-line exprs, as ours are; promtool checks the rest). */
function parseRuleExprs(text) {
  const out = [];
  let alert = null;
  for (const line of text.split('\n')) {
    const a = /^\s*-\s*(?:alert|record):\s*(\S+)/.exec(line);
    if (a) alert = a[1];
    const e = /^\s*expr:\s*(.+)$/.exec(line);
    if (e) {
      if (e[1].trim() === '|' || e[1].trim() === '>') throw new Error(`rule ${alert}: multi-line expr; keep exprs on one line so this check can read them`);
      out.push({ alert, expr: e[1].trim() });
    }
  }
  return out;
}

/** Checks every query against the exposed names; returns problems. */
function checkNames(exposedByService, dashboardsDir, rulesFile, runnable) {
  const union = new Set(Object.values(exposedByService).flat());
  const problems = [];
  let checked = 0;
  for (const q of queries(dashboardsDir, rulesFile)) {
    for (const name of metricNames(q.expr)) {
      checked++;
      if (SYNTHETIC.has(name)) continue;
      if (!union.has(name)) {
        problems.push(`${q.where}: metric ${name} is exposed by no running service (${q.expr})`);
      } else if (q.service && runnable.has(q.service) && !exposedByService[q.service].includes(name)) {
        problems.push(`${q.where}: metric ${name} is not exposed by ${q.service} (it is by ${Object.keys(exposedByService).filter((s) => exposedByService[s].includes(name)).join(', ')})`);
      }
    }
  }
  return { problems, checked };
}

/** Metric names in a Prometheus exposition, histogram and summary series included. */
function exposedNames(text) {
  const names = new Set();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m;
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return [...names].sort();
}

// ---------------------------------------------------------------- running services

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function get(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: String(err.message) };
  }
}

/**
 * Runs the service as the chart's migration Job does (LEDGERLINE_MIGRATE_ONLY=1): it must migrate its schema and exit
 * 0 on its own, without serving. Returns a problem, or null.
 */
async function migrateOnly(main, app, env) {
  const child = spawn(process.execPath, ['--enable-source-maps', main], { cwd: app, env: { ...env, LEDGERLINE_MIGRATE_ONLY: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  child.stdout.on('data', (d) => out.push(String(d)));
  child.stderr.on('data', (d) => out.push(String(d)));
  const started = Date.now();
  const ex = await Promise.race([new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))), sleep(60_000).then(() => null)]);
  if (!ex) {
    child.kill('SIGKILL');
    return { problem: 'LEDGERLINE_MIGRATE_ONLY=1 did not exit within 60 s', out };
  }
  if (ex.code !== 0) return { problem: `LEDGERLINE_MIGRATE_ONLY=1 exited with ${ex.signal ? `signal ${ex.signal}` : `code ${ex.code}`}, expected 0`, out };
  return { problem: null, ms: Date.now() - started };
}

async function startService(app, svc, id) {
  const main = path.join(app, 'services', svc.name, 'src', 'main.js');
  if (!fs.existsSync(main)) return { svc, state: 'not-runnable', reason: `services/${svc.name}/src/main.ts does not exist yet (nothing to build)` };
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    DATABASE_URL: process.env.DATABASE_URL,
    LOG_LEVEL: 'warn',
    [svc.portEnv ?? 'PORT']: String(port),
    [svc.hostEnv ?? 'HOST']: '127.0.0.1',
    ...svc.env({ id, port }),
  };
  // First as the chart's pre-install/pre-upgrade Job, then the service itself on the migrated schema.
  const migrate = svc.schemaEnv ? await migrateOnly(main, app, env) : null;
  const log = [];
  const child = spawn(process.execPath, ['--enable-source-maps', '-r', path.join(__dirname, 'shutdown-trace.cjs'), main], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const started = Date.now();
  let ready = null;
  while (Date.now() - started < 60_000) {
    if (child.exitCode !== null) break;
    const r = await get(`http://127.0.0.1:${port}/health/ready`);
    if (r.status === 200) {
      ready = Date.now() - started;
      break;
    }
    await sleep(250);
  }
  return { svc, port, child, exited, log, env, ready, migrate, state: ready === null ? 'failed' : 'ready' };
}

async function main() {
  const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
  const dashboards = args.dashboards ?? path.join(chart, 'dashboards');
  const rules = args.rules ?? path.join(chart, 'rules', 'ledgerline-alerts.yaml');

  if (args.names) {
    const saved = JSON.parse(fs.readFileSync(args.names, 'utf8'));
    const { problems, checked } = checkNames(saved.exposed, dashboards, rules, new Set(saved.runnable));
    for (const p of problems) console.error(`MISSING ${p}`);
    console.log(`metrics-exist: ${checked} metric references checked against a saved scrape of ${saved.runnable.join(', ')}: ${problems.length} missing`);
    process.exit(problems.length > 0 ? 1 : 0);
  }

  if (!args.app) throw new Error('--app <production tree from prod-install.sh> is required (or --names for a saved scrape)');
  for (const v of ['KAFKA_BROKERS', 'DATABASE_URL']) if (!process.env[v]) throw new Error(`${v} is not set: run through bash deploy/local/with-infra.sh`);
  const id = `chk_${Date.now().toString(36)}_${crypto.randomBytes(2).toString('hex')}`;

  // One at a time: the 2-core machine is shared, and start-up times are part of the report.
  const runs = [];
  for (const svc of SERVICES) {
    const run = await startService(path.resolve(args.app), svc, id);
    runs.push(run);
    const note = run.state === 'ready' ? `ready in ${run.ready} ms on port ${run.port}` : run.state === 'not-runnable' ? run.reason : `did not become ready within 60 s`;
    const migrated = run.migrate ? (run.migrate.problem ? `; ${run.migrate.problem}` : `; migrate-only run exited 0 in ${run.migrate.ms} ms`) : '';
    console.log(`  ${svc.name.padEnd(22)} ${run.state.padEnd(12)} ${note}${migrated}${svc.guessed ? ' (settings guessed)' : ''}`);
    if (run.migrate?.problem) console.log(run.migrate.out.join('').trim().split('\n').slice(-6).map((l) => `      | ${l.slice(0, 400)}`).join('\n'));
    if (run.state === 'failed') {
      run.child.kill('SIGKILL');
      console.log(run.log.join('').trim().split('\n').slice(-8).map((l) => `      | ${l.slice(0, 400)}`).join('\n'));
    }
  }

  const exposed = {};
  for (const run of runs.filter((r) => r.state === 'ready')) {
    // A second scrape after a moment: gauges filled by the relay and consumer loops are there by then.
    await sleep(500);
    const res = await get(`http://127.0.0.1:${run.port}/metrics`);
    if (res.status !== 200) {
      run.state = 'failed';
      console.log(`  ${run.svc.name}: GET /metrics answered ${res.status}`);
      continue;
    }
    exposed[run.svc.name] = exposedNames(res.body);
  }
  const runnable = new Set(Object.keys(exposed));
  if (args.save) fs.writeFileSync(args.save, JSON.stringify({ runnable: [...runnable], exposed }, null, 2));

  // Shutdown: SIGTERM, then the trace lines and the time to exit.
  console.log('shutdown on SIGTERM (order of steps, ms after the signal):');
  for (const run of runs.filter((r) => r.state === 'ready')) {
    const t0 = Date.now();
    run.child.kill('SIGTERM');
    const timeout = sleep(30_000).then(() => null);
    const ex = await Promise.race([run.exited, timeout]);
    if (!ex) {
      run.child.kill('SIGKILL');
      run.shutdown = 'did not exit within 30 s of SIGTERM';
    } else {
      run.shutdown = `exited in ${ex.at - t0} ms (${ex.signal ? `signal ${ex.signal}` : `code ${ex.code}`})`;
    }
    const steps = run.log.join('').split('\n').filter((l) => l.startsWith('[shutdown-trace] +')).map((l) => l.replace('[shutdown-trace] ', ''));
    console.log(`  ${run.svc.name}: ${run.shutdown}\n${steps.map((s) => `      ${s}`).join('\n')}`);
    if (ex) {
      run.shutdownProblems = shutdownProblems(run.log.join(''), ex).problems;
      for (const p of run.shutdownProblems) console.log(`      SHUTDOWN ${p}`);
    }
  }

  await dropSchemas(runs, id);

  const { problems, checked } = checkNames(exposed, dashboards, rules, runnable);
  const requiredFailed = runs.filter((r) => r.svc.required && r.state !== 'ready');
  const hanging = runs.filter((r) => r.shutdown?.startsWith('did not exit'));
  const badShutdown = runs.filter((r) => r.shutdownProblems?.length);
  const badMigrate = runs.filter((r) => r.migrate?.problem);
  for (const p of problems) console.error(`MISSING ${p}`);
  for (const r of requiredFailed) console.error(`FAILED ${r.svc.name} is required but ${r.state === 'not-runnable' ? r.reason : 'did not start'}`);
  for (const r of hanging) console.error(`FAILED ${r.svc.name} ${r.shutdown}`);
  for (const r of badMigrate) console.error(`FAILED ${r.svc.name} ${r.migrate.problem}`);
  for (const r of badShutdown) console.error(`FAILED ${r.svc.name} shut down wrongly: ${r.shutdownProblems.join('; ')}`);
  const notYet = runs.filter((r) => !r.svc.required && r.state !== 'ready').map((r) => r.svc.name);
  console.log(
    `metrics-exist: ${checked} metric references in dashboards and alert rules checked against ${runnable.size} running services; ${problems.length} missing` +
      `; migrate-only: ${runs.filter((r) => r.migrate && !r.migrate.problem).length} exited 0, ${badMigrate.length} did not` +
      `; SIGTERM: ${runs.filter((r) => r.shutdownProblems && r.shutdownProblems.length === 0).length} exited 0 in order, ${badShutdown.length + hanging.length} did not` +
      (notYet.length ? `; not runnable yet (reported, not failed): ${notYet.join(', ')}` : ''),
  );
  process.exit(problems.length > 0 || requiredFailed.length > 0 || hanging.length > 0 || badShutdown.length > 0 || badMigrate.length > 0 ? 1 : 0);
}

async function dropSchemas(runs, id) {
  const { Client } = require(require.resolve('pg', { paths: [root] }));
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${id}%`]);
    for (const r of rows) await client.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`metrics-exist: ${err.stack ?? err}`);
    process.exit(2);
  });
}

module.exports = { metricNames, exposedNames, parseRuleExprs };
