import { randomUUID } from 'node:crypto';
import { envelope, storeKey, StoreStockRequested, type CausedBy, type StockRequestReason } from '@ledgerline/contracts';
import { schemaIdent, type OutboxWriter, type Tx } from '@ledgerline/messaging';
import { itemsRequested, requestsEmitted } from '../metrics';
import type { StockRepository } from '../persistence/stock.repository';
import { splitIntoParts, type StockItem } from './request-parts';

/** What one emitted request was: its id, how many parts and items. */
export interface EmittedRequest {
  storeId: string;
  requestId: string;
  reason: StockRequestReason;
  parts: number;
  items: number;
}

/** Counts emitted requests on the metrics; call it after the transaction that appended them committed. */
export function countEmitted(requests: readonly EmittedRequest[]): void {
  for (const r of requests) {
    requestsEmitted.inc({ reason: r.reason }, r.parts);
    itemsRequested.inc({ reason: r.reason }, r.items);
  }
}

/**
 * Appends one `store-stock.requested` (split into parts of at most STORE_STOCK_ITEMS_PER_EVENT items) to the outbox and
 * records what the store was asked to show, in the caller's transaction.
 */
export class StockRequestWriter {
  private readonly s: string;

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly repo: StockRepository,
    private readonly topic: string,
  ) {
    this.s = schemaIdent(repo.schema);
  }

  /**
   * Emits the request and returns what it emitted, or null when a 'change' request has no items (a complete request is
   * emitted even when empty, so the gateway can still list store-only SKUs). Must be called inside the caller's transaction.
   */
  async emit(
    tx: Tx,
    args: { tenantId: string; storeId: string; reason: StockRequestReason; items: readonly StockItem[]; reconciliationId?: string; causedBy?: CausedBy | null },
  ): Promise<EmittedRequest | null> {
    const complete = args.reason !== 'change';
    const parts = splitIntoParts(args.items);
    if (parts.length === 0) {
      if (!complete) return null;
      parts.push([]);
    }
    const requestId = randomUUID();
    const computedAt = new Date().toISOString();
    const key = storeKey(args.tenantId, args.storeId);
    for (const [index, items] of parts.entries()) {
      const event = new StoreStockRequested({
        tenantId: args.tenantId,
        storeId: args.storeId,
        requestId,
        reason: args.reason,
        part: index + 1,
        parts: parts.length,
        complete,
        items,
        computedAt,
      });
      await this.outbox.append(tx, envelope.of(event, { tenantId: args.tenantId, storeId: args.storeId, causedBy: args.causedBy ?? null }), { topic: this.topic, key });
    }
    await tx.query(
      `INSERT INTO ${this.s}.stock_requests (request_id, tenant_id, store_id, reason, parts, items, reconciliation_id, computed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [requestId, args.tenantId, args.storeId, args.reason, parts.length, args.items.length, args.reconciliationId ?? null, computedAt],
    );
    await this.repo.recordRequested(tx, args.tenantId, args.storeId, requestId, args.items);
    return { storeId: args.storeId, requestId, reason: args.reason, parts: parts.length, items: args.items.length };
  }
}
