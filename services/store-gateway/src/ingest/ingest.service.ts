import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import {
  CustomerUpserted,
  customerKey,
  envelope,
  OrderCancelled,
  orderKey,
  OrderPlaced,
  OrderRefunded,
  OrderUpdated,
  ProductUpserted,
  productKey,
  type CanonicalOrder,
} from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { createLogger } from '@ledgerline/observability';
import type { WooCustomer, WooOrder, WooProduct, WooRefund } from '@ledgerline/woocommerce';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';
import { deliveriesParked, stockEchoSuppressed } from '../metrics';
import { gatewayTopics } from '../messaging/topics';
import { entryOf, SkuIndex } from '../stock/sku-index';
import { isOwnStockEcho } from '../stock/stock-echo';
import { StoreClients } from '../stores/store-clients';
import type { Store } from '../stores/store';
import { toCustomerUpserted } from './customer.mapper';
import { MappingRefusedError } from './mapping-refused.error';
import { toCanonicalOrder } from './order.mapper';
import { toProductUpserted } from './product.mapper';
import { toOrderRefunded } from './refund.mapper';

/** Where a payload came from; parked rows and logs say so. */
export type IngestSource = 'webhook' | 'sweep' | 'replay';

/** What one payload changed. `duplicate`: this version was applied before; `stale`: a newer version was. */
/** `echo`: a product delivery that only showed our own stock write (not published). */
export type IngestOutcome = 'placed' | 'updated' | 'cancelled' | 'upserted' | 'duplicate' | 'stale' | 'parked' | 'echo';

export interface IngestResult {
  outcome: IngestOutcome;
  /** Event types appended to the outbox, in order. */
  events: string[];
  /** Id of the parked_deliveries row when the payload (or one of its refunds) was parked. */
  parkedId?: string;
}

type VersionVerdict = 'new' | 'newer' | 'same' | 'same-second-different' | 'older';

interface VersionedRow {
  modified_gmt: Date | null;
  content_hash: string | null;
  status?: string | null;
  base_hash?: string | null;
}

const log = createLogger('store-gateway-ingest');

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

function verdict(row: VersionedRow, modifiedIso: string, hash: string): VersionVerdict {
  if (row.modified_gmt === null) return 'new';
  const stored = row.modified_gmt.getTime();
  const incoming = Date.parse(modifiedIso);
  if (incoming > stored) return 'newer';
  if (incoming < stored) return 'older';
  return row.content_hash === hash ? 'same' : 'same-second-different';
}

/**
 * The one ingest path of webhooks, sweeps and replays. Each payload is applied in ONE transaction that first locks
 * its aggregate row (store_orders / store_customers / store_products), compares the stored version
 * (`date_modified_gmt`, to the second, plus a content hash) and appends the canonical events to the outbox, so
 * duplicates produce nothing, older versions change nothing, and events of one order keep their order on Kafka
 * (docs/adr/0003-outbox-ordering.md). Unmappable payloads are parked, never dropped.
 */
