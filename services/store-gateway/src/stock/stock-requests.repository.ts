import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { StockRequestReason, StoreStockItem } from '@ledgerline/contracts';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';

/** A request of inventory-sync as stored (its parts separately). */
export interface StockRequestRow {
  storeId: string;
  requestId: string;
  tenantId: string;
  reason: StockRequestReason;
  parts: number;
  complete: boolean;
  computedAt: Date;
  attempts: number;
}

/** One received part. */
export interface StockPartRow {
  part: number;
  eventId: string;
  correlationId: string;
  items: StoreStockItem[];
  receivedAt: Date;
  reportedAt: Date | null;
}

/** A request as the admin API shows it. */
export interface StockRequestView {
  requestId: string;
  reason: string;
  parts: number;
  partsReceived: number;
  partsReported: number;
  complete: boolean;
  computedAt: string;
  receivedAt: string;
  attempts: number;
  nextAttemptAt: string;
  lastErrorCode: string | null;
  lastError: string | null;
}

/** What happened to one SKU of a request. */
export interface ItemOutcome {
  part: number;
  sku: string;
  outcome: 'written' | 'unchanged' | 'unknown' | 'failed';
  was: string | null;
  now: string | null;
  code: string | null;
  message: string | null;
}

/** The stock request tables: `stock_requests`, `stock_request_parts`, `stock_item_outcomes`. */
@Injectable()
export class StockRequestsRepository {
  private readonly s: string;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) config: StoreGatewayConfig,
  ) {
    this.s = config.schema;
  }

  /** Records the request (first part seen) inside the inbox transaction; returns the stored row's header. */
  async recordRequest(tx: PoolClient, r: Omit<StockRequestRow, 'attempts'>): Promise<{ reason: string; parts: number; complete: boolean; status: string }> {
    await tx.query(
      `INSERT INTO ${this.s}.stock_requests (store_id, request_id, tenant_id, reason, parts, complete, computed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (store_id, request_id) DO NOTHING`,
      [r.storeId, r.requestId, r.tenantId, r.reason, r.parts, r.complete, r.computedAt],
    );
    const { rows } = await tx.query<{ reason: string; parts: number; complete: boolean; status: string }>(
      `SELECT reason, parts, complete, status FROM ${this.s}.stock_requests WHERE store_id = $1 AND request_id = $2`,
      [r.storeId, r.requestId],
    );
    return rows[0] as { reason: string; parts: number; complete: boolean; status: string };
  }

  /** Records one part; false when this part number was already received (under another event id). */
  async recordPart(tx: PoolClient, storeId: string, requestId: string, part: Omit<StockPartRow, 'receivedAt' | 'reportedAt'>): Promise<boolean> {
    const res = await tx.query(
      `INSERT INTO ${this.s}.stock_request_parts (store_id, request_id, part, event_id, correlation_id, items) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (store_id, request_id, part) DO NOTHING`,
      [storeId, requestId, part.part, part.eventId, part.correlationId, JSON.stringify(part.items)],
    );
    if (res.rowCount === 1) await tx.query(`UPDATE ${this.s}.stock_requests SET updated_at = now() WHERE store_id = $1 AND request_id = $2`, [storeId, requestId]);
    return res.rowCount === 1;
  }

  /** Stores with open requests whose next attempt is due. */
  async storesWithWork(): Promise<string[]> {
    const { rows } = await this.pool.query<{ store_id: string }>(
      `SELECT store_id FROM ${this.s}.stock_requests WHERE status = 'open' GROUP BY store_id HAVING min(next_attempt_at) <= now() ORDER BY min(seq)`,
    );
    return rows.map((r) => r.store_id);
  }

  /** The store's oldest open request: requests of one store are applied in the order they arrived, never overtaken. */
  async oldestOpen(storeId: string): Promise<(StockRequestRow & { due: boolean }) | null> {
    const { rows } = await this.pool.query<{
      request_id: string;
      tenant_id: string;
      reason: StockRequestReason;
      parts: number;
      complete: boolean;
      computed_at: Date;
      attempts: number;
      due: boolean;
    }>(
      `SELECT request_id, tenant_id, reason, parts, complete, computed_at, attempts, next_attempt_at <= now() AS due
         FROM ${this.s}.stock_requests WHERE store_id = $1 AND status = 'open' ORDER BY seq LIMIT 1`,
      [storeId],
    );
    const r = rows[0];
    return r ? { storeId, requestId: r.request_id, tenantId: r.tenant_id, reason: r.reason, parts: r.parts, complete: r.complete, computedAt: r.computed_at, attempts: r.attempts, due: r.due } : null;
  }

  async parts(storeId: string, requestId: string): Promise<StockPartRow[]> {
    const { rows } = await this.pool.query<{ part: number; event_id: string; correlation_id: string; items: StoreStockItem[]; received_at: Date; reported_at: Date | null }>(
      `SELECT part, event_id, correlation_id, items, received_at, reported_at FROM ${this.s}.stock_request_parts WHERE store_id = $1 AND request_id = $2 ORDER BY part`,
      [storeId, requestId],
    );
    return rows.map((r) => ({ part: r.part, eventId: r.event_id, correlationId: r.correlation_id, items: r.items, receivedAt: r.received_at, reportedAt: r.reported_at }));
  }

  /** The outcomes recorded so far for a request (a retry continues after them). */
  async outcomes(storeId: string, requestId: string): Promise<ItemOutcome[]> {
    const { rows } = await this.pool.query<{ part: number; sku: string; outcome: ItemOutcome['outcome']; was: string | null; now_qty: string | null; code: string | null; message: string | null }>(
      `SELECT part, sku, outcome, was, now_qty, code, message FROM ${this.s}.stock_item_outcomes WHERE store_id = $1 AND request_id = $2`,
      [storeId, requestId],
    );
    return rows.map((r) => ({ part: r.part, sku: r.sku, outcome: r.outcome, was: r.was, now: r.now_qty, code: r.code, message: r.message }));
  }

  /** Records outcomes (idempotent per SKU: the first outcome of a SKU in a request stands). */
  async recordOutcomes(storeId: string, requestId: string, outcomes: readonly ItemOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.pool.query(
      `INSERT INTO ${this.s}.stock_item_outcomes (store_id, request_id, part, sku, outcome, was, now_qty, code, message)
       SELECT $1::text, $2::text, u.* FROM unnest($3::integer[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS u
       ON CONFLICT (store_id, request_id, sku) DO NOTHING`,
      [
        storeId,
        requestId,
        outcomes.map((o) => o.part),
        outcomes.map((o) => o.sku),
        outcomes.map((o) => o.outcome),
        outcomes.map((o) => o.was),
        outcomes.map((o) => o.now),
        outcomes.map((o) => o.code),
        outcomes.map((o) => o.message),
      ],
    );
  }

  /** Marks parts reported; when every part is, closes the request and drops its items and outcomes. Inside the reporting transaction. */
  async markReported(tx: PoolClient, storeId: string, requestId: string, parts: readonly number[], allDone: boolean): Promise<void> {
    await tx.query(`UPDATE ${this.s}.stock_request_parts SET reported_at = now() WHERE store_id = $1 AND request_id = $2 AND part = ANY($3::integer[])`, [storeId, requestId, parts]);
    if (!allDone) return;
    await tx.query(`UPDATE ${this.s}.stock_requests SET status = 'done', updated_at = now(), last_error_code = NULL, last_error = NULL WHERE store_id = $1 AND request_id = $2`, [storeId, requestId]);
    await tx.query(`UPDATE ${this.s}.stock_request_parts SET items = '[]'::jsonb WHERE store_id = $1 AND request_id = $2`, [storeId, requestId]);
    await tx.query(`DELETE FROM ${this.s}.stock_item_outcomes WHERE store_id = $1 AND request_id = $2`, [storeId, requestId]);
  }

  /** Closes a request whose missing parts are given up on, keeping why. */
  async close(storeId: string, requestId: string, code: string, message: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.s}.stock_requests SET status = 'done', last_error_code = $3, last_error = $4, updated_at = now() WHERE store_id = $1 AND request_id = $2`,
      [storeId, requestId, code, message],
    );
    await this.pool.query(`UPDATE ${this.s}.stock_request_parts SET items = '[]'::jsonb WHERE store_id = $1 AND request_id = $2`, [storeId, requestId]);
    await this.pool.query(`DELETE FROM ${this.s}.stock_item_outcomes WHERE store_id = $1 AND request_id = $2`, [storeId, requestId]);
  }

  /** Schedules another attempt after a transient failure. */
  async retryLater(storeId: string, requestId: string, delayMs: number, code: string, message: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.s}.stock_requests SET attempts = attempts + 1, next_attempt_at = now() + ($3::text || ' milliseconds')::interval,
         last_error_code = $4, last_error = $5, updated_at = now() WHERE store_id = $1 AND request_id = $2`,
      [storeId, requestId, String(delayMs), code, message],
    );
  }

  /** The store's requests with `status`, newest first (at most 100), with their progress. */
  async list(storeId: string, status: 'open' | 'done'): Promise<StockRequestView[]> {
    const { rows } = await this.pool.query<{
      request_id: string;
      reason: string;
      parts: number;
      complete: boolean;
      computed_at: Date;
      attempts: number;
      next_attempt_at: Date;
      last_error_code: string | null;
      last_error: string | null;
      received: number;
      reported: number;
      created_at: Date;
    }>(
      `SELECT r.request_id, r.reason, r.parts, r.complete, r.computed_at, r.attempts, r.next_attempt_at, r.last_error_code, r.last_error, r.created_at,
              count(p.part)::int AS received, count(p.reported_at)::int AS reported
         FROM ${this.s}.stock_requests r LEFT JOIN ${this.s}.stock_request_parts p ON p.store_id = r.store_id AND p.request_id = r.request_id
        WHERE r.store_id = $1 AND r.status = $2
        GROUP BY r.seq, r.store_id, r.request_id ORDER BY r.seq DESC LIMIT 100`,
      [storeId, status],
    );
    return rows.map((r) => ({
      requestId: r.request_id,
      reason: r.reason,
      parts: r.parts,
      partsReceived: r.received,
      partsReported: r.reported,
      complete: r.complete,
      computedAt: r.computed_at.toISOString(),
      receivedAt: r.created_at.toISOString(),
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at.toISOString(),
      lastErrorCode: r.last_error_code,
      lastError: r.last_error,
    }));
  }

  /** Makes an open request due now (after the operator fixed what blocked it); false when there is no such open request. */
  async retryNow(storeId: string, requestId: string): Promise<boolean> {
    const res = await this.pool.query(`UPDATE ${this.s}.stock_requests SET next_attempt_at = now(), updated_at = now() WHERE store_id = $1 AND request_id = $2 AND status = 'open'`, [storeId, requestId]);
    return res.rowCount === 1;
  }
}
