import { context, propagation, trace } from '@opentelemetry/api';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { envDetector, processDetector } from '@opentelemetry/resources';
import { NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { loadObservabilityConfig, type ObservabilityConfig } from '../config/observability.config';
import { w3cPropagator } from './trace-headers';

/** What {@link startTracing} returns. */
export interface TracingHandle {
  /** Flushes pending spans, stops the SDK and unregisters it, so `startTracing` may run again. */
  shutdown(): Promise<void>;
}

/** Options for {@link startTracing}. */
export interface StartTracingOptions {
  /** service.name on spans unless OTEL_SERVICE_NAME is set. */
  serviceName: string;
  /**
   * Test hook: span processors (e.g. `SimpleSpanProcessor(new InMemorySpanExporter())`). When
   * given, they are the only processors: the exporters OTEL_TRACES_EXPORTER would build are not
   * added, because the SDK offers no way to combine both. Host resource detection is skipped so
   * that a SimpleSpanProcessor exports each span synchronously in `span.end()`.
   */
  spanProcessors?: SpanProcessor[];
}

let running: TracingHandle | undefined;

/**
 * Starts the OpenTelemetry NodeSDK and returns its shutdown handle. Call it first in `main.ts`,
 * before the Nest app is created.
 *
 * Configured by the standard variables, which the SDK reads itself (OTEL_TRACES_SAMPLER,
 * OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_RESOURCE_ATTRIBUTES, ...), with one Ledgerline default: with
 * neither OTEL_TRACES_EXPORTER nor an OTLP endpoint set, nothing is exported (the SDK would
 * otherwise default to otlp on localhost). Spans are still created with real ids in that case, so
 * logs carry trace ids and Kafka headers carry the trace on. Registers the W3C trace-context and
 * baggage propagators and an AsyncLocalStorage context manager. OTel metrics and logs stay off
 * unless OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER are set (we use Prometheus and pino).
 *
 * Idempotent: a second call returns the running handle. Passing `spanProcessors` to a second call
 * throws, since they could not take effect. Throws when the settings are invalid.
 */
export function startTracing(opts: StartTracingOptions): TracingHandle {
  if (running !== undefined) {
    if (opts.spanProcessors?.length) {
      throw new Error('startTracing: tracing is already running, so these spanProcessors would be ignored. Call shutdown() on the first handle before starting again.');
    }
    return running;
  }
  const sdk = new NodeSDK(nodeSdkConfiguration(opts, loadObservabilityConfig()));
  sdk.start();

  let stopping: Promise<void> | undefined;
  const handle: TracingHandle = {
    shutdown() {
      stopping ??= sdk.shutdown().finally(() => {
        // NodeSDK leaves its providers registered; without this a restart in the same process
        // would keep talking to the shut-down provider.
        trace.disable();
        context.disable();
        propagation.disable();
        if (running === handle) running = undefined;
      });
      return stopping;
    },
  };
  running = handle;
  return handle;
}

/** The NodeSDK options for `opts` under `config`; exported for tests. */
export function nodeSdkConfiguration(opts: StartTracingOptions, config: ObservabilityConfig): Partial<NodeSDKConfiguration> {
  const sdkConfig: Partial<NodeSDKConfiguration> = {
    serviceName: config.otelServiceName ?? opts.serviceName,
    textMapPropagator: w3cPropagator,
    // contextManager left unset: the SDK then enables its AsyncLocalStorageContextManager.
  };
  if (opts.spanProcessors?.length) {
    sdkConfig.spanProcessors = opts.spanProcessors;
    // The host detector resolves host.id asynchronously, and SimpleSpanProcessor holds every
    // export until it has; tests read the in-memory exporter right after span.end().
    sdkConfig.resourceDetectors = [envDetector, processDetector];
  } else if (config.tracesExport === 'none') {
    // The SDK registers a tracer provider only when it has a processor; a no-op one keeps ids.
    sdkConfig.spanProcessors = [new NoopSpanProcessor()];
  }
  if (!config.otelMetricsExporterSet) sdkConfig.metricReaders = [];
  if (!config.otelLogsExporterSet) sdkConfig.logRecordProcessors = [];
  return sdkConfig;
}