@Injectable()
export class IngestService {
  private readonly s: string;
  private readonly topics: ReturnType<typeof gatewayTopics>;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: StoreGatewayConfig,
    private readonly outbox: OutboxWriter,
    private readonly clients: StoreClients,
    private readonly skuIndex: SkuIndex,
  ) {
    this.s = config.schema;
    this.topics = gatewayTopics(config);
  }

  /**
   * Applies one order snapshot: order.placed for an order not seen before, order.updated (or order.cancelled when
   * it turned cancelled) for a newer version, nothing for a version already applied or older. Refunds listed on the
   * order that were never emitted are read from the store and emitted as order.refunded, after the order's event.
   */
  async ingestOrder(store: Store, order: WooOrder, source: IngestSource, topic = 'order.updated'): Promise<IngestResult> {
    let canonical: CanonicalOrder;
    try {
      canonical = toCanonicalOrder(store, order);
    } catch (err) {
      return this.parkFailure(store, 'order', String(order?.id ?? ''), topic, source, order, err);
    }
    const refunds = await this.unseenRefunds(store, order, source);
    const hash = hashOf(canonical);
    let refetch = false;
    const result = await withTransaction(this.pool, async (tx) => {
      const row = await this.lock(tx, 'store_orders', 'order_id', store, String(order.id), 'status');
      let v = verdict(row, canonical.modifiedAt, hash);
      if (v === 'same-second-different' && source === 'webhook') {
        // Two versions within one second (WooCommerce dates have no fractions): the body alone cannot say which is
        // newer, so ask the store for its current state below and apply that instead.
        refetch = true;
        v = 'same';
      }
      const events: string[] = [];
      let outcome: IngestOutcome;
      if (v === 'older') outcome = 'stale';
      else if (v === 'same') outcome = 'duplicate';
      else {
        const cancelledNow = canonical.status === 'cancelled' && row.status !== 'cancelled';
        const at = { tenantId: store.tenantId, storeId: store.storeId, occurredAt: canonical.modifiedAt };
        const key = orderKey(canonical.orderRef);
        if (v === 'new') {
          await this.append(tx, envelope.of(new OrderPlaced({ order: canonical }), at), this.topics.orders, key, events);
          outcome = 'placed';
        } else {
          outcome = cancelledNow ? 'cancelled' : 'updated';
          if (!cancelledNow) await this.append(tx, envelope.of(new OrderUpdated({ order: canonical }), at), this.topics.orders, key, events);
        }
        if (cancelledNow) {
          const cancelled = new OrderCancelled({ orderRef: canonical.orderRef, reason: null, cancelledAt: canonical.modifiedAt });
          await this.append(tx, envelope.of(cancelled, at), this.topics.orders, key, events);
        }
        await tx.query(
          `UPDATE ${this.s}.store_orders SET modified_gmt = $3, content_hash = $4, status = $5, order_number = $6, total = $7, currency = $8, updated_at = now()
            WHERE store_id = $1 AND order_id = $2`,
          [store.storeId, String(order.id), canonical.modifiedAt, hash, canonical.status, canonical.orderRef.orderNumber, canonical.totals.total.amount, canonical.currency],
        );
      }
      // Refunds are checked whatever the order's version: a refund read failed earlier is emitted now.
      for (const refund of refunds) {
        const inserted = await tx.query(
          `INSERT INTO ${this.s}.store_refunds (tenant_id, store_id, order_id, refund_id, amount) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (store_id, refund_id) DO NOTHING`,
          [store.tenantId, store.storeId, String(order.id), refund.refundId, refund.amount.amount],
        );
        if (inserted.rowCount === 1) {
          const at = { tenantId: store.tenantId, storeId: store.storeId, occurredAt: refund.createdAt };
          await this.append(tx, envelope.of(new OrderRefunded(refund), at), this.topics.orders, orderKey(refund.orderRef), events);
        }
      }
      return { outcome, events };
    });
    if (refetch) {
      const current = await this.clients.for(store).getOrder(order.id);
      return this.ingestOrder(store, current, 'sweep', topic);
    }
    return result;
  }

  /** Applies one customer snapshot: customer.upserted when this version was not applied yet. */
  async ingestCustomer(store: Store, customer: WooCustomer, source: IngestSource, topic = 'customer.updated'): Promise<IngestResult> {
    let event: CustomerUpserted;
    try {
      event = toCustomerUpserted(store, customer);
    } catch (err) {
      return this.parkFailure(store, 'customer', String(customer?.id ?? ''), topic, source, customer, err);
    }
    return this.upsertVersioned(store, 'store_customers', 'customer_id', String(customer.id), event.modifiedAt, event, async (tx, events) => {
      const at = { tenantId: store.tenantId, storeId: store.storeId, occurredAt: event.modifiedAt };
      await this.append(tx, envelope.of(new CustomerUpserted(event), at), this.topics.customers, customerKey(event.customerRef), events);
    });
  }

  /**
   * Applies one product or variation snapshot: product.upserted when this version was not applied yet, unless the
   * snapshot only shows our own stock write (`echo`: same quantity and fields as the store answered our write with,
   * nothing else changed since we last published the product), which is recorded and counted but not published.
   * Keeps the SKU index current either way.
   */
  async ingestProduct(store: Store, product: WooProduct, source: IngestSource, topic = 'product.updated'): Promise<IngestResult> {
    let event: ProductUpserted;
    try {
      event = toProductUpserted(store, store.currency, product);
    } catch (err) {
      return this.parkFailure(store, 'product', String(product?.id ?? ''), topic, source, product, err);
    }
    const id = String(product.id);
    const hash = hashOf(event);
    const base = hashOf({ ...event, stockQuantity: null, manageStock: null, modifiedAt: null });
    const isVariation = product.type === 'variation';
    const result = await withTransaction(this.pool, async (tx) => {
      const row = await this.lock(tx, 'store_products', 'product_id', store, id, 'base_hash');
      const v = verdict(row, event.modifiedAt, hash);
      if (v === 'older') return { outcome: 'stale' as const, events: [] };
      if (v === 'same') return { outcome: 'duplicate' as const, events: [] };
      const { rows: guards } = await tx.query<{ quantity: number; fingerprint: string | null }>(
        `SELECT quantity, fingerprint FROM ${this.s}.stock_echo_guards WHERE store_id = $1 AND item_id = $2 AND written_at > now() - interval '1 day'`,
        [store.storeId, product.id],
      );
      const echo = isOwnStockEcho(product, isVariation, guards[0] ?? null, row.base_hash ?? null, base);
      const events: string[] = [];
      if (!echo) {
        const at = { tenantId: store.tenantId, storeId: store.storeId, occurredAt: event.modifiedAt };
        await this.append(tx, envelope.of(new ProductUpserted(event), at), this.topics.products, productKey(event.productRef), events);
        // Anything else than our write was seen for this item: a later delivery at our quantity is no echo any more.
        if (guards[0]) await tx.query(`DELETE FROM ${this.s}.stock_echo_guards WHERE store_id = $1 AND item_id = $2`, [store.storeId, product.id]);
      }
      await tx.query(`UPDATE ${this.s}.store_products SET modified_gmt = $3, content_hash = $4, base_hash = $5, updated_at = now() WHERE store_id = $1 AND product_id = $2`, [
        store.storeId,
        id,
        event.modifiedAt,
        hash,
        base,
      ]);
      const entry = entryOf(product);
      if (entry) await this.skuIndex.upsert(tx, store.storeId, [entry]);
      return { outcome: echo ? ('echo' as const) : ('upserted' as const), events };
    });
    if (result.outcome === 'echo') stockEchoSuppressed.inc();
    return result;
  }

  private async upsertVersioned(
    store: Store,
    table: 'store_customers',
    idColumn: 'customer_id',
    id: string,
    modifiedAt: string,
    content: unknown,
    emit: (tx: PoolClient, events: string[]) => Promise<void>,
  ): Promise<IngestResult> {
    const hash = hashOf(content);
    return withTransaction(this.pool, async (tx) => {
      const row = await this.lock(tx, table, idColumn, store, id);
      const v = verdict(row, modifiedAt, hash);
      // Customers and products carry the whole record, so a same-second change with other content is applied:
      // consumers upsert by key, and the sweep of the next change corrects a rare same-second reorder.
      if (v === 'older') return { outcome: 'stale' as const, events: [] };
      if (v === 'same') return { outcome: 'duplicate' as const, events: [] };
      const events: string[] = [];
      await emit(tx, events);
      await tx.query(`UPDATE ${this.s}.${table} SET modified_gmt = $3, content_hash = $4, updated_at = now() WHERE store_id = $1 AND ${idColumn} = $2`, [store.storeId, id, modifiedAt, hash]);
      return { outcome: 'upserted' as const, events };
    });
  }

  /** Inserts the aggregate row if missing, then locks it: the first write of the transaction (ADR 0003). */
  private async lock(tx: PoolClient, table: string, idColumn: string, store: Store, id: string, extra?: string): Promise<VersionedRow> {
    await tx.query(`INSERT INTO ${this.s}.${table} (tenant_id, store_id, ${idColumn}) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [store.tenantId, store.storeId, id]);
    const { rows } = await tx.query<VersionedRow>(
      `SELECT modified_gmt, content_hash${extra ? `, ${extra}` : ''} FROM ${this.s}.${table} WHERE store_id = $1 AND ${idColumn} = $2 FOR UPDATE`,
      [store.storeId, id],
    );
    return rows[0] as VersionedRow;
  }

  private async append(tx: PoolClient, event: Parameters<OutboxWriter['append']>[1], topicName: string, key: string, events: string[]): Promise<void> {
    await this.outbox.append(tx, event, { topic: topicName, key });
    events.push(event.type);
  }

  /**
   * Reads (outside any transaction) the refunds listed on `order` that were not emitted yet. A refund the store
   * cannot give now is skipped: the next delivery or sweep of the order tries again. An unmappable one is parked.
   */
  private async unseenRefunds(store: Store, order: WooOrder, source: IngestSource): Promise<OrderRefunded[]> {
    const ids = (order.refunds ?? []).map((r) => String(r.id));
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<{ refund_id: string }>(`SELECT refund_id FROM ${this.s}.store_refunds WHERE store_id = $1 AND refund_id = ANY($2::text[])`, [store.storeId, ids]);
    const known = new Set(rows.map((r) => r.refund_id));
    const out: OrderRefunded[] = [];
    // Oldest first: WooCommerce lists refunds newest first (NOTES-rest-api.md, "Refunds").
    for (const id of ids.filter((i) => !known.has(i)).reverse()) {
      let refund: WooRefund;
      try {
        refund = await this.clients.for(store).getRefund(order.id, Number(id));
      } catch (err) {
        log.warn({ err, tenantId: store.tenantId, storeId: store.storeId, orderId: order.id, refundId: id }, 'refund could not be read; the next delivery or sweep of the order retries');
        continue;
      }
      try {
        out.push(toOrderRefunded(store, order, refund));
      } catch (err) {
        await this.parkFailure(store, 'refund', id, 'order.updated', source, { order_id: order.id, refund }, err);
      }
    }
    return out;
  }

  private async parkFailure(store: Store, resource: string, resourceId: string, topic: string, source: IngestSource, payload: unknown, err: unknown): Promise<IngestResult> {
    const refused =
      err instanceof MappingRefusedError
        ? err
        : new MappingRefusedError(
            'STORE_PAYLOAD_UNEXPECTED',
            `A WooCommerce ${resource} ${resourceId} of store "${store.storeId}" (tenant "${store.tenantId}") could not be mapped: ${(err as Error)?.message ?? String(err)}. This is a Ledgerline defect or an unusual plugin; report it with this parked delivery's id.`,
          );
    if (!(err instanceof MappingRefusedError)) log.error({ err, tenantId: store.tenantId, storeId: store.storeId, resource, resourceId }, 'unexpected mapping failure');
    const version = typeof payload === 'object' && payload !== null ? ((payload as { date_modified_gmt?: unknown }).date_modified_gmt ?? null) : null;
    const { rows: open } = await this.pool.query<{ id: string }>(
      `SELECT id FROM ${this.s}.parked_deliveries WHERE store_id = $1 AND resource = $2 AND resource_id = $3 AND status = 'parked'
          AND code = $4 AND payload->>'date_modified_gmt' IS NOT DISTINCT FROM $5 LIMIT 1`,
      [store.storeId, resource, resourceId, refused.code, version === null ? null : String(version)],
    );
    if (open[0]) return { outcome: 'parked', events: [], parkedId: open[0].id };
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO ${this.s}.parked_deliveries (tenant_id, store_id, resource, resource_id, topic, source, payload, code, operator_message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [store.tenantId, store.storeId, resource, resourceId, topic, source, JSON.stringify(payload), refused.code, refused.operatorMessage],
    );
    deliveriesParked.inc({ resource, code: refused.code });
    log.warn({ tenantId: store.tenantId, storeId: store.storeId, resource, resourceId, code: refused.code }, refused.operatorMessage);
    return { outcome: 'parked', events: [], parkedId: (rows[0] as { id: string }).id };
  }
}
