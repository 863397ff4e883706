/**
 * One readiness check. `check` resolves when the dependency is usable and throws (or rejects)
 * with an operator-readable message when it is not, e.g. `PostgreSQL unreachable: connect ECONNREFUSED`.
 */
export type HealthCheck = { name: string; check: () => Promise<void> };

/** The outcome of {@link HealthRegistry.run}: `checks` maps each name to `ok` or its failure message. */
export interface HealthReport {
  ok: boolean;
  checks: Record<string, string>;
}

/**
 * Default time each readiness check gets. Kubernetes probes default to a 1 s timeout; the chart
 * must give readiness probes `timeoutSeconds` above this (3 s) or the probe gives up first.
 */
export const DEFAULT_READY_TIMEOUT_MS = 2000;

// Messages go into an HTTP body and the probe's event log; a stack-sized message helps nobody.
const MAX_MESSAGE_LENGTH = 500;

/**
 * The readiness checks of one process. `ObservabilityModule` provides one instance (inject
 * `HealthRegistry` to add checks at runtime, e.g. once a consumer has joined its group);
 * `startMetricsServer` returns its own.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  /** Adds a readiness check. Throws when the name is empty or already taken. */
  add(check: HealthCheck): void {
    if (!check || typeof check.name !== 'string' || check.name.trim() === '' || typeof check.check !== 'function') {
      throw new Error('HealthRegistry.add: a check needs a non-empty name and a check() function.');
    }
    if (this.checks.has(check.name)) {
      throw new Error(`HealthRegistry.add: a readiness check named "${check.name}" is already registered.`);
    }
    this.checks.set(check.name, check);
  }

  /**
   * Runs every check in parallel and returns `ok: true` only when each one resolved within
   * `timeoutMs`. A check that throws reports its message; one that is too slow reports
   * `timed out after <n> ms`. Never rejects.
   */
  async run(timeoutMs: number = DEFAULT_READY_TIMEOUT_MS): Promise<HealthReport> {
    const entries = await Promise.all([...this.checks.values()].map(async (c) => [c.name, await runOne(c, timeoutMs)] as const));
    return { ok: entries.every(([, outcome]) => outcome === 'ok'), checks: Object.fromEntries(entries) };
  }
}

async function runOne(check: HealthCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
    timer.unref();
  });
  try {
    const outcome = Promise.resolve()
      .then(() => check.check())
      .then(
        () => 'ok',
        (err: unknown) => failureMessage(err),
      );
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function failureMessage(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : typeof err === 'string' ? err : 'check failed';
  const text = message.trim() || 'check failed';
  // Guard the one value that means healthy.
  const safe = text === 'ok' ? 'check failed: ok' : text;
  return safe.length > MAX_MESSAGE_LENGTH ? `${safe.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : safe;
}
