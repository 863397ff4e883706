import { deploymentTopic, Topics, type TopicName } from '@ledgerline/contracts';
import type { StoreGatewayConfig } from '../config/store-gateway.config';

/** The topic for `name` in this deployment (with the test/demo suffix when one is set). */
export function topic(config: Pick<StoreGatewayConfig, 'topicSuffix'>, name: TopicName): string {
  return deploymentTopic(name, config.topicSuffix);
}

/** The streams store-gateway writes (`stockReports`) and reads (`stockRequests`). */
export function gatewayTopics(config: Pick<StoreGatewayConfig, 'topicSuffix'>): { orders: string; customers: string; products: string; stockReports: string; stockRequests: string } {
  return {
    orders: topic(config, Topics.storeOrders),
    customers: topic(config, Topics.storeCustomers),
    products: topic(config, Topics.storeProducts),
    stockReports: topic(config, Topics.storeStockReports),
    stockRequests: topic(config, Topics.inventoryStoreStock),
  };
}
