import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { loadObservabilityConfig } from '../config/observability.config';
import { currentServiceName } from '../service-name';
import { redactSecrets } from './redact-secrets';

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Minimum level; defaults to LOG_LEVEL, else `info`. */
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream that collects lines. */
  destination?: DestinationStream;
}

/**
 * Returns a pino logger that writes one JSON object per line, with `level` as a label, an ISO
 * `time`, `name` (the component, e.g. `outbox-relay`), `service` (from `setServiceName`) and,
 * inside an active span, its `trace_id` and `span_id`.
 *
 * Values under secret-looking keys (password, secret, token, authorization, api key, cookie,
 * credentials, consumerSecret, webhookSecret, ...) are replaced with `[REDACTED]` at any depth,
 * in logged objects, child bindings and errors. Message strings are not inspected: put values in
 * fields, not in the message. Throws when LOG_LEVEL is invalid.
 */
export function createLogger(name: string, opts: CreateLoggerOptions = {}): Logger {
  const options: LoggerOptions = {
    name,
    level: opts.level ?? loadObservabilityConfig().logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: logContext,
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redactSecrets(bindings),
      log: (obj) => redactSecrets(obj),
    },
    // Errors are serialized (and redacted) by the log formatter, which runs first; pino's default
    // err serializer would re-serialize that plain object and lose its type.
    serializers: { err: (err: unknown) => (err instanceof Error ? redactSecrets(err) : err) },
  };
  const logger = opts.destination ? pino(options, opts.destination) : pino(options);
  // pino applies formatters.bindings to the root's bindings only; child() and setBindings() take
  // theirs as they come. Children inherit from the root by prototype, so this covers grandchildren.
  const child = logger.child;
  const setBindings = logger.setBindings;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactSecrets(bindings), childOptions);
  } as Logger['child'];
  logger.setBindings = function redactedSetBindings(this: Logger, bindings) {
    setBindings.call(this, redactSecrets(bindings));
  };
  return logger;
}

/** Fields added to every line; the caller's own fields win on a clash. */
function logContext(): Record<string, string> {
  const fields: Record<string, string> = {};
  const service = currentServiceName();
  if (service !== undefined) fields['service'] = service;
  const span = trace.getSpan(context.active());
  if (span !== undefined) {
    const spanContext = span.spanContext();
    if (isSpanContextValid(spanContext)) {
      fields['trace_id'] = spanContext.traceId;
      fields['span_id'] = spanContext.spanId;
    }
  }
  return fields;
}
