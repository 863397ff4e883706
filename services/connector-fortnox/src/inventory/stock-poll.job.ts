import type { Pool } from 'pg';
import { envelope, stockKey, StockLevelChanged } from '@ledgerline/contracts';
import { withTransaction, type OutboxWriter } from '@ledgerline/messaging';
import { counter, createLogger } from '@ledgerline/observability';
import type { FortnoxClient } from '../client/fortnox.client';
import type { StoreRepository } from '../persistence/store.repository';

/** One entry of `GET /api/warehouse/status-v1/stockbalance` (per item and stock point). */
export interface FortnoxStockBalance {
  itemId: string;
  stockPointCode: string;
  inStock: number;
  availableStock: number;
}

/** What one poll of a tenant did. */
export interface StockPollResult {
  tenantId: string;
  read: number;
  changed: number;
  clampedNegative: number;
}

const negativeStock = counter({
  name: 'ledgerline_connector_fortnox_stock_negative_total',
  help: 'Fortnox stock balances below zero, reported as quantity "0" (stock-level.changed v1 rule).',
});
const stockEvents = counter({
  name: 'ledgerline_connector_fortnox_stock_changes_total',
  help: 'stock-level.changed events appended to the outbox by the Fortnox stock poll.',
});

/** A Fortnox quantity → a decimal string of at most 4 fraction digits (the contract's limit). */
function decimal(n: number): string {
  return String(Number(n.toFixed(4)));
}

/**
 * Reads Fortnox stock balances per connected tenant (on a schedule and on demand) and, for each level that differs from
 * the last one reported, stores the new level and appends `stock-level.changed` in the same transaction.
 */
export class StockPollJob {
  private readonly log = createLogger('connector-fortnox.stock-poll');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly opts: {
      pool: Pool;
      client: FortnoxClient;
      store: StoreRepository;
      outbox: OutboxWriter;
      /** `ledgerline.erp.stock-levels.v1`, with the service's topic suffix. */
      topic: string;
      /** 0 = no schedule. */
      intervalMs: number;
    },
  ) {}

  start(): void {
    if (this.opts.intervalMs <= 0 || this.timer) return;
    const tick = () => {
      this.running = this.pollAll()
        .catch((err: unknown) => this.log.error({ err }, 'stock poll failed'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(tick, this.opts.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.opts.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Polls every connected tenant; one tenant's failure is logged and does not stop the others. */
  async pollAll(): Promise<StockPollResult[]> {
    const out: StockPollResult[] = [];
    for (const { tenantId, connectionId } of await this.opts.store.connections(this.opts.pool)) {
      try {
        out.push(await this.pollConnection(tenantId, connectionId));
      } catch (err) {
        this.log.warn({ err, tenantId }, `stock poll of tenant ${tenantId} failed`);
      }
    }
    return out;
  }

  /** Polls one tenant; null when it has no Fortnox connection. */
  async poll(tenantId: string): Promise<StockPollResult | null> {
    const connectionId = await this.opts.store.connectionOf(this.opts.pool, tenantId);
    return connectionId ? this.pollConnection(tenantId, connectionId) : null;
  }

  private async pollConnection(tenantId: string, connectionId: string): Promise<StockPollResult> {
    const readAt = new Date();
    // The stock-balance endpoint answers with every balance in one array (no paging parameters in its contract).
    const balances = await this.opts.client.get<FortnoxStockBalance[]>('/api/warehouse/status-v1/stockbalance', {
      connectionId,
      context: { tenantId, erp: 'Fortnox', connectionId },
    });
    const { store, outbox, topic } = this.opts;
    return withTransaction(this.opts.pool, async (tx) => {
      await store.lockStock(tx, tenantId);
      const known = await store.stockLevels(tx, tenantId);
      let changed = 0;
      let clampedNegative = 0;
      for (const b of balances) {
        if (!b.itemId || !b.stockPointCode || !Number.isFinite(b.inStock)) {
          this.log.warn({ tenantId, balance: b }, 'Fortnox stock balance without item, stock point or quantity; skipped');
          continue;
        }
        const negative = b.inStock < 0;
        const quantity = negative ? '0' : decimal(b.inStock);
        const available = Number.isFinite(b.availableStock) ? b.availableStock : b.inStock;
        const reserved = decimal(Math.max(0, b.inStock - available));
        const previous = known.get(`${b.itemId}|${b.stockPointCode}`);
        if (previous && previous.readAt > readAt) continue; // a later read already committed
        if (previous && previous.quantity === quantity && previous.reserved === reserved) continue;
        if (negative) {
          clampedNegative++;
          negativeStock.inc();
          this.log.warn({ tenantId, sku: b.itemId, stockPoint: b.stockPointCode, inStock: b.inStock }, `Fortnox reports negative stock ${b.inStock} for ${b.itemId} at ${b.stockPointCode}; reported as 0`);
        }
        await store.saveStockLevel(tx, tenantId, { sku: b.itemId, stockPoint: b.stockPointCode, quantity, reserved, readAt, erpInStock: b.inStock });
        const event = new StockLevelChanged({
          tenantId,
          sku: b.itemId,
          warehouseCode: b.stockPointCode,
          quantity,
          reserved,
          erp: 'fortnox',
          erpConnectionId: connectionId,
          readAt: readAt.toISOString(),
        });
        await outbox.append(tx, envelope.of(event, { tenantId, storeId: null, occurredAt: readAt }), { topic, key: stockKey(tenantId, b.itemId) });
        stockEvents.inc();
        changed++;
      }
      return { tenantId, read: balances.length, changed, clampedNegative };
    });
  }
}
