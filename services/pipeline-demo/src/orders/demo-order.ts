import { exampleOrder, type CanonicalOrder } from '@ledgerline/contracts';

/** The demo's order: a valid canonical order of tenant "demo", store "demo-store". */
export function demoOrder(orderId: string): CanonicalOrder {
  return exampleOrder({ tenantId: 'demo', storeId: 'demo-store', orderId });
}
