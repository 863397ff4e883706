/**
 * Named counters of what the sandbox saw, for tests that assert how a client behaved: one per endpoint
 * (`POST /3/invoices`, `PUT /3/invoices/{DocumentNumber}/bookkeep`) plus outcome counters
 * (`rate_limited`, `unauthorized`, `fault_5xx`, `fault_latency`, `fault_timeout_after_store`).
 */
export class RequestCounters {
  private readonly values = new Map<string, number>();

  increment(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.values.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.values.clear();
  }
}
