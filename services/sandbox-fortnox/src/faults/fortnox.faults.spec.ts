import { SandboxFaults, type FaultTarget } from './fortnox.faults';

const post: FaultTarget = { endpoint: 'POST /3/invoices', method: 'POST', isApi: true };
const get: FaultTarget = { endpoint: 'GET /3/invoices', method: 'GET', isApi: true };
const token: FaultTarget = { endpoint: 'POST /oauth-v1/token', method: 'POST', isApi: false };

describe('SandboxFaults', () => {
  it('hands out failNext faults N times, before the handler unless afterStore', () => {
    const faults = new SandboxFaults();
    faults.failNext(2, { status: 502 });
    expect(faults.take(get, 'afterStore')).toBeUndefined();
    expect(faults.take(get, 'beforeStore')).toEqual({ kind: 'fail', status: 502 });
    expect(faults.take(post, 'beforeStore')).toEqual({ kind: 'fail', status: 502 });
    expect(faults.take(post, 'beforeStore')).toBeUndefined();
  });

  it('applies unmatched faults to API requests only, and timeouts to writes only', () => {
    const faults = new SandboxFaults();
    faults.failNext(1);
    faults.timeoutAfterStore(1);
    expect(faults.take(token, 'beforeStore')).toBeUndefined();
    expect(faults.take(get, 'afterStore')).toBeUndefined();
    expect(faults.take(post, 'afterStore')).toEqual({ kind: 'timeout', destroyAfterMs: undefined });
  });

  it('matches an endpoint key or a pattern', () => {
    const faults = new SandboxFaults();
    faults.failNext(1, { match: /oauth/ });
    faults.timeoutAfterStore(1, { match: 'POST /3/invoices', destroyAfterMs: 10 });
    expect(faults.take(token, 'beforeStore')).toEqual({ kind: 'fail', status: 503 });
    expect(faults.take({ ...post, endpoint: 'POST /3/customers' }, 'afterStore')).toBeUndefined();
    expect(faults.take(post, 'afterStore')).toEqual({ kind: 'timeout', destroyAfterMs: 10 });
  });

  it('refuses statuses outside 5xx and counts below one, and clear() forgets everything', () => {
    const faults = new SandboxFaults();
    expect(() => faults.failNext(1, { status: 429 })).toThrow(/500-599/);
    expect(() => faults.timeoutAfterStore(0)).toThrow(/positive integer/);
    faults.failNext(1);
    faults.setLatency(10);
    faults.errorKeyCase = 'PascalCase';
    faults.clear();
    expect(faults.take(get, 'beforeStore')).toBeUndefined();
    expect([faults.latencyMs, faults.errorKeyCase]).toEqual([0, 'lowercase']);
  });
});
