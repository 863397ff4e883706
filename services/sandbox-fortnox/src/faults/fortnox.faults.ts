import type { ErrorKeyCase } from '../errors/fortnox.error';

/** Which requests a fault applies to: an endpoint key like `POST /3/invoices`, or a pattern over those keys. */
export type FaultMatch = string | RegExp;

/** Options of {@link FortnoxFaults.failNext}. */
export interface FailNextOptions {
  /** HTTP status to answer; 500-599, default 503. The body is ErrorInformation 1000003 "System exception". */
  status?: number;
  /** Only requests to this endpoint; default every API request (/3/…, /api/…), never the OAuth endpoints. */
  match?: FaultMatch;
  /** Store the document first, then answer 5xx: the client sees a failure although its write landed. */
  afterStore?: boolean;
}

/** Options of {@link FortnoxFaults.timeoutAfterStore}. */
export interface TimeoutAfterStoreOptions {
  /** Only requests to this endpoint; default every API write (POST/PUT). */
  match?: FaultMatch;
  /** Destroy the connection this long after storing; default: never answer, the client must time out. */
  destroyAfterMs?: number;
}

/** What the sandbox does wrong on purpose, per request, for retry and exactly-once tests. */
export interface FortnoxFaults {
  /** The next `count` matching requests answer 5xx. */
  failNext(count: number, opts?: FailNextOptions): void;
  /** The next `count` matching writes are stored, then get no response (or a destroyed connection). */
  timeoutAfterStore(count: number, opts?: TimeoutAfterStoreOptions): void;
  /** Delay added before every API request is handled; 0 turns it off. */
  setLatency(ms: number): void;
  /**
   * How error bodies spell their keys: `lowercase` (`error/message/code`, as live Fortnox answers) or
   * `PascalCase` (`Error/Message/Code`, as the OpenAPI declares). SOURCE.md: clients must accept both.
   */
  errorKeyCase: ErrorKeyCase;
  /** Removes every pending fault and the latency, and restores lowercase error keys. */
  clear(): void;
}

interface PendingFault {
  kind: 'fail' | 'timeout';
  remaining: number;
  match: FaultMatch | undefined;
  status: number;
  afterStore: boolean;
  destroyAfterMs: number | undefined;
}

/** A fault taken for one request. */
export type TakenFault =
  | { kind: 'fail'; status: number }
  | { kind: 'timeout'; destroyAfterMs: number | undefined };

/** The request a fault is matched against. */
export interface FaultTarget {
  /** `POST /3/invoices`, as counted in the counters. */
  endpoint: string;
  method: string;
  /** True for /3/… and /api/…; the OAuth endpoints only fault when a fault names them. */
  isApi: boolean;
}

/** The faults of one sandbox; the fault interceptor takes them request by request. */
export class SandboxFaults implements FortnoxFaults {
  errorKeyCase: ErrorKeyCase = 'lowercase';
  latencyMs = 0;
  private pending: PendingFault[] = [];

  failNext(count: number, opts: FailNextOptions = {}): void {
    const status = opts.status ?? 503;
    if (!Number.isInteger(status) || status < 500 || status > 599) throw new Error(`failNext status must be 500-599, got ${status}`);
    this.add({ kind: 'fail', remaining: count, match: opts.match, status, afterStore: opts.afterStore ?? false, destroyAfterMs: undefined });
  }

  timeoutAfterStore(count: number, opts: TimeoutAfterStoreOptions = {}): void {
    this.add({ kind: 'timeout', remaining: count, match: opts.match, status: 0, afterStore: true, destroyAfterMs: opts.destroyAfterMs });
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`latency must be a non-negative number of ms, got ${ms}`);
    this.latencyMs = ms;
  }

  clear(): void {
    this.pending = [];
    this.latencyMs = 0;
    this.errorKeyCase = 'lowercase';
  }

  /** Takes the first pending fault for this request and phase, if any. */
  take(target: FaultTarget, phase: 'beforeStore' | 'afterStore'): TakenFault | undefined {
    const fault = this.pending.find((f) => f.afterStore === (phase === 'afterStore') && matches(f, target));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending = this.pending.filter((f) => f !== fault);
    return fault.kind === 'fail' ? { kind: 'fail', status: fault.status } : { kind: 'timeout', destroyAfterMs: fault.destroyAfterMs };
  }

  private add(fault: PendingFault): void {
    if (!Number.isInteger(fault.remaining) || fault.remaining < 1) throw new Error(`fault count must be a positive integer, got ${fault.remaining}`);
    this.pending.push(fault);
  }
}

function matches(fault: PendingFault, target: FaultTarget): boolean {
  if (fault.match === undefined) {
    if (!target.isApi) return false;
    return fault.kind === 'timeout' ? target.method === 'POST' || target.method === 'PUT' : true;
  }
  return typeof fault.match === 'string' ? fault.match === target.endpoint : fault.match.test(target.endpoint);
}
