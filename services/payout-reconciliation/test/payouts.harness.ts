/* eslint-disable @typescript-eslint/no-explicit-any -- tests read admin JSON and Kafka envelopes field by field in assertions. */
// One payout-reconciliation under test: the Nest app on its own schema and topic suffix, and a producer (its own
// schema + relay) that publishes order and ERP document events as store-gateway and the connector would.
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import {
  envelope,
  ErpDocumentRecorded,
  exampleOrder,
  orderKey,
  OrderPlaced,
  OrderRefunded,
  Topics,
  withSuffix,
  type CanonicalOrder,
  type EventEnvelope,
  type PayoutBookingRequested,
} from '@ledgerline/contracts';
import { createKafka, ensureMessagingSchema, OutboxRelay, OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { createTestDatabase, readTopic, testInfra, uniqueSuffix, type TestDatabase } from '@ledgerline/testing';
import { createPayoutReconciliationApp } from '../src/app.factory';
import { loadPayoutReconciliationConfig, type PayoutReconciliationConfig } from '../src/config/payout-reconciliation.config';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** An order as the tests describe it; turned into a valid canonical order by {@link canonicalOrder}. */
export interface TestOrder {
  tenantId: string;
  storeId: string;
  orderId: string;
  orderNumber: string;
  total: string;
  currency: string;
  gateway: string;
  transactionId: string | null;
}

/** exampleOrder re-cast into `o.currency` with `o.total`, paid through `o.gateway` with `o.transactionId`. */
export function canonicalOrder(o: TestOrder): CanonicalOrder {
  const base = exampleOrder({ tenantId: o.tenantId, storeId: o.storeId, orderId: o.orderId, orderNumber: o.orderNumber });
  const recast = JSON.parse(JSON.stringify(base), (_key, value) => (value && typeof value === 'object' && 'amount' in value && 'currency' in value ? { ...value, currency: o.currency } : value)) as CanonicalOrder;
  recast.currency = o.currency;
  recast.totals.total = { amount: o.total, currency: o.currency };
  recast.paymentMethod = { id: o.gateway, title: o.gateway, transactionId: o.transactionId };
  recast.paidAt = '2026-10-01T10:00:00.000Z';
  return recast;
}

export interface Reconciliation {
  app: INestApplication;
  base: string;
  config: PayoutReconciliationConfig;
  db: TestDatabase;
  suffix: string;
  topics: { orders: string; erpDocuments: string; bookings: string };
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  upload(provider: string, csv: string | Buffer, query?: Record<string, string>): Promise<{ status: number; json: any }>;
  putMapping(provider: 'stripe' | 'klarna' | 'adyen', merchantAccount: string, tenantId: string, gateways: string[], credentials?: Record<string, string>): Promise<void>;
  /** Publishes order.placed for each order (as store-gateway would), in committed batches. */
  publishOrders(orders: TestOrder[]): Promise<void>;
  publishRefunds(refunds: Array<{ order: TestOrder; refundId: string; amount: string }>): Promise<void>;
  /** Publishes erp-document.recorded invoices (number `F<orderId>`) and credit invoices (`C<refundId>`), as the connector would. */
  publishDocuments(docs: Array<{ order: TestOrder; kind: 'invoice' | 'credit-invoice'; sourceId: string; total: string }>): Promise<void>;
  /** Reads the bookings topic: every payout-booking.requested so far (at least `expected`, waiting up to timeoutMs). */
  bookings(expected: number, timeoutMs?: number): Promise<Array<{ key: string | null; env: EventEnvelope<PayoutBookingRequested> }>>;
  close(): Promise<void>;
}

export async function startReconciliation(prefix: string, env: Record<string, string> = {}): Promise<Reconciliation> {
  const infra = await testInfra();
  const db = await createTestDatabase(`payout_rec_${prefix}`);
  const producerDb = await createTestDatabase(`payout_rec_${prefix}_producer`);
  const suffix = uniqueSuffix();
  const config = loadPayoutReconciliationConfig({
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PORT: '0',
    PAYOUT_RECONCILIATION_SCHEMA: db.schema,
    PAYOUT_RECONCILIATION_TOPIC_SUFFIX: suffix,
    PAYOUT_RECONCILIATION_ADMIN_TOKEN: ADMIN_TOKEN,
    PAYOUT_RECONCILIATION_SECRETS_KEY: randomBytes(32).toString('base64'),
    PAYOUT_RECONCILIATION_POLL_INTERVAL_MS: '0',
    PAYOUT_RECONCILIATION_MATCH_DEBOUNCE_MS: '200',
    PAYOUT_RECONCILIATION_MATCH_RETRY_MS: '2000',
    PAYOUT_RECONCILIATION_REQUEST_TIMEOUT_MS: '5000',
    ...env,
  });
  const app = await createPayoutReconciliationApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  await ensureMessagingSchema(producerDb.pool, producerDb.schema);
  const relay = new OutboxRelay({ pool: producerDb.pool, kafka: createKafka({ brokers: infra.kafkaBrokers, clientId: `payout-rec-${prefix}-producer` }), schema: producerDb.schema, idleDelayMs: 20 });
  await relay.start();
  const writer = new OutboxWriter(producerDb.schema);
  const topics = { orders: withSuffix(Topics.storeOrders, suffix), erpDocuments: withSuffix(Topics.erpDocuments, suffix), bookings: withSuffix(Topics.payoutBookings, suffix) };

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  const inBatches = async <T>(items: T[], fn: (tx: Parameters<Parameters<typeof withTransaction>[1]>[0], item: T) => Promise<void>) => {
    for (let i = 0; i < items.length; i += 250) {
      await withTransaction(producerDb.pool, async (tx) => {
        for (const item of items.slice(i, i + 250)) await fn(tx, item);
      });
    }
  };
  return {
    app,
    base,
    config,
    db,
    suffix,
    topics,
    admin,
    upload: async (provider, csv, query = {}) => {
      const qs = new URLSearchParams(query).toString();
      const res = await fetch(`${base}/reports/${provider}${qs ? `?${qs}` : ''}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: csv });
      return { status: res.status, json: await res.json() };
    },
    putMapping: async (provider, merchantAccount, tenantId, gateways, credentials) => {
      const res = await admin('PUT', `/mappings/${provider}/${encodeURIComponent(merchantAccount)}`, {
        tenantId,
        erp: 'fortnox',
        erpConnectionId: `fortnox-${tenantId}`,
        modeOfPayment: provider.toUpperCase(),
        gateways,
        accounts: { clearing: '1580', fee: '6570', bank: '1930', reserve: '1589', chargeback: '6390', adjustment: '3740' },
        ...(credentials ? { credentials } : {}),
      });
      if (res.status !== 200) throw new Error(`PUT mapping failed: ${res.status} ${JSON.stringify(res.json)}`);
    },
    publishOrders: (orders) =>
      inBatches(orders, (tx, o) => writer.append(tx, envelope.of(new OrderPlaced({ order: canonicalOrder(o) }), { tenantId: o.tenantId, storeId: o.storeId }), { topic: topics.orders, key: orderKey(o) })),
    publishRefunds: (refunds) =>
      inBatches(refunds, (tx, r) => {
        const ref = { tenantId: r.order.tenantId, storeId: r.order.storeId, orderId: r.order.orderId, orderNumber: r.order.orderNumber };
        const event = new OrderRefunded({
          refundId: r.refundId,
          orderRef: ref,
          currency: r.order.currency,
          createdAt: '2026-10-20T10:00:00.000Z',
          amount: { amount: r.amount, currency: r.order.currency },
          reason: null,
          amountOnly: true,
          refundedPayment: true,
          lines: [],
          shippingLines: [],
          feeLines: [],
        });
        return writer.append(tx, envelope.of(event, { tenantId: ref.tenantId, storeId: ref.storeId }), { topic: topics.orders, key: orderKey(ref) });
      }),
    publishDocuments: (docs) =>
      inBatches(docs, (tx, d) => {
        const ref = { tenantId: d.order.tenantId, storeId: d.order.storeId, orderId: d.order.orderId, orderNumber: d.order.orderNumber };
        const event = new ErpDocumentRecorded({
          orderRef: ref,
          kind: d.kind,
          sourceId: d.sourceId,
          erp: 'fortnox',
          erpConnectionId: `fortnox-${ref.tenantId}`,
          documentNumber: d.kind === 'invoice' ? `F${d.order.orderId}` : `C${d.sourceId}`,
          creditsDocumentNumber: d.kind === 'invoice' ? null : `F${d.order.orderId}`,
          externalReference: `ledgerline:${ref.tenantId}:${ref.storeId}:${d.sourceId}`,
          total: { amount: d.total, currency: d.order.currency },
          currency: d.order.currency,
          recordedAt: '2026-10-02T10:00:00.000Z',
        });
        return writer.append(tx, envelope.of(event, { tenantId: ref.tenantId, storeId: ref.storeId }), { topic: topics.erpDocuments, key: orderKey(ref) });
      }),
    bookings: async (expected, timeoutMs = 20_000) => (await readTopic(topics.bookings, { expected, timeoutMs })).map((m) => ({ key: m.key, env: JSON.parse(m.value) as EventEnvelope<PayoutBookingRequested> })),
    close: async () => {
      await relay.stop();
      await app.close();
      await db.drop();
      await producerDb.drop();
    },
  };
}
