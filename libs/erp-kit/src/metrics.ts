import { counter, histogram } from '@ledgerline/observability';

// Metric names follow STYLE.md §3: ledgerline_<area>_<noun>_<unit>, base units, bounded labels only.
export const erpDeliveries = counter({
  name: 'ledgerline_erp_deliveries_total',
  help: 'Document intents delivered by a worker, by outcome (created, found, retry, parked, lease-lost) and error code.',
  labelNames: ['erp', 'outcome', 'code'] as const,
});
export const erpRateLimitWait = histogram({
  name: 'ledgerline_erp_rate_limit_wait_seconds',
  help: 'Time a request waited for a rate-limit slot of its ERP connection, by outcome (acquired, timeout).',
  labelNames: ['erp', 'outcome'] as const,
  buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});
export const erpTokenRefreshes = counter({
  name: 'ledgerline_erp_token_refreshes_total',
  help: 'OAuth token refreshes sent to an ERP, by outcome (refreshed, revoked, failed).',
  labelNames: ['erp', 'outcome'] as const,
});
