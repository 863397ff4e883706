// The order a service must shut down in, checked on the lines deploy/checks/shutdown-trace.cjs prints (used by
// metrics-exist.cjs; run.sh's self-test feeds it a planted wrong order).
//
//   node deploy/checks/shutdown-order.cjs <stderr file> <exit code or signal>
'use strict';

/**
 * Problems with one service's shutdown, from the stderr it wrote with this preload and how it exited: the exit code
 * must be 0, and the steps must run in this order: consumers stopped → outbox relay drained and stopped → database
 * pools ended → tracing shut down → exit. Steps a service does not have (a sandbox has no relay) are not required,
 * except that a relay that stopped must have drained (every service in the check is its schema's only relay, so it
 * leads) and a service that ran tracing must shut it down last.
 */
function shutdownProblems(stderr, exit) {
  const steps = [];
  for (const line of stderr.split('\n')) {
    const m = /^\[shutdown-trace\] \+(\d+) ms (.+)$/.exec(line.trim());
    if (m) steps.push(m[2]);
  }
  const problems = [];
  if (exit.signal || exit.code !== 0) problems.push(`exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`} after SIGTERM, expected code 0`);
  const first = (label) => steps.findIndex((s) => s === label);
  const last = (label) => steps.findLastIndex((s) => s === label);
  const failed = steps.filter((s) => / failed: /.test(s));
  for (const f of failed) problems.push(`step failed: ${f}`);
  const consumersDone = last('consumer stop done');
  const relayStart = first('outbox relay stop start');
  const relayDone = last('outbox relay stop done');
  const drainDone = last('outbox relay drain done');
  const poolStart = first('database pool end start');
  const poolDone = last('database pool end done');
  const tracingStart = first('tracing shutdown start');
  const tracingDone = last('tracing shutdown done');
  const exitAt = steps.findIndex((s) => s.startsWith('process exit'));
  const before = (a, aName, b, bName) => {
    if (a >= 0 && b >= 0 && a > b) problems.push(`${aName} came after ${bName}`);
  };
  if (consumersDone >= 0 && steps.filter((s) => s === 'consumer stop start').length !== steps.filter((s) => s === 'consumer stop done').length) {
    problems.push('a consumer stop did not finish');
  }
  before(consumersDone, '"consumer stop done"', relayStart, '"outbox relay stop start" (consumers must stop before the relay drains)');
  if (relayStart >= 0 && drainDone < 0) problems.push('the outbox relay stopped without draining ("outbox relay drain done" missing)');
  if (relayStart >= 0 && relayDone < 0) problems.push('the outbox relay stop did not finish');
  before(drainDone, '"outbox relay drain done"', poolStart, '"database pool end start" (the relay must drain before connections close)');
  before(relayDone, '"outbox relay stop done"', poolStart, '"database pool end start"');
  if (tracingStart >= 0) {
    before(poolDone, '"database pool end done"', tracingStart, '"tracing shutdown start" (tracing must shut down last)');
    before(consumersDone, '"consumer stop done"', tracingStart, '"tracing shutdown start"');
    before(relayDone, '"outbox relay stop done"', tracingStart, '"tracing shutdown start"');
    if (tracingDone < 0) problems.push('tracing shutdown did not finish');
    before(tracingDone, '"tracing shutdown done"', exitAt, '"process exit"');
  } else if (relayStart >= 0 || consumersDone >= 0) {
    problems.push('tracing was not shut down ("tracing shutdown start" missing)');
  }
  if (exitAt < 0) problems.push('no "process exit" line');
  return { steps, problems };
}

module.exports = { shutdownProblems };

if (require.main === module) {
  const [file, code] = process.argv.slice(2);
  const text = require('node:fs').readFileSync(file, 'utf8');
  const exit = /^SIG/.test(code) ? { code: null, signal: code } : { code: Number(code), signal: null };
  const { steps, problems } = shutdownProblems(text, exit);
  for (const p of problems) console.error(`SHUTDOWN ${p}`);
  console.log(`shutdown-trace: ${steps.length} steps checked, ${problems.length} problems`);
  process.exit(problems.length > 0 ? 1 : 0);
}
