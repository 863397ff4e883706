/** Requests and items one batch endpoint received. */
export interface BatchCounter {
  /** Every request, including those refused with 413. */
  requests: number;
  /** Requests refused for carrying more than 100 items. */
  rejected: number;
  /** Items in accepted requests (create + update + delete). */
  items: number;
  create: number;
  update: number;
  delete: number;
  /** Items answered with a per-item error inside a 200 response. */
  failedItems: number;
}

/** What the sandbox counted since start or the last reset. */
export interface SandboxCounters {
  /** REST requests by method and route, ids replaced: `GET orders`, `PUT products/{id}`. */
  requests: Record<string, number>;
  /** REST responses by status code. */
  statuses: Record<string, number>;
  /** Batch endpoints by route: `products/batch`, `products/{id}/variations/batch`, ... */
  batches: Record<string, BatchCounter>;
  /** Requests answered 429 by the rate limiter. */
  rateLimited: number;
  /** Webhook traffic, from the delivery log. */
  webhooks: { pings: number; deliveries: number; succeeded: number; failed: number; dropped: number; duplicates: number; outOfOrder: number };
}

/** Mutable counters for one sandbox. */
export class CounterBook {
  requests: Record<string, number> = {};
  statuses: Record<string, number> = {};
  batches: Record<string, BatchCounter> = {};
  rateLimited = 0;

  countRequest(method: string, route: string): void {
    const key = `${method} ${route}`;
    this.requests[key] = (this.requests[key] ?? 0) + 1;
  }

  countStatus(status: number): void {
    this.statuses[String(status)] = (this.statuses[String(status)] ?? 0) + 1;
  }

  batch(route: string): BatchCounter {
    let c = this.batches[route];
    if (!c) this.batches[route] = c = { requests: 0, rejected: 0, items: 0, create: 0, update: 0, delete: 0, failedItems: 0 };
    return c;
  }

  reset(): void {
    this.requests = {};
    this.statuses = {};
    this.batches = {};
    this.rateLimited = 0;
  }
}

/** `/wp-json/wc/v3/products/123/variations/batch` -> `products/{id}/variations/batch`. */
export function routeTemplate(path: string): string {
  return path
    .replace(/^\/wp-json\/wc\/v3\/?/, '')
    .replace(/^\/wp-json\/?/, '')
    .replace(/\/+$/, '')
    .split('/')
    .map((s) => (/^\d+$/.test(s) ? '{id}' : s))
    .join('/');
}
