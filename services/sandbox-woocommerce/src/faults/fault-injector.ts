import type { Prng } from '../generate/prng';

/** Which REST requests a fault applies to; all of them when omitted. */
export interface RequestMatch {
  /** HTTP method, e.g. `PUT`. */
  method?: string;
  /** Substring of the path, e.g. `/products/batch`, or a regular expression source starting with `^`. */
  path?: string;
}

export interface SlowResponsesFault {
  /** Added before the request is handled. */
  ms: number;
  /** Up to this many more milliseconds, drawn from the sandbox's seeded generator. */
  jitterMs?: number;
  /** Only the next `count` matching requests; every one until reset when omitted. */
  count?: number;
  match?: RequestMatch;
}

export interface FailResponsesFault {
  /** 500 (WordPress critical error JSON), 502/504 (proxy HTML), 503 (maintenance HTML); default 500. */
  status?: 500 | 502 | 503 | 504;
  /** Only the next `count` matching requests; every matching one until reset when omitted. */
  count?: number;
  /** Probability (0..1) that a matching request fails; 1 when omitted. */
  rate?: number;
  /**
   * Handle the request (the change happens) and then answer with the error, as when a proxy times
   * out after the store committed. Default false: the request fails before anything changes.
   */
  afterHandling?: boolean;
  match?: RequestMatch;
}

export interface DeliveryFault {
  /** Only the next `count` matching deliveries; every one until reset when omitted. */
  count?: number;
  /** Only deliveries of this topic, e.g. `order.updated`. */
  topic?: string;
  /** Only deliveries of this webhook. */
  webhookId?: number;
}

export interface ReorderDeliveriesFault extends DeliveryFault {
  /** Longest time a stale delivery waits for a newer one before it is sent anyway; default 2000 ms. */
  maxHoldMs?: number;
}

/** The faults in force and how often each has fired so far. */
export interface FaultsSnapshot {
  slowResponses: Array<SlowResponsesFault & { injected: number }>;
  failResponses: Array<FailResponsesFault & { injected: number }>;
  duplicateDeliveries: Array<DeliveryFault & { injected: number }>;
  reorderDeliveries: Array<ReorderDeliveriesFault & { injected: number }>;
  dropDeliveries: Array<DeliveryFault & { injected: number }>;
}

/**
 * Switches faults on for one sandbox: slow or failing REST responses, and webhook deliveries that
 * are duplicated, delivered out of order (an older body after a newer one) or dropped (the change
 * happens, the webhook never goes out). Each call adds a rule; `reset()` removes them all.
 */
export interface FaultInjector {
  slowResponses(fault: SlowResponsesFault): void;
  failResponses(fault?: FailResponsesFault): void;
  duplicateDeliveries(fault?: DeliveryFault): void;
  reorderDeliveries(fault?: ReorderDeliveriesFault): void;
  dropDeliveries(fault?: DeliveryFault): void;
  reset(): void;
  active(): FaultsSnapshot;
}

type Rule<T> = T & { injected: number };

/** The decision for one REST request. */
export interface RequestFaults {
  delayMs: number;
  failure: { status: 500 | 502 | 503 | 504; afterHandling: boolean } | null;
}

/** Implements {@link FaultInjector} and answers the REST pipeline's and the delivery worker's questions. */
export class SandboxFaults implements FaultInjector {
  private slow: Array<Rule<SlowResponsesFault>> = [];
  private fail: Array<Rule<FailResponsesFault>> = [];
  private duplicate: Array<Rule<DeliveryFault>> = [];
  private reorder: Array<Rule<ReorderDeliveriesFault>> = [];
  private drop: Array<Rule<DeliveryFault>> = [];

  constructor(private readonly random: Prng) {}

  slowResponses(fault: SlowResponsesFault): void {
    if (!(fault.ms >= 0)) throw new Error('slowResponses needs ms >= 0');
    this.slow.push({ ...fault, injected: 0 });
  }

  failResponses(fault: FailResponsesFault = {}): void {
    if (fault.rate !== undefined && !(fault.rate >= 0 && fault.rate <= 1)) throw new Error('failResponses rate must be between 0 and 1');
    if (fault.status !== undefined && ![500, 502, 503, 504].includes(fault.status)) throw new Error('failResponses status must be 500, 502, 503 or 504');
    this.fail.push({ ...fault, injected: 0 });
  }

  duplicateDeliveries(fault: DeliveryFault = {}): void {
    this.duplicate.push({ ...fault, injected: 0 });
  }

  reorderDeliveries(fault: ReorderDeliveriesFault = {}): void {
    this.reorder.push({ ...fault, injected: 0 });
  }

  dropDeliveries(fault: DeliveryFault = {}): void {
    this.drop.push({ ...fault, injected: 0 });
  }

  reset(): void {
    this.slow = [];
    this.fail = [];
    this.duplicate = [];
    this.reorder = [];
    this.drop = [];
  }

  active(): FaultsSnapshot {
    const copy = <T>(rules: T[]): T[] => rules.map((r) => ({ ...r }));
    return {
      slowResponses: copy(this.slow),
      failResponses: copy(this.fail),
      duplicateDeliveries: copy(this.duplicate),
      reorderDeliveries: copy(this.reorder),
      dropDeliveries: copy(this.drop),
    };
  }

  /** Decides (and counts) the latency and failure for one REST request. */
  forRequest(method: string, path: string): RequestFaults {
    let delayMs = 0;
    const slow = this.slow.find((r) => remaining(r) && matches(r.match, method, path));
    if (slow) {
      slow.injected++;
      delayMs = slow.ms + (slow.jitterMs ? Math.floor(this.random.next() * slow.jitterMs) : 0);
    }
    let failure: RequestFaults['failure'] = null;
    for (const r of this.fail) {
      if (!remaining(r) || !matches(r.match, method, path)) continue;
      if (r.rate !== undefined && r.rate < 1 && this.random.next() >= r.rate) continue;
      r.injected++;
      failure = { status: r.status ?? 500, afterHandling: r.afterHandling ?? false };
      break;
    }
    return { delayMs, failure };
  }

  /** Decides (and counts) whether a delivery is dropped or sent twice. */
  forDelivery(webhookId: number, topic: string): { drop: boolean; duplicate: boolean } {
    const take = (rules: Array<Rule<DeliveryFault>>): boolean => {
      const r = rules.find((x) => remaining(x) && deliveryMatches(x, webhookId, topic));
      if (r) r.injected++;
      return r !== undefined;
    };
    const drop = take(this.drop);
    return { drop, duplicate: !drop && take(this.duplicate) };
  }

  /** Decides (and counts) whether a delivery is held back and sent with its old body after a newer one. */
  forScheduling(webhookId: number, topic: string): { maxHoldMs: number } | null {
    const r = this.reorder.find((x) => remaining(x) && deliveryMatches(x, webhookId, topic));
    if (!r) return null;
    r.injected++;
    return { maxHoldMs: r.maxHoldMs ?? 2000 };
  }
}

function remaining(r: { count?: number; injected: number }): boolean {
  return r.count === undefined || r.injected < r.count;
}

function matches(match: RequestMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path) return match.path.startsWith('^') ? new RegExp(match.path).test(path) : path.includes(match.path);
  return true;
}

function deliveryMatches(r: DeliveryFault, webhookId: number, topic: string): boolean {
  return (r.topic === undefined || r.topic === topic) && (r.webhookId === undefined || r.webhookId === webhookId);
}
