import { context, ROOT_CONTEXT, type Context, type TextMapGetter } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * The one propagator for Kafka headers. ARCHITECTURE.md fixes W3C trace context on the wire, so
 * this does not follow OTEL_PROPAGATORS, and it works even when the SDK is disabled, which keeps
 * an upstream trace intact through a service that does not export.
 */
export const w3cPropagator = new CompositePropagator({
  propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
});

/**
 * Writes the W3C headers (`traceparent`, `tracestate`, `baggage`) of `ctx` (the active context by
 * default) into `headers` and returns the same object. Writes nothing when there is no valid span
 * context or baggage, so the map can go straight to the outbox row.
 */
export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  w3cPropagator.inject(ctx, headers, {
    set(carrier, key, value) {
      carrier[key] = value;
    },
  });
  return headers;
}

type HeaderCarrier = Record<string, unknown>;

const kafkaHeaderGetter: TextMapGetter<HeaderCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    // Kafka header names are case-sensitive and HTTP ones are not; accept either spelling.
    let raw = carrier[key];
    if (raw === undefined) {
      const match = Object.keys(carrier).find((k) => k.toLowerCase() === key);
      raw = match === undefined ? undefined : carrier[match];
    }
    if (Array.isArray(raw)) {
      const values = raw.map(headerText).filter((v): v is string => v !== undefined);
      return values.length > 0 ? values : undefined;
    }
    return headerText(raw);
  },
};

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}

/**
 * Returns the context carried by Kafka headers (values may be `Buffer`, `string`, `undefined` or
 * arrays of those), to pass as the parent of the consumer's span. It is built on the root context,
 * not the active one, so a message without trace headers starts a new trace instead of joining
 * whatever span the consumer loop happens to be in.
 */
export function extractTraceContext(headers: Record<string, unknown> | undefined): Context {
  if (headers === undefined || headers === null) return ROOT_CONTEXT;
  return w3cPropagator.extract(ROOT_CONTEXT, headers, kafkaHeaderGetter);
}
