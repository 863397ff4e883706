import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { schemaIdent, withTransaction, type Tx } from '@ledgerline/messaging';
import { createLogger } from '@ledgerline/observability';
import { availableQuantity } from '../availability/availability';
import { flowKey, INVENTORY_FLOW_OFF, type StoreFlows } from '../control/store-flows';
import { flushLockKey, type StockRepository } from '../persistence/stock.repository';
import { countEmitted, type EmittedRequest, type StockRequestWriter } from '../requests/stock-request.writer';

/** A complete push: 'reconciliation' (the gateway reads the store and writes only drift) or 'full-sync' (writes every SKU). */
export type CompleteReason = 'reconciliation' | 'full-sync';

/** What starting a reconciliation or full sync did. */
export interface ReconciliationStarted {
  id: string;
  tenantId: string;
  storeId: string | null;
  reason: CompleteReason;
  trigger: 'operator' | 'schedule';
  requests: EmittedRequest[];
  /** Stores named by the reconciliation that were not sent anything, and why. */
  skipped: SkippedStore[];
}

/** A store a reconciliation or full sync sent nothing to: its inventory flow is off in the control plane. */
export interface SkippedStore {
  storeId: string;
  reason: typeof INVENTORY_FLOW_OFF;
}

/** A store's part of a reconciliation report, built from store-gateway's `store-stock.applied` reports. */
export interface StoreReconciliationReport {
  storeId: string;
  requestId: string;
  items: number;
  parts: number;
  partsReported: number;
  complete: boolean;
  unchanged: number;
  corrected: Array<{ sku: string; was: string | null; now: string }>;
  unknownErpSkus: string[];
  storeOnlySkus: string[];
  failed: Array<{ sku: string; code: string; message: string }>;
}

/** The report of one reconciliation (or full sync) across its stores. */
export interface ReconciliationReport {
  id: string;
  tenantId: string;
  storeId: string | null;
  reason: CompleteReason;
  trigger: string;
  requestedAt: string;
  /** True once every part of every store's request was reported. */
  complete: boolean;
  stores: StoreReconciliationReport[];
  /** Stores that were sent nothing (inventory flow off in the control plane when the reconciliation started). */
  skipped: SkippedStore[];
}

/** Raised when a reconciliation names a store or tenant without settings. */
export class StoreNotConfiguredError extends Error {
  constructor(readonly tenantId: string, readonly storeId: string | null) {
    super(
      storeId === null
        ? `Tenant "${tenantId}" has no stores configured in inventory-sync. Add one with PUT /tenants/${tenantId}/stores/<storeId> first.`
        : `Store "${storeId}" of tenant "${tenantId}" is not configured in inventory-sync. Add it with PUT /tenants/${tenantId}/stores/${storeId} first.`,
    );
    this.name = 'StoreNotConfiguredError';
  }
}

/**
 * Pushes a store's complete computed stock: every SKU the ERP has for the store's warehouses, in one request of as many
 * parts as needed, and reads the outcome back from store-gateway's reports. Serialised with the flush loop (same
 * advisory lock), so a complete request and change requests for one store are computed and emitted in order.
 */
