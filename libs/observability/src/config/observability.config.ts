/**
 * The only place in this library that reads the environment (STYLE.md §1, §6).
 *
 * Ledgerline reads two things itself: `LOG_LEVEL`, and enough of `OTEL_*` to decide whether the
 * OpenTelemetry SDK should export at all. Everything else under `OTEL_*` (protocol, headers,
 * sampler, batch sizes, resource attributes) is passed through untouched: the SDK reads it.
 */

/** Log levels pino accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const TRACES_EXPORTERS = ['otlp', 'zipkin', 'console', 'none'] as const;

/** One documented setting; `readBy: 'otel-sdk'` means this library only passes it through. */
export interface ObservabilitySetting {
  readonly env: string;
  readonly type: 'string' | 'enum' | 'list' | 'url' | 'boolean';
  readonly values?: readonly string[];
  readonly default?: string;
  readonly description: string;
  readonly secret?: boolean;
  readonly readBy: 'ledgerline' | 'otel-sdk';
}

/**
 * The settings that shape logging and telemetry in every service, for the chart's `values.yaml`
 * docs and the operator manual. Ledgerline validates the `readBy: 'ledgerline'` ones at boot.
 */
export const observabilitySettings: readonly ObservabilitySetting[] = [
  { env: 'LOG_LEVEL', type: 'enum', values: LOG_LEVELS, default: 'info', description: 'Minimum level of JSON log lines written to stdout.', readBy: 'ledgerline' },
  { env: 'OTEL_SERVICE_NAME', type: 'string', description: 'service.name on exported spans; defaults to the service\'s own name.', readBy: 'ledgerline' },
  {
    env: 'OTEL_TRACES_EXPORTER',
    type: 'list',
    values: TRACES_EXPORTERS,
    description: 'Span exporters. Unset means "otlp" when an OTLP endpoint is set, otherwise "none" (ids are still generated and logged).',
    readBy: 'ledgerline',
  },
  { env: 'OTEL_EXPORTER_OTLP_ENDPOINT', type: 'url', description: 'OTLP collector base URL, e.g. http://otel-collector:4318.', readBy: 'ledgerline' },
  { env: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', type: 'url', description: 'OTLP traces URL, overriding OTEL_EXPORTER_OTLP_ENDPOINT for traces.', readBy: 'ledgerline' },
  { env: 'OTEL_METRICS_EXPORTER', type: 'list', description: 'OTel SDK metrics exporters; unset means none (Ledgerline metrics are Prometheus, see /metrics).', readBy: 'ledgerline' },
  { env: 'OTEL_LOGS_EXPORTER', type: 'list', description: 'OTel SDK log exporters; unset means none (Ledgerline logs are JSON on stdout).', readBy: 'ledgerline' },
  { env: 'OTEL_EXPORTER_OTLP_PROTOCOL', type: 'enum', values: ['http/protobuf', 'http/json', 'grpc'], default: 'http/protobuf', description: 'OTLP transport.', readBy: 'otel-sdk' },
  { env: 'OTEL_EXPORTER_OTLP_HEADERS', type: 'list', description: 'Extra headers sent to the collector (key=value,...), e.g. an API key.', secret: true, readBy: 'otel-sdk' },
  { env: 'OTEL_TRACES_SAMPLER', type: 'string', default: 'parentbased_always_on', description: 'Sampler, e.g. parentbased_traceidratio.', readBy: 'otel-sdk' },
  { env: 'OTEL_TRACES_SAMPLER_ARG', type: 'string', description: 'Sampler argument, e.g. 0.1 for a 10% ratio.', readBy: 'otel-sdk' },
  { env: 'OTEL_RESOURCE_ATTRIBUTES', type: 'list', description: 'Extra resource attributes (key=value,...), e.g. deployment.environment=prod.', readBy: 'otel-sdk' },
  { env: 'OTEL_SDK_DISABLED', type: 'boolean', default: 'false', description: 'true turns the OTel SDK off entirely (no trace ids in logs).', readBy: 'otel-sdk' },
];

/** The validated settings this library acts on. */
export interface ObservabilityConfig {
  readonly logLevel: LogLevel;
  /** From OTEL_SERVICE_NAME; overrides the service name given in code for the trace resource only. */
  readonly otelServiceName: string | undefined;
  /**
   * `none`: no span is exported (spans still get ids so logs and Kafka headers correlate).
   * `sdk`: the SDK builds its exporters from OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_*.
   */
  readonly tracesExport: 'none' | 'sdk';
  /** True when OTEL_METRICS_EXPORTER is set; otherwise the SDK's own default (otlp) is suppressed. */
  readonly otelMetricsExporterSet: boolean;
  /** True when OTEL_LOGS_EXPORTER is set; otherwise the SDK's own default (otlp) is suppressed. */
  readonly otelLogsExporterSet: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Returns the observability settings read from `env` (the process environment by default).
 * Throws one error listing every invalid setting, its expected form and where it is set, so a
 * misconfigured service fails at boot rather than on first use (STYLE.md §5).
 */
export function loadObservabilityConfig(env: Env = process.env): ObservabilityConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const list = (name: string): string[] =>
    (text(name) ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);

  const rawLevel = text('LOG_LEVEL')?.toLowerCase() ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(rawLevel) ? (rawLevel as LogLevel) : 'info';
  if (logLevel !== rawLevel) {
    problems.push(`LOG_LEVEL="${env['LOG_LEVEL']}": expected one of ${LOG_LEVELS.join(', ')} (env var LOG_LEVEL).`);
  }

  const exporters = list('OTEL_TRACES_EXPORTER');
  const unknown = exporters.filter((e) => !(TRACES_EXPORTERS as readonly string[]).includes(e));
  if (unknown.length > 0) {
    problems.push(
      `OTEL_TRACES_EXPORTER="${env['OTEL_TRACES_EXPORTER']}": expected a comma-separated list of ${TRACES_EXPORTERS.join(', ')} (env var OTEL_TRACES_EXPORTER).`,
    );
  }
  for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    const value = text(name);
    if (value !== undefined && !isHttpUrl(value)) {
      problems.push(`${name}="${value}": expected an http(s) URL such as http://otel-collector:4318 (env var ${name}).`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid observability settings:\n  - ${problems.join('\n  - ')}`);
  }

  const endpointSet = text('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined || text('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined;
  // The SDK's own default is "otlp" even with no endpoint, which sends to localhost:4318 and logs
  // export errors forever on a cluster without a collector. Ledgerline defaults to no export.
  const tracesExport = exporters.length === 0 ? (endpointSet ? 'sdk' : 'none') : exporters.every((e) => e === 'none') ? 'none' : 'sdk';

  return {
    logLevel,
    otelServiceName: text('OTEL_SERVICE_NAME'),
    tracesExport,
    otelMetricsExporterSet: list('OTEL_METRICS_EXPORTER').length > 0,
    otelLogsExporterSet: list('OTEL_LOGS_EXPORTER').length > 0,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
