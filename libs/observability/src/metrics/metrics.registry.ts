import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { assertMetricNaming, type MetricKind } from './metric-naming';

/**
 * The process-wide Prometheus registry that `/metrics` serves: default Node.js metrics
 * (`process_*`, `nodejs_*`) plus every metric made with {@link counter}, {@link histogram} and
 * {@link gauge}. Every series carries `service` once {@link setServiceName} has run.
 */
export const metricsRegistry: Registry = new Registry();

// Once per registry: this module is the only place that creates it.
collectDefaultMetrics({ register: metricsRegistry });

interface MetricConfig<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

function getOrCreate<M extends AnyMetric>(kind: MetricKind, cfg: MetricConfig<string>, create: () => M, reuse?: (existing: M) => void): M {
  const labelNames = cfg.labelNames ?? [];
  assertMetricNaming(kind, cfg.name, labelNames);
  const existing = metricsRegistry.getSingleMetric(cfg.name) as (AnyMetric & { type?: string; labelNames?: string[] }) | undefined;
  if (existing === undefined) return create();

  // A module evaluated twice (Jest module registries, hot reload) asks for the same metric
  // again: hand back the registered one. Anything else sharing the name is a real clash.
  const existingLabels = [...(existing.labelNames ?? [])].sort().join(',');
  const wantedLabels = [...labelNames].sort().join(',');
  if (existing.type !== kind || existingLabels !== wantedLabels) {
    throw new Error(
      `Metric "${cfg.name}" is already registered as a ${existing.type} with labels [${existingLabels}]; ` +
        `cannot register it again as a ${kind} with labels [${wantedLabels}]. Pick another name.`,
    );
  }
  reuse?.(existing as M);
  return existing as M;
}

/**
 * Returns the counter registered under `cfg.name` in {@link metricsRegistry}, creating it on first
 * use. Calling it twice with the same name, type and labels returns the same instance.
 *
 * Throws when the name breaks STYLE.md §3 (`ledgerline_<area>_<noun>_total`, base units), when a
 * label looks unbounded (ids, keys, urls), or when the name is taken by a different metric.
 */
export function counter<L extends string>(cfg: { name: string; help: string; labelNames?: readonly L[] }): Counter<L> {
  return getOrCreate('counter', cfg, () => new Counter<L>({ name: cfg.name, help: cfg.help, labelNames: cfg.labelNames ?? [], registers: [metricsRegistry] })) as Counter<L>;
}

/**
 * Returns the histogram registered under `cfg.name`, creating it on first use (same rules as
 * {@link counter}). Durations end in `_seconds`, sizes in `_bytes`. Without `buckets`,
 * prom-client's defaults (5 ms to 10 s) apply, which only suit `_seconds`; a `_bytes` histogram
 * must give its own.
 */
export function histogram<L extends string>(cfg: { name: string; help: string; labelNames?: readonly L[]; buckets?: number[] }): Histogram<L> {
  if (cfg.buckets === undefined && cfg.name.endsWith('_bytes')) {
    throw new Error(`Metric "${cfg.name}": a _bytes histogram needs explicit buckets (the defaults are in seconds).`);
  }
  return getOrCreate('histogram', cfg, () => {
    const config = { name: cfg.name, help: cfg.help, labelNames: cfg.labelNames ?? [], registers: [metricsRegistry] };
    return new Histogram<L>(cfg.buckets ? { ...config, buckets: cfg.buckets } : config);
  }) as Histogram<L>;
}

/**
 * Returns the gauge registered under `cfg.name`, creating it on first use (same rules as
 * {@link counter}, except that a gauge must not end in `_total`). `collect` runs on every scrape
 * to refresh the value; when the gauge already exists, the newest `collect` replaces the old one so
 * a re-evaluated module reads its own state. Inside `collect`, `this` is the gauge:
 * `collect() { this.set(backlog()); }`.
 */
export function gauge<L extends string>(cfg: { name: string; help: string; labelNames?: readonly L[]; collect?: (this: Gauge<L>) => void | Promise<void> }): Gauge<L> {
  return getOrCreate(
    'gauge',
    cfg,
    () => {
      const config = { name: cfg.name, help: cfg.help, labelNames: cfg.labelNames ?? [], registers: [metricsRegistry] };
      return new Gauge<L>(cfg.collect ? { ...config, collect: cfg.collect } : config);
    },
    (existing) => {
      if (cfg.collect) (existing as unknown as { collect: typeof cfg.collect }).collect = cfg.collect;
    },
  ) as Gauge<L>;
}
