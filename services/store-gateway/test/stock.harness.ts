/* eslint-disable @typescript-eslint/no-explicit-any -- outbox rows are read as JSON in assertions. */
import { randomUUID } from 'node:crypto';
import { envelope, STORE_STOCK_ITEMS_PER_EVENT, storeKey, StoreStockRequested, type EventEnvelope, type StockRequestReason } from '@ledgerline/contracts';
import { createKafka, ensureMessagingSchema, OutboxRelay, OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { startWooSandbox, type WooSandbox } from '@ledgerline/sandbox-woocommerce';
import { createTestDatabase, eventually, testInfra, type TestDatabase } from '@ledgerline/testing';
import { TENANT, WEBHOOK_SECRET, type Gateway } from './store-gateway.harness';

/** A store-stock.requested as inventory-sync publishes it: split into parts of at most 1000 items. */
export interface StockRequestSpec {
  storeId: string;
  reason: StockRequestReason;
  complete: boolean;
  items: Array<{ sku: string; quantity: string }>;
  requestId?: string;
  computedAt?: string;
}

/**
 * Stands in for inventory-sync: its own schema with an outbox, and a relay publishing to the gateway's (suffixed)
 * request topic, so requests reach the gateway exactly as they would in production.
 */
export class StockRequestProducer {
  private constructor(
    private readonly db: TestDatabase,
    private readonly relay: OutboxRelay,
    private readonly topic: string,
    private readonly outbox: OutboxWriter,
  ) {}

  static async start(gw: Gateway): Promise<StockRequestProducer> {
    const infra = await testInfra();
    const db = await createTestDatabase('inventory_sync');
    await ensureMessagingSchema(db.pool, db.schema);
    const relay = new OutboxRelay({ pool: db.pool, kafka: createKafka({ brokers: infra.kafkaBrokers, clientId: 'test-inventory-sync' }), schema: db.schema });
    await relay.start();
    return new StockRequestProducer(db, relay, gw.topics.stockRequests, new OutboxWriter(db.schema));
  }

  /** Builds the parts' envelopes of one request. */
  envelopes(spec: StockRequestSpec): Array<EventEnvelope<StoreStockRequested>> {
    const requestId = spec.requestId ?? randomUUID();
    const computedAt = spec.computedAt ?? new Date().toISOString();
    const parts = Math.max(1, Math.ceil(spec.items.length / STORE_STOCK_ITEMS_PER_EVENT));
    return Array.from({ length: parts }, (_, i) =>
      envelope.of(
        new StoreStockRequested({
          tenantId: TENANT,
          storeId: spec.storeId,
          requestId,
          reason: spec.reason,
          part: i + 1,
          parts,
          complete: spec.complete,
          items: spec.items.slice(i * STORE_STOCK_ITEMS_PER_EVENT, (i + 1) * STORE_STOCK_ITEMS_PER_EVENT),
          computedAt,
        }),
        { tenantId: TENANT, storeId: spec.storeId },
      ),
    );
  }

  /** Appends envelopes to the outbox in one transaction (the relay publishes them in order). */
  async publish(envs: Array<EventEnvelope<StoreStockRequested>>): Promise<void> {
    await withTransaction(this.db.pool, async (tx) => {
      for (const env of envs) await this.outbox.append(tx, env, { topic: this.topic, key: storeKey(env.tenantId, env.payload.storeId) });
    });
  }

  /** Publishes already-sent envelopes again, as a relay does that crashed between publishing and marking them sent. */
  async redeliver(envs: Array<EventEnvelope<StoreStockRequested>>): Promise<void> {
    const ids = envs.map((e) => e.id);
    await eventually(
      async () => {
        const { rows } = await this.db.pool.query(`SELECT count(*)::int AS n FROM ${this.db.schema}.outbox_messages WHERE event_id = ANY($1::uuid[]) AND sent_at IS NOT NULL`, [ids]);
        return rows[0].n === ids.length;
      },
      { description: 'the first publication marked sent' },
    );
    await this.db.pool.query(`UPDATE ${this.db.schema}.outbox_messages SET sent_at = NULL WHERE event_id = ANY($1::uuid[])`, [ids]);
  }

  /** Publishes one request; returns its id. */
  async request(spec: StockRequestSpec): Promise<string> {
    const envs = this.envelopes(spec);
    await this.publish(envs);
    return (envs[0] as EventEnvelope<StoreStockRequested>).payload.requestId;
  }

  async close(): Promise<void> {
    await this.relay.stop();
    await this.db.drop();
  }
}

/** Starts another sandbox store and registers it with the gateway. */
export async function addStore(gw: Gateway, seed: number, storeId: string): Promise<WooSandbox> {
  const woo = await startWooSandbox({ seed });
  const res = await gw.admin('PUT', `/stores/${storeId}`, { tenantId: TENANT, siteUrl: woo.url, currency: 'SEK', consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret, webhookSecret: WEBHOOK_SECRET });
  if (res.status !== 200) throw new Error(`store registration failed: ${JSON.stringify(res.json)}`);
  return woo;
}

/** The store-stock.applied reports of `requestId` in the gateway's outbox, by part; waits until `parts` are there. */
export async function reportsOf(gw: Gateway, requestId: string, parts: number, timeoutMs = 45_000): Promise<any[]> {
  return eventually(
    async () => {
      const { rows } = await gw.db.pool.query(
        `SELECT envelope FROM ${gw.db.schema}.outbox_messages WHERE event_type = 'store-stock.applied' AND envelope->'payload'->>'requestId' = $1 ORDER BY id`,
        [requestId],
      );
      return rows.length >= parts ? rows.map((r: any) => r.envelope.payload) : null;
    },
    { timeoutMs, intervalMs: 200, description: `${parts} store-stock.applied report(s) of request ${requestId}` },
  );
}

/** Batch requests the sandbox received on its two stock endpoints. */
export function batchRequests(woo: WooSandbox): { products: number; variations: number; total: number } {
  const b = woo.control.counters().batches;
  const products = b['products/batch']?.requests ?? 0;
  const variations = b['products/{id}/variations/batch']?.requests ?? 0;
  return { products, variations, total: products + variations };
}
