/**
 * @ledgerline/observability: tracing bootstrap and Kafka trace headers, Prometheus metrics,
 * JSON logging with trace ids, and the /health/live, /health/ready and /metrics endpoints.
 */
export { startTracing, type StartTracingOptions, type TracingHandle } from './tracing/tracing.bootstrap';
export { injectTraceHeaders, extractTraceContext } from './tracing/trace-headers';
export { tracer } from './tracing/tracer';
export { exitOnShutdownSignal, type GracefulShutdownOptions, type SignalTarget } from './shutdown/graceful-shutdown';

export { metricsRegistry, counter, histogram, gauge } from './metrics/metrics.registry';
export { setServiceName } from './service-name';

export { createLogger, type CreateLoggerOptions } from './logging/logger';

export { HealthRegistry, DEFAULT_READY_TIMEOUT_MS, type HealthCheck, type HealthReport } from './health/health.registry';
export { ObservabilityModule } from './health/observability.module';
export { type ObservabilityModuleOptions } from './health/observability.controller';
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './health/metrics.server';

export { observabilitySettings, type ObservabilitySetting } from './config/observability.config';
