import { counter, histogram } from '@ledgerline/observability';

/** Webhook requests answered with an error status, by why (`too_large`, `unknown_store`, `bad_signature`, `malformed`, `not_a_delivery`). */
export const webhooksRefused = counter({ name: 'ledgerline_webhooks_refused_total', help: 'WooCommerce webhook requests refused, by reason', labelNames: ['reason'] });

/** Accepted webhook deliveries by resource and what they changed (`placed`, `updated`, `cancelled`, `upserted`, `duplicate`, `stale`, `parked`, `ignored`, `ping`). */
export const webhooksReceived = counter({ name: 'ledgerline_webhooks_received_total', help: 'WooCommerce webhook deliveries accepted, by resource and outcome', labelNames: ['resource', 'outcome'] });

/** Payloads that could not be mapped and wait in parked_deliveries for a person. */
export const deliveriesParked = counter({ name: 'ledgerline_store_deliveries_parked_total', help: 'WooCommerce payloads parked because they cannot be mapped, by resource and code', labelNames: ['resource', 'code'] });

/** Orders a sweep read: `missed` (webhooks had not brought this version) or `already_known`. */
export const sweepOrdersFound = counter({ name: 'ledgerline_sweep_orders_found_total', help: 'Orders found by modified_after sweeps, by whether webhooks had missed them', labelNames: ['outcome'] });

/** Sweeps by outcome (`completed`, `failed`, `skipped` when another replica holds the store). */
export const sweepRuns = counter({ name: 'ledgerline_sweep_runs_total', help: 'Store sweeps by outcome', labelNames: ['outcome'] });

/** Webhooks the health check switched back to active, and ones it created. */
export const webhooksRepaired = counter({ name: 'ledgerline_webhooks_repaired_total', help: 'Store webhooks re-enabled or created by the health check, by action', labelNames: ['action'] });

/** Batch requests the stock writer sent, by route template (`/products/batch`, `/products/{id}/variations/batch`). */
export const stockBatchRequests = counter({ name: 'ledgerline_store_stock_batch_requests_total', help: 'WooCommerce batch requests sent for stock writes, by endpoint', labelNames: ['endpoint'] });

/** Stock items by what the store did with them (`written`, `failed`) and why we asked (`change`, `full-sync`, `reconciliation`). */
export const stockItemsWritten = counter({ name: 'ledgerline_store_stock_items_written_total', help: 'Stock levels sent to stores, by request reason and outcome (written or failed)', labelNames: ['reason', 'outcome'] });

/** Requested SKUs no product or variation of the store has, after refreshing the SKU index. */
export const stockUnknownSkus = counter({ name: 'ledgerline_store_stock_unknown_skus_total', help: 'Requested SKUs the store does not have (after a SKU look-up)' });

/** SKUs a reconciliation found already right (no write). */
export const stockUnchanged = counter({ name: 'ledgerline_store_stock_unchanged_total', help: 'SKUs a reconciliation left alone because the store already showed the requested quantity' });

/** product.updated deliveries recognised as the echo of our own stock write and not published. */
export const stockEchoSuppressed = counter({ name: 'ledgerline_store_stock_echo_suppressed_total', help: 'Product webhooks that only reflected a stock write of ours and were not published as product.upserted' });

/** Duration of one batch call (the store's answer to one request of at most 100 items). */
export const stockWriteDuration = histogram({
  name: 'ledgerline_store_stock_write_duration_seconds',
  help: 'Duration of one stock batch request to a store, by endpoint',
  labelNames: ['endpoint'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
});

/** Per SKU: from the request's computedAt (inventory-sync) to the store confirming the write. */
export const stockRequestAge = histogram({
  name: 'ledgerline_store_stock_request_age_seconds',
  help: 'Time from a stock request being computed (computedAt) to the store confirming the write, per SKU',
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
});

/** Store catalogue reads done to keep the SKU index (`crawl`, `lookup`) and read current stock (`reconcile`). */
export const skuIndexReads = counter({ name: 'ledgerline_store_stock_index_reads_total', help: 'Catalogue reads for the SKU index, by kind (crawl, lookup)', labelNames: ['kind'] });
