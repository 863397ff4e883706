import { loadObservabilityConfig } from './observability.config';

describe('loadObservabilityConfig', () => {
  it('defaults to info logs and no span export when nothing is set', () => {
    expect(loadObservabilityConfig({})).toEqual({
      logLevel: 'info',
      otelServiceName: undefined,
      tracesExport: 'none',
      otelMetricsExporterSet: false,
      otelLogsExporterSet: false,
    });
  });

  it('lets the SDK export traces once an OTLP endpoint is set and no exporter is named', () => {
    expect(loadObservabilityConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracesExport).toBe('sdk');
    expect(loadObservabilityConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/v1/traces' }).tracesExport).toBe('sdk');
  });

  it('follows an explicit OTEL_TRACES_EXPORTER, endpoint or not', () => {
    expect(loadObservabilityConfig({ OTEL_TRACES_EXPORTER: 'console' }).tracesExport).toBe('sdk');
    expect(loadObservabilityConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracesExport).toBe('none');
  });

  it('reads LOG_LEVEL case-insensitively and OTEL_SERVICE_NAME trimmed', () => {
    const config = loadObservabilityConfig({ LOG_LEVEL: ' DEBUG ', OTEL_SERVICE_NAME: ' connector-fortnox ', OTEL_METRICS_EXPORTER: 'prometheus' });
    expect(config).toMatchObject({ logLevel: 'debug', otelServiceName: 'connector-fortnox', otelMetricsExporterSet: true });
  });

  it('lists every invalid setting in one error with its expected form', () => {
    const load = () => loadObservabilityConfig({ LOG_LEVEL: 'verbose', OTEL_TRACES_EXPORTER: 'otlp,jaeger', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' });
    expect(load).toThrow(/LOG_LEVEL="verbose": expected one of fatal, error, warn, info, debug, trace, silent/);
    expect(load).toThrow(/OTEL_TRACES_EXPORTER="otlp,jaeger": expected a comma-separated list of otlp, zipkin, console, none/);
    expect(load).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318": expected an http\(s\) URL/);
  });
});
