import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { envelope, storeKey, StoreStockApplied, type StoreStockItem } from '@ledgerline/contracts';
import { OutboxWriter, withTransaction } from '@ledgerline/messaging';
import { createLogger } from '@ledgerline/observability';
import { WooApiError, type WooBatchResult, type WooCommerceClient, type WooProduct, type WooVariation } from '@ledgerline/woocommerce';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';
import { gatewayTopics } from '../messaging/topics';
import { stockBatchRequests, stockItemsWritten, stockRequestAge, stockUnchanged, stockUnknownSkus, stockWriteDuration } from '../metrics';
import { StoreClients } from '../stores/store-clients';
import type { Store } from '../stores/store';
import { StoresRepository } from '../stores/stores.repository';
import { SkuIndex, type SkuEntry } from './sku-index';
import { planStockBatches, type ResolvedStockItem, type StockBatch } from './stock-batch.planner';
import { echoFingerprint } from './stock-echo';
import { StockRequestsRepository, type ItemOutcome, type StockPartRow, type StockRequestRow } from './stock-requests.repository';

const log = createLogger('store-stock-writer');

/** WooCommerce keeps `stock_quantity` in an int column; PostgreSQL's integer is the same range. */
const MAX_QUANTITY = 2_147_483_647;

/** What one pass over a store did (tests and the bench read it through logs/metrics; callers ignore it). */
type StoreTurn = 'idle' | 'waiting' | 'applied' | 'retrying';

/**
 * Applies recorded stock requests to the stores, outside any transaction: per store one request at a time, in
 * arrival order, one batch request at a time (a store sees at most one of our writes in flight). All received parts
 * of a request are applied together once every part is in (or once the oldest waited `stockPartsWaitMs`), so a
 * request needs the fewest batch requests ({@link planStockBatches}). Each SKU's outcome is stored right after the
 * store answered, so a retry after an outage writes only what is still owed; the reports (`store-stock.applied`,
 * one per part) go to the outbox in one transaction at the end. Several replicas may run: a store is worked on by
 * one at a time (session advisory lock).
 */
