// Preload (node -r ./scripts/register.cjs -r ./deploy/checks/shutdown-trace.cjs <service main.ts>) that prints one
// line per shutdown step, with milliseconds since SIGTERM, so the order a service closes in can be seen and checked:
// HTTP server close, consumer stop, relay stop, pool end, process exit. Used by metrics-exist.ts. It listens once, so
// the exit code stays what the service gives (Nest re-raises SIGTERM after its hooks: 143).
const http = require('node:http');
let t0 = null;
const mark = (what) => process.stderr.write(`[shutdown-trace] ${t0 === null ? 'before SIGTERM' : `+${Date.now() - t0} ms`} ${what}\n`);
process.prependOnceListener('SIGTERM', () => {
  t0 = Date.now();
  mark('SIGTERM received');
});
process.on('exit', (code) => mark(`process exit code=${code}`));

function wrap(proto, method, label) {
  const original = proto[method];
  if (typeof original !== 'function' || original.__traced) return;
  const traced = function (...args) {
    mark(`${label} start`);
    const out = original.apply(this, args);
    if (out && typeof out.then === 'function') out.then(() => mark(`${label} done`), (err) => mark(`${label} failed: ${err && err.message}`));
    else mark(`${label} done`);
    return out;
  };
  traced.__traced = true;
  proto[method] = traced;
}

wrap(http.Server.prototype, 'close', 'http server close');
// Resolved from the service's own tree (the working directory), so the very module instances it uses are wrapped.
const fromApp = (id) => {
  try {
    return require(require.resolve(id, { paths: [process.cwd()] }));
  } catch {
    return null; // a sandbox without messaging: nothing to wrap
  }
};
const messaging = fromApp('@ledgerline/messaging');
if (messaging) {
  wrap(messaging.OutboxRelay.prototype, 'stop', 'outbox relay stop');
  wrap(messaging.ConsumerRunner.prototype, 'stop', 'consumer stop');
}
const pg = fromApp('pg');
if (pg) wrap(pg.Pool.prototype, 'end', 'database pool end');
