import type { Pool } from 'pg';
import { ConfigMaterialiser, OutboxWriter } from '@ledgerline/messaging';
import type { InventorySyncConfig } from '../config/inventory-sync.config';
import { StoreFlows, storeFlowsHandler } from '../control/store-flows';
import { StockLevelHandler } from '../levels/stock-level.handler';
import { OrderStockHandler } from '../orders/order-stock.handler';
import { StockRepository } from '../persistence/stock.repository';
import { ReconciliationJob } from '../reconciliation/reconciliation.job';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { StockReportHandler } from '../reports/stock-report.handler';
import { StockFlushWorker } from '../requests/stock-flush.worker';
import { StockRequestWriter } from '../requests/stock-request.writer';
import { inventoryTopics } from './topics';

/** Injection token of the replica's {@link InventoryComponents}. */
export const COMPONENTS = Symbol('InventoryComponents');

/** Everything that holds state for one replica over one database pool. */
export interface InventoryComponents {
  repo: StockRepository;
  writer: StockRequestWriter;
  levels: StockLevelHandler;
  orders: OrderStockHandler;
  reports: StockReportHandler;
  flush: StockFlushWorker;
  reconciliation: ReconciliationService;
  reconciliationJob: ReconciliationJob;
  /** Which stores have their inventory flow switched off in the control plane. */
  flows: StoreFlows;
  /** Materialises the control plane's `store` records (their `flows.inventory`) into `control_config`. */
  config: ConfigMaterialiser;
}

/** Builds one replica's components over `pool` (also what a benchmark or test uses to drive the service directly). */
export function buildInventoryComponents(config: InventorySyncConfig, pool: Pool): InventoryComponents {
  const repo = new StockRepository(config.schema);
  const writer = new StockRequestWriter(new OutboxWriter(config.schema), repo, inventoryTopics(config).storeStock);
  const flows = new StoreFlows(config.schema, config.controlConfigEnabled);
  const reconciliation = new ReconciliationService(pool, repo, writer, flows);
  return {
    repo,
    writer,
    levels: new StockLevelHandler(config.schema),
    orders: new OrderStockHandler(repo),
    reports: new StockReportHandler(config.schema),
    flush: new StockFlushWorker(pool, repo, writer, flows, {
      coalesceWindowMs: config.coalesceWindowMs,
      coalesceMaxDelayMs: config.coalesceMaxDelayMs,
      tickMs: config.flushTickMs,
      batchSize: config.flushBatchSize,
    }),
    reconciliation,
    reconciliationJob: new ReconciliationJob(reconciliation, config.reconcileIntervalMs),
    flows,
    config: new ConfigMaterialiser({ schema: config.schema, service: 'inventory-sync', kinds: { store: storeFlowsHandler(repo) } }),
  };
}