export class ReconciliationService {
  private readonly log = createLogger('reconciliation');
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    private readonly repo: StockRepository,
    private readonly writer: StockRequestWriter,
    private readonly flows: StoreFlows,
  ) {
    this.s = schemaIdent(repo.schema);
  }

  /** Starts a reconciliation or full sync of one store, or of every store of the tenant, and returns its id and requests. */
  async start(args: { tenantId: string; storeId?: string | null; reason: CompleteReason; trigger: 'operator' | 'schedule' }): Promise<ReconciliationStarted> {
    const started = await withTransaction(this.pool, (tx) => this.startIn(tx, args));
    countEmitted(started.requests);
    return started;
  }

  /** Same as {@link start}, in the caller's transaction; the caller counts the requests (countEmitted) after COMMIT. */
  async startIn(tx: Tx, args: { tenantId: string; storeId?: string | null; reason: CompleteReason; trigger: 'operator' | 'schedule' }): Promise<ReconciliationStarted> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [flushLockKey(this.repo.schema)]);
    const storeId = args.storeId ?? null;
    const all = await this.repo.storesOf(tx, args.tenantId);
    const stores = storeId === null ? all : all.filter((s) => s === storeId);
    if (stores.length === 0) throw new StoreNotConfiguredError(args.tenantId, storeId);
    const id = randomUUID();
    await tx.query(`INSERT INTO ${this.s}.reconciliations (id, tenant_id, store_id, trigger, reason) VALUES ($1, $2, $3, $4, $5)`, [id, args.tenantId, storeId, args.trigger, args.reason]);
    const requests: EmittedRequest[] = [];
    const skipped: SkippedStore[] = [];
    const off = await this.flows.offStores(tx, [args.tenantId]);
    for (const store of stores) {
      if (off.has(flowKey(args.tenantId, store))) {
        skipped.push({ storeId: store, reason: INVENTORY_FLOW_OFF });
        await tx.query(`INSERT INTO ${this.s}.reconciliation_skipped (reconciliation_id, store_id, reason) VALUES ($1, $2, $3)`, [id, store, INVENTORY_FLOW_OFF]);
        continue;
      }
      const inputs = await this.repo.inputsOfStore(tx, args.tenantId, store);
      const items = inputs.map((i) => ({ sku: i.sku, quantity: availableQuantity(i.erpFree, i.safetyBuffer, i.pending) }));
      const emitted = await this.writer.emit(tx, { tenantId: args.tenantId, storeId: store, reason: args.reason, items, reconciliationId: id });
      if (emitted) requests.push(emitted);
    }
    this.log.info(
      { reconciliationId: id, tenantId: args.tenantId, storeId, reason: args.reason, trigger: args.trigger, stores: requests.length, skipped: skipped.map((k) => k.storeId) },
      `${args.reason} ${id} requested${skipped.length > 0 ? `; skipped (${INVENTORY_FLOW_OFF}): ${skipped.map((k) => k.storeId).join(', ')}` : ''}`,
    );
    return { id, tenantId: args.tenantId, storeId, reason: args.reason, trigger: args.trigger, requests, skipped };
  }

  /**
   * Starts a scheduled reconciliation of every tenant unless one ran within `intervalMs` (any replica); returns the
   * reconciliations started, or an empty list when another replica holds the schedule or it is not due.
   */
  async runScheduled(intervalMs: number): Promise<ReconciliationStarted[]> {
    const started = await withTransaction(this.pool, async (tx) => {
      const { rows: lock } = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok', [`ledgerline.inventory-sync.reconcile-schedule:${this.repo.schema}`]);
      if (!lock[0]?.ok) return [];
      const { rows } = await tx.query<{ due: boolean }>(
        `SELECT coalesce(max(requested_at) <= now() - ($1::bigint * interval '1 millisecond') * 0.9, true) AS due FROM ${this.s}.reconciliations WHERE trigger = 'schedule'`,
        [intervalMs],
      );
      if (!rows[0]?.due) return [];
      const started: ReconciliationStarted[] = [];
      for (const tenantId of await this.repo.tenants(tx)) started.push(await this.startIn(tx, { tenantId, reason: 'reconciliation', trigger: 'schedule' }));
      return started;
    });
    for (const s of started) countEmitted(s.requests);
    return started;
  }

  /** Gives the report of reconciliation `id`, or null when there is none. */
  async report(id: string): Promise<ReconciliationReport | null> {
    const { rows } = await this.pool.query<{ id: string; tenant_id: string; store_id: string | null; reason: CompleteReason; trigger: string; requested_at: Date }>(
      `SELECT id, tenant_id, store_id, reason, trigger, requested_at FROM ${this.s}.reconciliations WHERE id = $1`,
      [id],
    );
    const head = rows[0];
    if (!head) return null;
    const { rows: requests } = await this.pool.query<{ request_id: string; store_id: string; parts: number; items: number }>(
      `SELECT request_id, store_id, parts, items FROM ${this.s}.stock_requests WHERE reconciliation_id = $1 ORDER BY store_id`,
      [id],
    );
    const { rows: reports } = await this.pool.query<{
      request_id: string;
      written: Array<{ sku: string; was: string | null; now: string }>;
      unchanged_count: string;
      unknown_skus: string[];
      failed: Array<{ sku: string; code: string; message: string }>;
      store_only_skus: string[];
    }>(
      `SELECT request_id, written, unchanged_count::text, unknown_skus, failed, store_only_skus FROM ${this.s}.stock_reports
        WHERE request_id = ANY($1::text[]) ORDER BY request_id, part`,
      [requests.map((r) => r.request_id)],
    );
    const { rows: skipped } = await this.pool.query<{ store_id: string }>(`SELECT store_id FROM ${this.s}.reconciliation_skipped WHERE reconciliation_id = $1 ORDER BY store_id`, [id]);
    const stores = requests.map((req): StoreReconciliationReport => {
      const mine = reports.filter((r) => r.request_id === req.request_id);
      return {
        storeId: req.store_id,
        requestId: req.request_id,
        items: req.items,
        parts: req.parts,
        partsReported: mine.length,
        complete: mine.length === req.parts,
        unchanged: mine.reduce((sum, r) => sum + Number(r.unchanged_count), 0),
        corrected: mine.flatMap((r) => r.written),
        unknownErpSkus: mine.flatMap((r) => r.unknown_skus),
        storeOnlySkus: mine.flatMap((r) => r.store_only_skus),
        failed: mine.flatMap((r) => r.failed),
      };
    });
    return {
      id: head.id,
      tenantId: head.tenant_id,
      storeId: head.store_id,
      reason: head.reason,
      trigger: head.trigger,
      requestedAt: head.requested_at.toISOString(),
      complete: stores.every((s) => s.complete),
      stores,
      skipped: skipped.map((r) => ({ storeId: r.store_id, reason: INVENTORY_FLOW_OFF })),
    };
  }
}
