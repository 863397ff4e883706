import { counter, histogram } from '@ledgerline/observability';

// Names follow STYLE.md §3. `endpoint` is a route template (`/orders/{id}`), never a URL with ids,
// and `outcome` is `success` or a WooErrorCode, so every label stays a small fixed set.

/** Every HTTP attempt to a store's REST API, retries included. */
export const wooRequests = counter({
  name: 'ledgerline_woocommerce_requests_total',
  help: 'HTTP requests to WooCommerce REST API v3, per attempt, by method, route template and outcome (success or error code).',
  labelNames: ['method', 'endpoint', 'outcome'] as const,
});

/** Time from sending an attempt to having its whole answer. */
export const wooRequestDuration = histogram({
  name: 'ledgerline_woocommerce_request_duration_seconds',
  help: 'Duration of one HTTP attempt to WooCommerce REST API v3, by method and route template.',
  labelNames: ['method', 'endpoint'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
});

/** Batch items by what WooCommerce said about each. */
export const wooBatchItems = counter({
  name: 'ledgerline_woocommerce_batch_items_total',
  help: 'Items sent in WooCommerce batch requests, by route template, action and outcome (success or error code).',
  labelNames: ['endpoint', 'action', 'outcome'] as const,
});
