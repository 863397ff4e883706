import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTracing, tracer } from '@ledgerline/observability';
import { eventually } from '@ledgerline/testing';
import { ConsumerRunner, OutboxRelay, withTransaction, Headers } from '../src';
import { keyOf, orderPlaced, world, type World } from './support';

describe('trace context through the outbox and Kafka', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: { shutdown(): Promise<void> };
  let w: World;
  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'messaging-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
    w = await world('tracing', 1);
  });
  afterAll(async () => {
    await w.close();
    await tracing.shutdown();
  });

  it("makes the producer's span the parent of the consumer's span", async () => {
    const e = orderPlaced(1);
    await tracer().startActiveSpan('POST /webhooks/woocommerce/:storeId', async (span) => {
      await withTransaction(w.pool, (tx) => w.writer.append(tx, e, { topic: w.topic, key: keyOf(e) }));
      span.end();
    });
    const producer = exporter.getFinishedSpans().find((s) => s.name === 'POST /webhooks/woocommerce/:storeId')!;

    const relay = new OutboxRelay({ pool: w.pool, kafka: w.kafka, schema: w.schema });
    const seen: Record<string, string>[] = [];
    const runner = new ConsumerRunner({
      kafka: w.kafka,
      pool: w.pool,
      schema: w.schema,
      groupId: `ledgerline.test.tracing.${w.suffix}`,
      topic: w.topic,
      handlers: { 'order.placed': async (_event, _tx, ctx) => void seen.push(ctx.headers) },
    });
    await relay.start();
    await runner.start();
    await eventually(async () => exporter.getFinishedSpans().find((s) => s.name === `process ${w.topic}`), { timeoutMs: 30_000 });
    await runner.stop();
    await relay.stop();

    const consumer = exporter.getFinishedSpans().find((s) => s.name === `process ${w.topic}`)!;
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId ?? (consumer as unknown as { parentSpanId?: string }).parentSpanId).toBe(producer.spanContext().spanId);
    expect(consumer.attributes['messaging.destination.name']).toBe(w.topic);
    expect(seen[0]![Headers.eventId]).toBe(e.id);
    expect(seen[0]!.traceparent).toMatch(new RegExp(`^00-${producer.spanContext().traceId}-${producer.spanContext().spanId}-0[01]$`));
  });
});
