import { trace } from '@opentelemetry/api';
import { startTracing, type TracingHandle } from '../tracing/tracing.bootstrap';
import { tracer } from '../tracing/tracer';
import { setServiceName } from '../service-name';
import { createLogger } from './logger';

/** A pino destination that keeps each line, parsed. */
function captureLines(): { lines: Record<string, unknown>[]; write(line: string): void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  let tracing: TracingHandle;
  beforeAll(() => {
    tracing = startTracing({ serviceName: 'logger-spec' });
    setServiceName('connector-fortnox');
  });
  afterAll(() => tracing.shutdown());

  it('stamps lines inside a span with its trace_id and span_id, across awaits', async () => {
    const out = captureLines();
    const log = createLogger('invoice-delivery', { destination: out, level: 'info' });

    log.info('before the span');
    await tracer().startActiveSpan('fortnox POST /invoices', async (span) => {
      log.info({ erp: 'fortnox' }, 'calling the ERP');
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.child({ attempt: 2 }).warn('retrying');
      span.end();
    });
    const { traceId, spanId } = (() => {
      const span = tracer().startSpan('unused');
      span.end();
      return span.spanContext();
    })();

    const [outside, calling, retrying] = out.lines;
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).toMatchObject({ level: 'info', name: 'invoice-delivery', service: 'connector-fortnox', msg: 'before the span' });
    expect(calling).toMatchObject({ msg: 'calling the ERP', erp: 'fortnox', trace_id: expect.stringMatching(/^[0-9a-f]{32}$/), span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(retrying).toMatchObject({ msg: 'retrying', attempt: 2, trace_id: calling?.['trace_id'], span_id: calling?.['span_id'] });
    // A different span has different ids: the ids come from the active span, not a constant.
    expect(calling?.['trace_id']).not.toBe(traceId);
    expect(calling?.['span_id']).not.toBe(spanId);
    expect(typeof outside?.['time']).toBe('string');
  });

  it('logs the ids of exactly the active span', () => {
    const out = captureLines();
    const log = createLogger('spec', { destination: out, level: 'info' });
    tracer().startActiveSpan('process ledgerline.store.orders.v1', (span) => {
      log.info('inside');
      expect(out.lines[0]).toMatchObject({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
      expect(trace.getActiveSpan()).toBe(span);
      span.end();
    });
  });

  it('redacts secret-named keys at any depth, in arrays, child bindings and errors', () => {
    const out = captureLines();
    const log = createLogger('store-client', { destination: out, level: 'info' }).child({ store: { url: 'https://shop.example', consumerSecret: 'cs_live_123' } });
    const httpError = Object.assign(new Error('Request failed with status 401'), {
      config: { headers: { Authorization: 'Basic c2VjcmV0', 'x-api-key': 'k-123', Accept: 'application/json' } },
    });

    log.error(
      {
        err: httpError,
        connection: { consumerKey: 'ck_live_456', webhookSecret: 'whsec_789', tokenExpiresAt: '2025-01-01T00:00:00Z' },
        erps: [{ erp: 'fortnox', accessToken: 'at-1', refresh_token: 'rt-1' }],
        password: 'hunter2',
      },
      'store rejected the request',
    );

    const line = out.lines[0] as Record<string, unknown> & { err: { config: { headers: unknown } } };
    const raw = JSON.stringify(line);
    for (const secret of ['cs_live_123', 'ck_live_456', 'whsec_789', 'at-1', 'rt-1', 'hunter2', 'c2VjcmV0', 'k-123']) {
      expect(raw).not.toContain(secret);
    }
    expect(line['store']).toEqual({ url: 'https://shop.example', consumerSecret: '[REDACTED]' });
    expect(line['connection']).toEqual({ consumerKey: '[REDACTED]', webhookSecret: '[REDACTED]', tokenExpiresAt: '2025-01-01T00:00:00Z' });
    expect(line['erps']).toEqual([{ erp: 'fortnox', accessToken: '[REDACTED]', refresh_token: '[REDACTED]' }]);
    expect(line['err']).toMatchObject({ type: 'Error', message: 'Request failed with status 401', stack: expect.stringContaining('Error: Request failed') });
    expect(line['err'].config.headers).toEqual({ Authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', Accept: 'application/json' });
  });

  it('serializes a plain logged error as pino does', () => {
    const out = captureLines();
    createLogger('spec', { destination: out }).error(new TypeError('boom'));
    expect(out.lines[0]).toMatchObject({ level: 'error', msg: 'boom', err: { type: 'TypeError', message: 'boom' } });
  });

  it('leaves objects without secrets untouched and survives cycles', () => {
    const out = captureLines();
    const payload: Record<string, unknown> = { order: { number: '1234', lines: [{ sku: 'A-1', qty: 2 }] } };
    payload['self'] = payload;
    createLogger('spec', { destination: out, level: 'info' }).info({ payload }, 'received');
    expect(out.lines[0]).toMatchObject({ payload: { order: { number: '1234', lines: [{ sku: 'A-1', qty: 2 }] } } });
  });

  it('writes at the configured level and above only', () => {
    const out = captureLines();
    const info = createLogger('spec', { destination: out });
    info.debug('hidden');
    const debug = createLogger('spec', { destination: out, level: 'debug' });
    debug.debug('shown');
    expect(out.lines.map((l) => l['msg'])).toEqual(['shown']);
    expect(out.lines[0]?.['level']).toBe('debug');
  });
});
