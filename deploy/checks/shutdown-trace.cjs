// Preload (node -r ./deploy/checks/shutdown-trace.cjs <service main>) that prints one line per shutdown step, with
// milliseconds since SIGTERM, so the order a service closes in can be seen and checked: HTTP server close, consumer
// stop, outbox relay drain and stop, pool end, tracing shutdown, process exit. metrics-exist.cjs reads these lines and
// fails a service whose order is wrong or whose exit code is not 0 (shutdown-order.cjs). It listens once and never
// exits itself, so the exit code stays what the service gives.
'use strict';
const TAG = '[shutdown-trace]';

install();

function install() {
  const http = require('node:http');
  let t0 = null;
  const mark = (what) => process.stderr.write(`${TAG} ${t0 === null ? 'before SIGTERM' : `+${Date.now() - t0} ms`} ${what}\n`);
  process.prependOnceListener('SIGTERM', () => {
    t0 = Date.now();
    mark('SIGTERM received');
  });
  process.on('exit', (code) => mark(`process exit code=${code}`));

  function wrap(proto, method, label) {
    const original = proto && proto[method];
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
      return null; // a sandbox without messaging or tracing: nothing to wrap
    }
  };
  const messaging = fromApp('@ledgerline/messaging');
  if (messaging) {
    wrap(messaging.OutboxRelay.prototype, 'stop', 'outbox relay stop');
    // Private in TypeScript, a plain prototype method at run time; only a leading relay drains.
    wrap(messaging.OutboxRelay.prototype, 'drain', 'outbox relay drain');
    wrap(messaging.ConsumerRunner.prototype, 'stop', 'consumer stop');
  }
  const pg = fromApp('pg');
  if (pg) wrap(pg.Pool.prototype, 'end', 'database pool end');
  const sdk = fromApp('@opentelemetry/sdk-node');
  if (sdk) wrap(sdk.NodeSDK.prototype, 'shutdown', 'tracing shutdown');
}
