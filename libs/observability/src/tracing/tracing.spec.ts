import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { extractTraceContext, injectTraceHeaders } from './trace-headers';
import { tracer } from './tracer';
import { nodeSdkConfiguration, startTracing, type TracingHandle } from './tracing.bootstrap';

describe('tracing across Kafka headers', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingHandle;

  beforeAll(() => {
    tracing = startTracing({ serviceName: 'tracing-spec', spanProcessors: [new SimpleSpanProcessor(exporter)] });
  });
  afterEach(() => exporter.reset());
  afterAll(() => tracing.shutdown());

  it('continues the producer trace in the consumer span', async () => {
    const headers: Record<string, string> = {};
    await tracer().startActiveSpan('send ledgerline.store.orders.v1', { kind: SpanKind.PRODUCER }, async (span) => {
      // Across an await, as the outbox writer does: the context manager must carry the span.
      await new Promise((resolve) => setTimeout(resolve, 1));
      injectTraceHeaders(headers);
      span.end();
    });
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // kafkajs hands header values over as Buffers.
    const kafkaHeaders = { traceparent: Buffer.from(headers['traceparent'] as string), other: undefined };
    const parent = extractTraceContext(kafkaHeaders);
    tracer().startSpan('process ledgerline.store.orders.v1', { kind: SpanKind.CONSUMER }, parent).end();
    // No flush: a SimpleSpanProcessor given to startTracing exports inside span.end().

    const [producer, consumer] = exporter.getFinishedSpans();
    expect(producer?.name).toBe('send ledgerline.store.orders.v1');
    expect(consumer?.name).toBe('process ledgerline.store.orders.v1');
    expect(consumer?.spanContext().traceId).toBe(producer?.spanContext().traceId);
    expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
    expect(consumer?.resource.attributes['service.name']).toBe('tracing-spec');
  });

  it('carries tracestate and baggage, including from array-valued headers', () => {
    const bag = propagation.createBaggage({ tenant: { value: 'acme' } });
    const span = tracer().startSpan('send x');
    const ctx = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, span), bag);
    const headers = injectTraceHeaders({}, ctx);
    span.end();
    expect(headers['baggage']).toBe('tenant=acme');

    const extracted = extractTraceContext({
      traceparent: [Buffer.from(headers['traceparent'] as string)],
      tracestate: [Buffer.from('vendor=a'), 'other=b'],
      baggage: headers['baggage'],
    });
    const spanContext = trace.getSpanContext(extracted);
    expect(spanContext?.traceId).toBe(span.spanContext().traceId);
    expect(spanContext?.isRemote).toBe(true);
    expect(spanContext?.traceState?.serialize()).toBe('vendor=a,other=b');
    expect(propagation.getBaggage(extracted)?.getEntry('tenant')?.value).toBe('acme');
  });

  it('starts a new trace, not a child of the active span, when a message has no trace headers', () => {
    tracer().startActiveSpan('poll', (poll) => {
      expect(trace.getSpan(extractTraceContext({ key: Buffer.from('x') }))).toBeUndefined();
      expect(extractTraceContext(undefined)).toBe(ROOT_CONTEXT);
      poll.end();
    });
  });

  it('writes no headers outside a span', () => {
    expect(injectTraceHeaders({ 'content-type': 'application/json' }, context.active())).toEqual({ 'content-type': 'application/json' });
  });

  it('returns the running handle on a second start and refuses processors it could not apply', () => {
    expect(startTracing({ serviceName: 'tracing-spec' })).toBe(tracing);
    expect(() => startTracing({ serviceName: 'tracing-spec', spanProcessors: [new SimpleSpanProcessor(exporter)] })).toThrow(/already running/);
  });
});

describe('nodeSdkConfiguration', () => {
  const base = { logLevel: 'info', otelServiceName: undefined, tracesExport: 'none', otelMetricsExporterSet: false, otelLogsExporterSet: false } as const;

  it('keeps a tracer provider without exporting when export is off, and turns OTel metrics and logs off', () => {
    const config = nodeSdkConfiguration({ serviceName: 'svc' }, base);
    expect(config.spanProcessors).toHaveLength(1);
    expect(config.spanProcessors?.[0]?.constructor.name).toBe('NoopSpanProcessor');
    expect(config.metricReaders).toEqual([]);
    expect(config.logRecordProcessors).toEqual([]);
    expect(config.serviceName).toBe('svc');
  });

  it('leaves exporters to the SDK when export is on, and lets OTEL_SERVICE_NAME win', () => {
    const config = nodeSdkConfiguration({ serviceName: 'svc' }, { ...base, tracesExport: 'sdk', otelServiceName: 'svc-eu', otelMetricsExporterSet: true });
    expect(config.spanProcessors).toBeUndefined();
    expect(config.metricReaders).toBeUndefined();
    expect(config.serviceName).toBe('svc-eu');
  });
});

describe('startTracing after shutdown', () => {
  it('starts afresh, so a later test can use its own exporter', async () => {
    const first = new InMemorySpanExporter();
    const firstProcessor = new SimpleSpanProcessor(first);
    await startTracing({ serviceName: 'restart-spec', spanProcessors: [firstProcessor] }).shutdown();
    tracer().startSpan('after shutdown').end();
    expect(first.getFinishedSpans()).toEqual([]);

    const second = new InMemorySpanExporter();
    const secondProcessor = new SimpleSpanProcessor(second);
    const handle = startTracing({ serviceName: 'restart-spec', spanProcessors: [secondProcessor] });
    tracer().startSpan('after restart').end();
    expect(second.getFinishedSpans().map((s) => s.name)).toEqual(['after restart']);
    await handle.shutdown();
  });
});
