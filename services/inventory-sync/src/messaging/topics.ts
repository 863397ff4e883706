import { deploymentTopic, Topics } from '@ledgerline/contracts';
import type { InventorySyncConfig } from '../config/inventory-sync.config';

/** The streams inventory-sync reads and writes in this deployment (with the test/demo suffix when one is set). */
export interface InventoryTopics {
  stockLevels: string;
  orders: string;
  documents: string;
  stockReports: string;
  storeStock: string;
}

/** Gives this deployment's topic names. */
export function inventoryTopics(config: Pick<InventorySyncConfig, 'topicSuffix'>): InventoryTopics {
  return {
    stockLevels: deploymentTopic(Topics.erpStockLevels, config.topicSuffix),
    orders: deploymentTopic(Topics.storeOrders, config.topicSuffix),
    documents: deploymentTopic(Topics.erpDocuments, config.topicSuffix),
    stockReports: deploymentTopic(Topics.storeStockReports, config.topicSuffix),
    storeStock: deploymentTopic(Topics.inventoryStoreStock, config.topicSuffix),
  };
}