@Injectable()
export class StockWriteWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly s: string;
  private readonly topics: ReturnType<typeof gatewayTopics>;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: StoreGatewayConfig,
    private readonly requests: StockRequestsRepository,
    private readonly index: SkuIndex,
    private readonly stores: StoresRepository,
    private readonly clients: StoreClients,
    private readonly outbox: OutboxWriter,
  ) {
    this.s = config.schema;
    this.topics = gatewayTopics(config);
  }

  start(): void {
    this.stopped = false;
    const tick = (): void => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .catch((err: unknown) => log.error({ err }, 'stock write pass failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.config.stockPollMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: every store with due work, stores in parallel, each store's requests in order. */
  async runOnce(): Promise<void> {
    const storeIds = await this.requests.storesWithWork();
    await Promise.all(storeIds.map((id) => this.workStore(id).catch((err: unknown) => log.error({ err, storeId: id }, `stock writes for store "${id}" failed`))));
  }

  private async workStore(storeId: string): Promise<void> {
    const lockKey = `ledgerline.store-gateway.stock:${this.s}:${storeId}`;
    const conn = await this.pool.connect();
    try {
      const { rows } = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lockKey]);
      if (!rows[0]?.ok) return;
      try {
        while (!this.stopped && (await this.turn(storeId)) === 'applied');
      } finally {
        await conn.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
      }
    } finally {
      conn.release();
    }
  }

  private async turn(storeId: string): Promise<StoreTurn> {
    const req = await this.requests.oldestOpen(storeId);
    if (!req || !req.due) return 'idle';
    const parts = await this.requests.parts(storeId, req.requestId);
    const pending = parts.filter((p) => p.reportedAt === null);
    const allReceived = parts.length === req.parts;
    if (pending.length === 0) {
      // Every received part is applied and reported; the rest never came (e.g. a part parked as inconsistent).
      // Give up on them after the wait, so the store's later requests are not blocked for good.
      const newest = Math.max(...parts.map((p) => p.receivedAt.getTime()));
      if (allReceived || Date.now() - newest < this.config.stockPartsWaitMs) return 'waiting';
      const missing = Array.from({ length: req.parts }, (_, i) => i + 1).filter((n) => !parts.some((p) => p.part === n));
      const message = `Stock request "${req.requestId}" for store "${storeId}" (tenant "${req.tenantId}") was closed without part(s) ${missing.join(', ')} of ${req.parts}: they did not arrive within ${this.config.stockPartsWaitMs} ms of the last part. The parts received were applied and reported; storeOnlySkus was not computed. Look for parked store-stock.requested events of this request; the next full sync or reconciliation covers the rest.`;
      await this.requests.close(storeId, req.requestId, 'STORE_STOCK_PARTS_MISSING', message);
      log.error({ tenantId: req.tenantId, storeId, requestId: req.requestId, missing }, message);
      return 'applied';
    }
    if (!allReceived) {
      const oldest = Math.min(...pending.map((p) => p.receivedAt.getTime()));
      if (Date.now() - oldest < this.config.stockPartsWaitMs) return 'waiting';
    }
    const store = await this.stores.find(storeId);
    try {
      if (!store) {
        throw new WooApiError('WOO_CLIENT_CONFIG_INVALID', 'permanent', `Stock request "${req.requestId}" is for store "${storeId}" (tenant "${req.tenantId}"), which is not registered in store-gateway. Register it (PUT /stores/${storeId}); the request is retried every 15 minutes and later requests for the store wait behind it.`, { status: 0 });
      }
      await this.apply(store, req, parts, pending);
      return 'applied';
    } catch (err) {
      const e = err as { kind?: string; code?: string; operatorMessage?: string; retryAfterMs?: number; message?: string };
      const transient = e.kind === 'transient';
      const cap = transient ? 60_000 : 15 * 60_000;
      // Retry-After is honoured up to the cap: WordPress's maintenance page always says 600 s (see the client).
      const delay = Math.min(cap, Math.max(e.retryAfterMs ?? 0, 1000 * 2 ** Math.min(req.attempts, 20)));
      const message = e.operatorMessage ?? e.message ?? String(err);
      await this.requests.retryLater(storeId, req.requestId, delay, e.code ?? 'UNEXPECTED', message);
      const fields = { err, tenantId: req.tenantId, storeId, requestId: req.requestId, attempts: req.attempts + 1, retryInMs: delay };
      if (transient) log.warn(fields, `stock request "${req.requestId}" for store "${storeId}" could not be applied now; retrying: ${message}`);
      else log.error(fields, `stock request "${req.requestId}" for store "${storeId}" cannot be applied; retrying in ${Math.round(delay / 1000)} s, later requests for the store wait: ${message}`);
      return 'retrying';
    }
  }

  private async apply(store: Store, req: StockRequestRow, parts: StockPartRow[], pending: StockPartRow[]): Promise<void> {
    const client = this.clients.for(store);
    const done = new Set((await this.requests.outcomes(store.storeId, req.requestId)).map((o) => o.sku));
    // A SKU named twice in a request: the later part wins (it was computed later or equally late).
    const wanted = new Map<string, StoreStockItem & { part: number }>();
    for (const p of pending) for (const item of p.items) if (!done.has(item.sku)) wanted.set(item.sku, { ...item, part: p.part });
    const skus = [...wanted.keys()];

    if (req.complete) {
      const crawledAt = await this.index.crawledAt(store.storeId);
      if (!crawledAt || Date.now() - crawledAt.getTime() > this.config.skuIndexMaxAgeMs) {
        const count = await this.index.crawl(store.storeId, client);
        log.info({ tenantId: store.tenantId, storeId: store.storeId, skus: count }, `SKU index of store "${store.storeId}" re-read from the store`);
      }
    }
    // Reconciliation compares with what the store shows now; other reasons only need to know where each SKU lives.
    const entries = req.reason === 'reconciliation' ? await this.index.readFromStore(store.storeId, client, skus) : await this.index.resolve(store.storeId, client, skus);

    const settled: ItemOutcome[] = [];
    const toWrite: Array<ResolvedStockItem & { was: string | null }> = [];
    for (const [sku, item] of wanted) {
      const entry = entries.get(sku);
      const quantity = Number(item.quantity);
      if (!entry) {
        settled.push({ part: item.part, sku, outcome: 'unknown', was: null, now: null, code: null, message: null });
      } else if (!(Number.isSafeInteger(quantity) && quantity <= MAX_QUANTITY)) {
        settled.push({ part: item.part, sku, outcome: 'failed', was: wasOf(entry), now: null, code: 'STORE_STOCK_QUANTITY_TOO_LARGE', message: `quantity ${item.quantity} is above ${MAX_QUANTITY}, the most WooCommerce stores` });
      } else if (req.reason === 'reconciliation' && entry.manageStock && entry.stockQuantity === quantity) {
        settled.push({ part: item.part, sku, outcome: 'unchanged', was: wasOf(entry), now: item.quantity, code: null, message: null });
      } else {
        toWrite.push({ sku, part: item.part, quantity, itemId: entry.itemId, parentId: entry.parentId, was: wasOf(entry) });
      }
    }
    await this.requests.recordOutcomes(store.storeId, req.requestId, settled);
    stockUnknownSkus.inc(settled.filter((o) => o.outcome === 'unknown').length);
    stockUnchanged.inc(settled.filter((o) => o.outcome === 'unchanged').length);

    const batches = planStockBatches(toWrite) as Array<StockBatch & { items: Array<ResolvedStockItem & { was: string | null }> }>;
    if (batches[0]) await this.guard(store.storeId, batches[0]);
    for (const [i, batch] of batches.entries()) await this.write(store, client, req, batch, batches[i + 1] ?? null);
    await this.report(store, req, parts, pending);
  }

  /**
   * Records the echo guards of a batch before it is sent: the store's product.updated delivery may arrive before the
   * answer is processed. (The guards of the following batches are written with the previous batch's bookkeeping.)
   */
  private async guard(storeId: string, batch: StockBatch): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.s}.stock_echo_guards (store_id, item_id, quantity, fingerprint, written_at) SELECT $1::text, u.*, NULL, now() FROM unnest($2::bigint[], $3::integer[]) AS u
       ON CONFLICT (store_id, item_id) DO UPDATE SET quantity = EXCLUDED.quantity, fingerprint = NULL, written_at = EXCLUDED.written_at`,
      [storeId, batch.items.map((i) => i.itemId), batch.items.map((i) => i.quantity)],
    );
  }

  /**
   * Sends one batch request (≤ 100 items; its guards already recorded) and records, in one statement, each item's
   * outcome, the guards' fingerprints, the index's new levels and the guards of `next`.
   */
  private async write(
    store: Store,
    client: WooCommerceClient,
    req: StockRequestRow,
    batch: { parentId: number; items: Array<ResolvedStockItem & { was: string | null }> },
    next: StockBatch | null,
  ): Promise<void> {
    const endpoint = batch.parentId === 0 ? '/products/batch' : '/products/{id}/variations/batch';
    // stock_status is not sent: with manage_stock on, WooCommerce derives it from the quantity and the backorder setting.
    const update = batch.items.map((i) => ({ id: i.itemId, manage_stock: true, stock_quantity: i.quantity }));
    const started = performance.now();
    let result: WooBatchResult<WooProduct | WooVariation>;
    try {
      result = batch.parentId === 0 ? await client.batchProducts({ update }) : await client.batchVariations(batch.parentId, { update });
      stockBatchRequests.inc({ endpoint }, result.requests);
    } finally {
      stockWriteDuration.observe({ endpoint }, (performance.now() - started) / 1000);
    }
    const confirmedAt = Date.now();
    const outcomes: ItemOutcome[] = [];
    const fingerprints: Array<{ itemId: number; fingerprint: string }> = [];
    const seen: SkuEntry[] = [];
    const gone: string[] = [];
    for (const r of result.update) {
      const item = batch.items[r.index] as ResolvedStockItem & { was: string | null };
      if (r.ok) {
        const answer = r.item as WooProduct;
        outcomes.push({ part: item.part, sku: item.sku, outcome: 'written', was: item.was, now: String(item.quantity), code: null, message: null });
        fingerprints.push({ itemId: item.itemId, fingerprint: echoFingerprint(answer, batch.parentId !== 0) });
        seen.push({ sku: item.sku, itemId: item.itemId, parentId: batch.parentId, manageStock: answer.manage_stock === true, stockQuantity: answer.stock_quantity ?? null });
        stockRequestAge.observe((confirmedAt - req.computedAt.getTime()) / 1000);
        stockItemsWritten.inc({ reason: req.reason, outcome: 'written' });
      } else {
        const e = r.error;
        outcomes.push({ part: item.part, sku: item.sku, outcome: 'failed', was: item.was, now: null, code: e.wooCode ?? e.code, message: e.wooMessage ?? e.operatorMessage });
        if (e.code === 'WOO_NOT_FOUND' || /invalid_id$/.test(e.wooCode ?? '')) gone.push(item.sku);
        stockItemsWritten.inc({ reason: req.reason, outcome: 'failed' });
      }
    }
    // One statement (one commit) per batch: it runs once per 100 SKUs, and on the busy shared database a commit
    // cost more than the sandbox's answer did (bench/stock-writes.bench.ts).
    await this.pool.query(
      `WITH next_guards AS (
         INSERT INTO ${this.s}.stock_echo_guards (store_id, item_id, quantity, fingerprint, written_at) SELECT $1::text, g.*, NULL, now() FROM unnest($15::bigint[], $16::integer[]) AS g
         ON CONFLICT (store_id, item_id) DO UPDATE SET quantity = EXCLUDED.quantity, fingerprint = NULL, written_at = EXCLUDED.written_at
       ), outcomes AS (
         INSERT INTO ${this.s}.stock_item_outcomes (store_id, request_id, part, sku, outcome, was, now_qty, code, message)
         SELECT $1::text, $2::text, u.* FROM unnest($3::integer[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS u
         ON CONFLICT (store_id, request_id, sku) DO NOTHING
       ), guards AS (
         UPDATE ${this.s}.stock_echo_guards g SET fingerprint = f.fingerprint FROM unnest($10::bigint[], $11::text[]) AS f(item_id, fingerprint)
          WHERE g.store_id = $1 AND g.item_id = f.item_id
       )
       UPDATE ${this.s}.sku_index i SET manage_stock = n.manage_stock, stock_quantity = n.stock_quantity, updated_at = clock_timestamp()
         FROM unnest($12::text[], $13::boolean[], $14::integer[]) AS n(sku, manage_stock, stock_quantity)
        WHERE i.store_id = $1 AND i.sku = n.sku`,
      [
        store.storeId,
        req.requestId,
        outcomes.map((o) => o.part),
        outcomes.map((o) => o.sku),
        outcomes.map((o) => o.outcome),
        outcomes.map((o) => o.was),
        outcomes.map((o) => o.now),
        outcomes.map((o) => o.code),
        outcomes.map((o) => o.message),
        fingerprints.map((f) => f.itemId),
        fingerprints.map((f) => f.fingerprint),
        seen.map((e) => e.sku),
        seen.map((e) => e.manageStock),
        seen.map((e) => e.stockQuantity),
        next?.items.map((i) => i.itemId) ?? [],
        next?.items.map((i) => i.quantity) ?? [],
      ],
    );
    // The index pointed at a product the store no longer has: forget it, so the next request looks the SKU up again.
    await this.index.forget(store.storeId, gone);
  }

  /** Appends one store-stock.applied per part in hand, in part order, and closes the request when every part is reported. */
  private async report(store: Store, req: StockRequestRow, parts: StockPartRow[], pending: StockPartRow[]): Promise<void> {
    const outcomes = await this.requests.outcomes(store.storeId, req.requestId);
    const allDone = parts.length === req.parts;
    const last = pending.find((p) => p.part === req.parts);
    let storeOnly: string[] = [];
    if (req.complete && allDone && last) {
      const named = [...new Set(parts.flatMap((p) => p.items.map((i) => i.sku)))];
      storeOnly = await this.index.managedSkusExcept(store.storeId, named);
    }
    const appliedAt = new Date().toISOString();
    await withTransaction(this.pool, async (tx) => {
      for (const p of pending) {
        const mine = outcomes.filter((o) => o.part === p.part);
        const event = new StoreStockApplied({
          tenantId: store.tenantId,
          storeId: store.storeId,
          requestId: req.requestId,
          part: p.part,
          parts: req.parts,
          written: mine.filter((o) => o.outcome === 'written').map((o) => ({ sku: o.sku, was: o.was, now: o.now as string })),
          unchangedCount: String(mine.filter((o) => o.outcome === 'unchanged').length),
          unknownSkus: mine.filter((o) => o.outcome === 'unknown').map((o) => o.sku),
          failed: mine.filter((o) => o.outcome === 'failed').map((o) => ({ sku: o.sku, code: o.code ?? 'UNKNOWN', message: o.message || 'WooCommerce gave no message' })),
          storeOnlySkus: p === last ? storeOnly : [],
          appliedAt,
        });
        const env = envelope.of(event, { tenantId: store.tenantId, storeId: store.storeId, occurredAt: appliedAt, causedBy: { id: p.eventId, correlationId: p.correlationId } });
        await this.outbox.append(tx, env, { topic: this.topics.stockReports, key: storeKey(store.tenantId, store.storeId) });
      }
      await this.requests.markReported(tx, store.storeId, req.requestId, pending.map((p) => p.part), allDone && pending.length + parts.filter((p) => p.reportedAt !== null).length === req.parts);
    });
  }
}

function wasOf(entry: SkuEntry): string | null {
  return entry.manageStock && entry.stockQuantity !== null ? String(entry.stockQuantity) : null;
}
