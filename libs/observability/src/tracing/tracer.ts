import { trace, type Tracer } from '@opentelemetry/api';

/**
 * Returns the OpenTelemetry tracer `name` (default `ledgerline`) from the global provider that
 * {@link startTracing} registers; before that, a no-op tracer. Name spans in the OTel messaging
 * style, `<operation> <destination>` (STYLE.md §3): `process ledgerline.store.orders.v1`.
 */
export const tracer = (name = 'ledgerline'): Tracer => trace.getTracer(name);
