import { randomUUID } from 'node:crypto';
import type { CausedBy } from '@ledgerline/contracts';
import { ensureMessagingSchema } from '@ledgerline/messaging';
import { createTestDatabase, type TestDatabase } from '@ledgerline/testing';
import { ensureErpKitSchema, type OpenIntentInput } from '../src';

/** A schema of its own with erp-kit's and messaging's tables, on the real test database. */
export async function erpKitDatabase(prefix: string, poolSize = 8): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix, poolSize);
  await ensureMessagingSchema(db.pool, db.schema);
  await ensureErpKitSchema(db.pool, db.schema);
  return db;
}

/** What caused an intent: the id and correlation id of a (pretend) order.placed envelope. */
export function causedBy(): CausedBy {
  return { id: randomUUID(), correlationId: randomUUID() };
}

/** An invoice intent for store order `orderNumber` of tenant `acme`, connection `conn-1`. */
export function invoiceFor(orderNumber: string, over: Partial<OpenIntentInput<{ orderNumber: string; total: string }>> = {}): OpenIntentInput<{ orderNumber: string; total: string }> {
  return {
    tenantId: 'acme',
    connectionId: 'conn-1',
    storeId: 'nordic-shop',
    sourceKind: 'order',
    sourceId: `order-${orderNumber}`,
    sourceLabel: orderNumber,
    documentKind: 'invoice',
    externalRef: `woo:nordic-shop:${orderNumber}`,
    payload: { orderNumber, total: '125.00' },
    causedBy: causedBy(),
    ...over,
  };
}
