import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { EventEnvelope, StoreStockRequested } from '@ledgerline/contracts';
import { PermanentError } from '@ledgerline/messaging';
import { createLogger } from '@ledgerline/observability';
import { StockRequestsRepository } from './stock-requests.repository';

const log = createLogger('store-stock-requests');

/**
 * Consumes `store-stock.requested` inside the inbox transaction (so a redelivered event records nothing twice):
 * records the part for the {@link StockWriteWorker}, which calls the store outside any transaction.
 */
@Injectable()
export class StockRequestHandler {
  constructor(private readonly requests: StockRequestsRepository) {}

  async handle(event: EventEnvelope<StoreStockRequested>, tx: PoolClient): Promise<void> {
    const p = event.payload;
    const what = `store-stock.requested ${event.id} (request "${p.requestId}", part ${p.part} of ${p.parts}, store "${p.storeId}", tenant "${p.tenantId}")`;
    if (p.part > p.parts) {
      throw new PermanentError('STORE_STOCK_PART_INVALID', `${what} has a part number above its part count. This is an inventory-sync defect; report it with the event id, then discard the parked event.`);
    }
    const stored = await this.requests.recordRequest(tx, {
      storeId: p.storeId,
      requestId: p.requestId,
      tenantId: p.tenantId,
      reason: p.reason,
      parts: p.parts,
      complete: p.complete,
      computedAt: new Date(p.computedAt),
    });
    if (stored.reason !== p.reason || stored.parts !== p.parts || stored.complete !== p.complete) {
      throw new PermanentError(
        'STORE_STOCK_REQUEST_INCONSISTENT',
        `${what} says reason "${p.reason}", ${p.parts} parts, complete ${p.complete}, but earlier parts of the request said "${stored.reason}", ${stored.parts} parts, complete ${stored.complete}. This is an inventory-sync defect; the earlier parts are applied, this one is parked. Report it with the event id.`,
      );
    }
    if (stored.status !== 'open') {
      log.warn({ tenantId: p.tenantId, storeId: p.storeId, requestId: p.requestId, part: p.part, status: stored.status }, `${what} arrived after the request was ${stored.status}; not applied`);
      return;
    }
    const added = await this.requests.recordPart(tx, p.storeId, p.requestId, { part: p.part, eventId: event.id, correlationId: event.correlationId, items: p.items });
    if (!added) log.warn({ tenantId: p.tenantId, storeId: p.storeId, requestId: p.requestId, part: p.part }, `${what} repeats a part already received under another event id; the first one is applied`);
  }
}
