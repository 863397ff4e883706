/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies and outbox envelopes field by field in assertions. */
// One inventory-sync under test: the Nest app on its own schema and topic suffix, and a producer (its own schema +
// relay) that publishes what connectors and store-gateway would: stock levels, orders, ERP documents, stock reports.
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import {
  envelope,
  ErpDocumentRecorded,
  exampleOrder,
  keyFor,
  OrderPlaced,
  StockLevelChanged,
  StoreStockApplied,
  type EnvelopeContext,
  type StoreStockRequested,
} from '@ledgerline/contracts';
import { createKafka, ensureMessagingSchema, OutboxRelay, OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { createTestDatabase, testInfra, uniqueSuffix, type TestDatabase } from '@ledgerline/testing';
import { createInventorySyncApp } from '../src/app.factory';
import { loadInventorySyncConfig, type InventorySyncConfig } from '../src/config/inventory-sync.config';
import { inventoryTopics, type InventoryTopics } from '../src/messaging/topics';

export const ADMIN_TOKEN = 'inventory-admin-token-0123456789';

/** A request as read from the outbox, oldest first. */
export type Request = StoreStockRequested & { eventId: string };

export interface InventoryUnderTest {
  app: INestApplication;
  config: InventorySyncConfig;
  db: TestDatabase;
  producerDb: TestDatabase;
  topics: InventoryTopics;
  base: string;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** Publishes events (instances of contract classes) through the producer's outbox, in one transaction, in order. */
  publish(...events: Array<{ event: object; ctx: EnvelopeContext }>): Promise<void>;
  /** Publishes bytes that skip contract validation (what a broken producer would send). */
  publishRaw(topic: string, key: string, value: Record<string, unknown>): Promise<void>;
  /** store-stock.requested events the service appended, oldest first, optionally for one store. */
  requests(storeId?: string): Promise<Request[]>;
  /** Stops the app (as a crash between two flushes would) and starts a new one on the same schema and topics. */
  restart(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/** Starts inventory-sync with fast test settings; `env` overrides them. */
export async function startInventory(prefix: string, env: Record<string, string> = {}): Promise<InventoryUnderTest> {
  const infra = await testInfra();
  const db = await createTestDatabase(`inventory_sync_${prefix}`);
  const producerDb = await createTestDatabase(`inventory_sync_${prefix}_producer`);
  const configEnv: Record<string, string> = {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PORT: '0',
    INVENTORY_SYNC_SCHEMA: db.schema,
    INVENTORY_SYNC_TOPIC_SUFFIX: uniqueSuffix(),
    INVENTORY_SYNC_ADMIN_TOKEN: ADMIN_TOKEN,
    INVENTORY_SYNC_COALESCE_WINDOW_MS: '200',
    INVENTORY_SYNC_COALESCE_MAX_DELAY_MS: '2000',
    INVENTORY_SYNC_FLUSH_TICK_MS: '20',
    INVENTORY_SYNC_RECONCILE_INTERVAL_MS: '0',
    ...env,
  };
  const config = loadInventorySyncConfig(configEnv);
  let app = await createInventorySyncApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  let base = await app.getUrl();
  await ensureMessagingSchema(producerDb.pool, producerDb.schema);
  const relay = new OutboxRelay({ pool: producerDb.pool, kafka: createKafka({ brokers: infra.kafkaBrokers, clientId: `inventory-${prefix}-producer` }), schema: producerDb.schema, idleDelayMs: 20 });
  await relay.start();
  const topics = inventoryTopics(config);
  const writer = new OutboxWriter(producerDb.schema);
  const topicOf = (type: string): string =>
    type === 'stock-level.changed' ? topics.stockLevels : type === 'erp-document.recorded' ? topics.documents : type === 'store-stock.applied' ? topics.stockReports : topics.orders;

  const under: InventoryUnderTest = {
    app,
    config,
    db,
    producerDb,
    topics,
    base,
    admin: async (method, path, body) => {
      const res = await fetch(`${under.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    publish: async (...events) => {
      await withTransaction(producerDb.pool, async (tx) => {
        for (const { event, ctx } of events) {
          const env = envelope.of(event, ctx);
          await writer.append(tx, env, { topic: topicOf(env.type), key: keyFor(env) });
        }
      });
    },
    publishRaw: async (topic, key, value) => {
      await producerDb.pool.query(`INSERT INTO ${producerDb.schema}.outbox_messages (event_id, event_type, topic, message_key, envelope) VALUES ($1, $2, $3, $4, $5)`, [
        value['id'],
        value['type'],
        topic,
        key,
        JSON.stringify(value),
      ]);
    },
    requests: async (storeId) => {
      const { rows } = await db.pool.query<{ envelope: { id: string; payload: StoreStockRequested } }>(
        `SELECT envelope FROM ${db.schema}.outbox_messages WHERE event_type = 'store-stock.requested' AND ($1::text IS NULL OR envelope->'payload'->>'storeId' = $1) ORDER BY tx_id, id`,
        [storeId ?? null],
      );
      return rows.map((r) => ({ ...r.envelope.payload, eventId: r.envelope.id }));
    },
    restart: async (overrides = {}) => {
      const next = loadInventorySyncConfig({ ...configEnv, ...overrides });
      await app.close();
      app = await createInventorySyncApp(next, { logger: false });
      await app.listen(0, '127.0.0.1');
      base = await app.getUrl();
      under.app = app;
      under.base = base;
      under.config = next;
    },
    close: async () => {
      await relay.stop();
      await app.close();
      await db.drop();
      await producerDb.drop();
    },
  };
  return under;
}

/** A stock-level.changed for `tenantId` as a connector would publish it. */
export function level(tenantId: string, sku: string, warehouseCode: string | null, quantity: string, readAt: string | Date = new Date()): { event: StockLevelChanged; ctx: EnvelopeContext } {
  return {
    event: new StockLevelChanged({
      tenantId,
      sku,
      warehouseCode,
      quantity,
      erp: 'fortnox',
      erpConnectionId: 'conn-1',
      readAt: typeof readAt === 'string' ? readAt : readAt.toISOString(),
    }),
    ctx: { tenantId, storeId: null },
  };
}

/** An order.placed of `lines` (sku, quantity) in `storeId`. */
export function orderPlaced(tenantId: string, storeId: string, orderId: string, lines: Array<{ sku: string | null; quantity: string }>, modifiedAt = new Date().toISOString()) {
  const order = exampleOrder({ tenantId, storeId, orderId });
  const template = order.lines[0];
  if (!template) throw new Error('exampleOrder has no line');
  order.lines = lines.map((l, i) => ({ ...template, lineId: String(i + 1), sku: l.sku, quantity: l.quantity }));
  order.modifiedAt = modifiedAt;
  return { order, placed: { event: new OrderPlaced({ order }), ctx: { tenantId, storeId } } };
}

/** An erp-document.recorded (invoice) for an order, recorded at `recordedAt`. */
export function invoiceRecorded(ref: { tenantId: string; storeId: string; orderId: string; orderNumber: string }, recordedAt: string) {
  return {
    event: new ErpDocumentRecorded({
      orderRef: ref,
      kind: 'invoice',
      sourceId: ref.orderId,
      erp: 'fortnox',
      erpConnectionId: 'conn-1',
      documentNumber: `F-${ref.orderId}`,
      creditsDocumentNumber: null,
      externalReference: `ledgerline:${ref.orderId}`,
      total: { amount: '249.00', currency: 'SEK' },
      currency: 'SEK',
      recordedAt,
    }),
    ctx: { tenantId: ref.tenantId, storeId: ref.storeId },
  };
}

/** A store-stock.applied as store-gateway would report part `part` of `request`. */
export function applied(request: Request, fields: Partial<Pick<StoreStockApplied, 'written' | 'unknownSkus' | 'failed' | 'storeOnlySkus' | 'unchangedCount'>>) {
  return {
    event: new StoreStockApplied({
      tenantId: request.tenantId,
      storeId: request.storeId,
      requestId: request.requestId,
      part: request.part,
      parts: request.parts,
      written: fields.written ?? [],
      unchangedCount: fields.unchangedCount ?? '0',
      unknownSkus: fields.unknownSkus ?? [],
      failed: fields.failed ?? [],
      storeOnlySkus: fields.storeOnlySkus ?? [],
      appliedAt: new Date().toISOString(),
    }),
    ctx: { tenantId: request.tenantId, storeId: request.storeId },
  };
}

/** The latest quantity requested per SKU for a store, folding every request in order. */
export function shownQuantities(requests: Request[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of requests) for (const item of r.items) out[item.sku] = item.quantity;
  return out;
}

/** A fresh tenant id per test, so tests in one file do not see each other's stores. */
export const newTenant = (): string => `t-${randomUUID().slice(0, 8)}`;
