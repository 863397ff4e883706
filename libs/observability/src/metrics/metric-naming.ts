/**
 * Naming rules from STYLE.md §3: `ledgerline_<area>_<noun>_<unit>`, base units, `_total` on
 * counters, bounded labels only. Checked when a metric is created, so a bad name fails the first
 * test that loads the module instead of reaching a dashboard.
 */

export type MetricKind = 'counter' | 'gauge' | 'histogram';

const NAME = /^ledgerline_[a-z0-9_]+$/;
const LABEL = /^[a-z][a-z0-9_]*$/;

/** Non-base units: Prometheus convention is seconds and bytes, scaled by the dashboard. */
const NON_BASE_UNITS: Readonly<Record<string, string>> = {
  ms: 'seconds',
  msec: 'seconds',
  millis: 'seconds',
  milliseconds: 'seconds',
  us: 'seconds',
  microseconds: 'seconds',
  ns: 'seconds',
  nanoseconds: 'seconds',
  minutes: 'seconds',
  hours: 'seconds',
  days: 'seconds',
  kb: 'bytes',
  kib: 'bytes',
  kilobytes: 'bytes',
  mb: 'bytes',
  mib: 'bytes',
  megabytes: 'bytes',
  gb: 'bytes',
  gib: 'bytes',
  gigabytes: 'bytes',
};
const DURATION_WORDS = new Set(['duration', 'latency', 'elapsed']);
const SIZE_WORDS = new Set(['size']);

/** Label names that carry per-business-object values and would explode series counts. */
const UNBOUNDED_LABELS = new Set(['order', 'event', 'store', 'customer', 'sku', 'email', 'key', 'message', 'url', 'id', 'uuid']);

/** `service` is added to every series by `setServiceName`; a metric must not declare it. */
const RESERVED_LABELS = new Set(['service', 'le', 'quantile']);

/**
 * Throws an error naming the metric and the rule it breaks; returns nothing when the name and
 * labels follow STYLE.md §3.
 */
export function assertMetricNaming(kind: MetricKind, name: string, labelNames: readonly string[]): void {
  const problems: string[] = [];
  if (!NAME.test(name)) {
    problems.push('names must match ^ledgerline_[a-z0-9_]+$ (ledgerline_<area>_<noun>_<unit>)');
  } else {
    const words = name.split('_');
    const last = words[words.length - 1] as string;
    const unitWords = kind === 'counter' && last === 'total' ? words.slice(0, -1) : words;
    const unit = unitWords[unitWords.length - 1] as string;

    if (kind === 'counter' && last !== 'total') problems.push('counters must end in _total');
    if (kind !== 'counter' && last === 'total') problems.push(`a ${kind} must not end in _total (only counters do)`);
    if (words.length < 3 || (kind === 'counter' && words.length < 4)) problems.push('name needs an area and a noun after ledgerline_');
    if (unit in NON_BASE_UNITS) problems.push(`use base units: _${NON_BASE_UNITS[unit]} instead of _${unit}`);
    else if (unitWords.some((w) => DURATION_WORDS.has(w)) && unit !== 'seconds') problems.push('durations must end in _seconds');
    else if (unitWords.some((w) => SIZE_WORDS.has(w)) && unit !== 'bytes') {
      problems.push('sizes must end in _bytes (a count of items is not a size: name it by its unit, e.g. _messages)');
    }
  }

  const seen = new Set<string>();
  for (const label of labelNames) {
    if (!LABEL.test(label)) problems.push(`label "${label}" must match ^[a-z][a-z0-9_]*$`);
    else if (RESERVED_LABELS.has(label)) problems.push(`label "${label}" is reserved (service is set process-wide by setServiceName)`);
    else if (UNBOUNDED_LABELS.has(label) || /_(id|ids|uuid|key|url)$/.test(label)) {
      problems.push(`label "${label}" looks unbounded; labels must be small fixed sets such as topic, erp, outcome, code`);
    }
    if (seen.has(label)) problems.push(`label "${label}" is listed twice`);
    seen.add(label);
  }

  if (problems.length > 0) {
    throw new Error(`Metric "${name}" breaks the naming rules (STYLE.md §3): ${problems.join('; ')}.`);
  }
}
