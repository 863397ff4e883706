import type { Pool } from 'pg';
import { schemaIdent, withTransaction } from '@ledgerline/messaging';
import { createLogger } from '@ledgerline/observability';
import { availableQuantity } from '../availability/availability';
import { changesCoalesced, changeToRequestSeconds, writesSkipped } from '../metrics';
import { flowKey, type StoreFlows } from '../control/store-flows';
import { flushLockKey, type StockRepository } from '../persistence/stock.repository';
import type { StockItem } from './request-parts';
import { countEmitted, type EmittedRequest, type StockRequestWriter } from './stock-request.writer';

/** Settings of the flush loop. */
export interface FlushSettings {
  coalesceWindowMs: number;
  coalesceMaxDelayMs: number;
  tickMs: number;
  batchSize: number;
}

/** What one flush did. */
export interface FlushResult {
  /** Store SKUs taken from the change table. */
  flushed: number;
  requests: EmittedRequest[];
  /** Store SKUs whose quantity equalled what was last requested. */
  skipped: number;
  /** Store SKUs not sent because their store's inventory flow is off in the control plane (their marks are cleared). */
  flowOff: number;
}

/**
 * Drains the change table (store_stock rows marked dirty): a store SKU is due once it has been quiet for the coalescing
 * window, or once its first unflushed change is older than the max delay. One transaction per flush takes the due rows,
 * computes their quantities, appends one 'change' request per store with only the quantities that differ from what was
 * last requested, and clears the marks, so a crash between two flushes loses nothing (the marks are rows) and a crash
 * inside one sends nothing twice. One replica flushes at a time (transaction-level advisory lock), which also keeps the
 * requests for one store in the order their quantities were computed.
 */
export class StockFlushWorker {
  private readonly log = createLogger('stock-flush');
  private readonly s: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly pool: Pool,
    private readonly repo: StockRepository,
    private readonly writer: StockRequestWriter,
    private readonly flows: StoreFlows,
    private readonly settings: FlushSettings,
  ) {
    this.s = schemaIdent(repo.schema);
  }

  /** Starts the loop; each tick flushes until nothing is due. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops the loop after the flush in hand commits. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch((err) => this.log.error({ err }, 'stock flush failed; retrying on the next tick'))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.settings.tickMs);
  }

  private async drain(): Promise<void> {
    for (;;) {
      const result = await this.flushOnce();
      if (this.stopped || result.flushed < this.settings.batchSize) return;
    }
  }

  /**
   * Flushes the store SKUs that are due (or all marked ones with `{ all: true }`) and returns what it did. Returns an
   * empty result when another replica is flushing.
   */
  async flushOnce(opts: { all?: boolean } = {}): Promise<FlushResult> {
    const empty: FlushResult = { flushed: 0, requests: [], skipped: 0, flowOff: 0 };
    const done = await withTransaction(this.pool, async (tx) => {
      const { rows: lock } = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok', [flushLockKey(this.repo.schema)]);
      if (!lock[0]?.ok) return { result: empty, latencies: [] as number[], coalesced: 0 };
      const due = opts.all ? 'dirty' : `dirty AND (last_changed_at <= now() - $1 * interval '1 millisecond' OR dirty_since <= now() - $2 * interval '1 millisecond')`;
      // SKIP LOCKED: a row a consumer is marking right now is taken by the next flush instead of waiting for it.
      const { rows } = await tx.query<{ tenant_id: string; store_id: string; sku: string; change_occurred_at: Date | null; changes: number }>(
        `SELECT tenant_id, store_id, sku, change_occurred_at, changes FROM ${this.s}.store_stock
          WHERE ${due} ORDER BY dirty_since LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [this.settings.coalesceWindowMs, this.settings.coalesceMaxDelayMs, this.settings.batchSize],
      );
      if (rows.length === 0) return { result: empty, latencies: [], coalesced: 0 };
      const inputs = await this.repo.inputs(
        tx,
        rows.map((r) => ({ tenantId: r.tenant_id, storeId: r.store_id, sku: r.sku })),
      );
      const byStore = new Map<string, { tenantId: string; storeId: string; items: StockItem[] }>();
      let skipped = 0;
      let flowOff = 0;
      // Stores switched off in the control plane get nothing; their marks are cleared below, and switching the flow
      // on again marks every SKU of the store (store-flows.ts), so nothing is lost.
      const off = await this.flows.offStores(tx, rows.map((r) => r.tenant_id));
      for (const input of inputs) {
        if (off.has(flowKey(input.tenantId, input.storeId))) {
          flowOff++;
          continue;
        }
        // The ERP said nothing about this SKU for the store: only a store we already told something is now told 0.
        if (input.levels === 0 && input.requestedQuantity === null) continue;
        // The store reported it has no such SKU; a complete request (reconciliation) asks again.
        if (input.storeHas === false) continue;
        const quantity = input.levels === 0 ? '0' : availableQuantity(input.erpFree, input.safetyBuffer, input.pending);
        if (input.requestedQuantity !== null && Number(input.requestedQuantity) === Number(quantity)) {
          skipped++;
          continue;
        }
        const key = `${input.tenantId}\u0000${input.storeId}`;
        const group = byStore.get(key) ?? { tenantId: input.tenantId, storeId: input.storeId, items: [] };
        group.items.push({ sku: input.sku, quantity });
        byStore.set(key, group);
      }
      const requests: EmittedRequest[] = [];
      for (const group of byStore.values()) {
        const emitted = await this.writer.emit(tx, { tenantId: group.tenantId, storeId: group.storeId, reason: 'change', items: group.items });
        if (emitted) requests.push(emitted);
      }
      await tx.query(
        `UPDATE ${this.s}.store_stock ss SET dirty = false, dirty_since = NULL, last_changed_at = NULL, change_occurred_at = NULL, changes = 0
           FROM unnest($1::text[], $2::text[], $3::text[]) AS u(tenant_id, store_id, sku)
          WHERE ss.tenant_id = u.tenant_id AND ss.store_id = u.store_id AND ss.sku = u.sku`,
        [rows.map((r) => r.tenant_id), rows.map((r) => r.store_id), rows.map((r) => r.sku)],
      );
      const requestedKeys = new Set([...byStore.values()].flatMap((g) => g.items.map((i) => `${g.tenantId}\u0000${g.storeId}\u0000${i.sku}`)));
      const latencies = rows.filter((r) => r.change_occurred_at && requestedKeys.has(`${r.tenant_id}\u0000${r.store_id}\u0000${r.sku}`)).map((r) => (r.change_occurred_at as Date).getTime());
      const coalesced = rows.reduce((sum, r) => sum + Math.max(0, r.changes - 1), 0);
      return { result: { flushed: rows.length, requests, skipped, flowOff }, latencies, coalesced };
    });
    // Counted after COMMIT, so a rolled-back flush is not counted.
    const now = Date.now();
    for (const at of done.latencies) changeToRequestSeconds.observe(Math.max(0, now - at) / 1000);
    changesCoalesced.inc(done.coalesced);
    writesSkipped.inc(done.result.skipped);
    countEmitted(done.result.requests);
    return done.result;
  }
}
