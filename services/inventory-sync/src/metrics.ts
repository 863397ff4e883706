import { counter, gauge, histogram } from '@ledgerline/observability';

/** ERP stock levels received, by outcome: `stored` (newest reading) or `stale` (older than the stored reading). */
export const levelsReceived = counter({ name: 'ledgerline_inventory_levels_received_total', help: 'ERP stock levels received, by outcome', labelNames: ['outcome'] });

/** Store SKU changes that a later change in the same window replaced before anything was sent. */
export const changesCoalesced = counter({ name: 'ledgerline_inventory_changes_coalesced_total', help: 'Store SKU changes folded into a later one before a request was emitted' });

/** Flushed store SKUs whose computed quantity equalled what was last requested, so nothing was sent. */
export const writesSkipped = counter({ name: 'ledgerline_inventory_writes_skipped_total', help: 'Store SKU quantities not requested because they did not change' });

/** store-stock.requested events emitted (one per part), by reason. */
export const requestsEmitted = counter({ name: 'ledgerline_inventory_requests_emitted_total', help: 'store-stock.requested events emitted, by reason', labelNames: ['reason'] });

/** Items (store SKU quantities) carried by store-stock.requested events, by reason. */
export const itemsRequested = counter({ name: 'ledgerline_inventory_items_requested_total', help: 'Store SKU quantities requested, by reason', labelNames: ['reason'] });

/** Store SKUs the gateway corrected during reconciliation (drift). */
export const driftCorrected = counter({ name: 'ledgerline_inventory_drift_corrected_total', help: 'Store SKUs whose drift a reconciliation corrected' });

/** Order lines without a SKU, ignored for stock. */
export const linesWithoutSku = counter({ name: 'ledgerline_inventory_order_lines_without_sku_total', help: 'Order lines without a SKU, ignored for availability' });

/** Seconds from the ERP change (the stock-level.changed occurredAt) to the request that carries it being committed. */
export const changeToRequestSeconds = histogram({
  name: 'ledgerline_inventory_change_to_request_seconds',
  help: 'Seconds from an ERP stock change to the store-stock request carrying it',
  buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5, 10, 30],
});

let unknownSkuCount: () => Promise<number> = async () => 0;

/** Lets the gauge read the current count from the database on every scrape. */
export function setUnknownSkuSource(source: () => Promise<number>): void {
  unknownSkuCount = source;
}

/** ERP SKUs that no store of their tenant has (rows of unknown_erp_skus). */
export const unknownErpSkus = gauge({
  name: 'ledgerline_inventory_unknown_erp_skus',
  help: 'ERP SKUs that no store of their tenant has',
  async collect() {
    this.set(await unknownSkuCount().catch(() => 0));
  },
});
