import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { createLogger } from '@ledgerline/observability';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';
import { IngestService } from '../ingest/ingest.service';
import { sweepOrdersFound, sweepRuns } from '../metrics';
import { StoreClients } from '../stores/store-clients';
import type { Store } from '../stores/store';
import { StoresRepository } from '../stores/stores.repository';

/** What one sweep of one store did. */
export interface SweepReport {
  storeId: string;
  /** True when another replica was sweeping this store; nothing was read. */
  skipped: boolean;
  /** Orders read from the store in the window. */
  found: number;
  /** Orders (or refunds) the webhooks had not brought: the sweep appended their events. */
  missed: number;
  alreadyKnown: number;
  parked: number;
  /** The window read: exclusive bounds, ISO 8601; `modifiedAfter` null means from the beginning. */
  modifiedAfter: string | null;
  modifiedBefore: string | null;
  /** The stored cursor after the sweep. */
  cursor: string | null;
}

const log = createLogger('order-sweep');

/**
 * The safety net under webhooks, which WooCommerce never retries and silently disables (webhook-delivery.md §1, §4):
 * reads every order modified since the store's cursor (minus an overlap window) with the client's `modified_after`
 * sweep and sends each through the same ingest path as webhooks, so what was delivered already changes nothing.
 * Runs on a schedule and on demand; one replica per store at a time (advisory lock).
 */
@Injectable()
export class OrderSweepJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: StoreGatewayConfig,
    private readonly stores: StoresRepository,
    private readonly clients: StoreClients,
    private readonly ingest: IngestService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sweepIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.running ??= this.sweepAll().finally(() => (this.running = undefined));
      }, this.config.sweepIntervalMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts a new store's cursor at now: history is read by an explicit backfill, not by the first scheduled sweep. */
  async initCursor(store: Store): Promise<void> {
    await this.pool.query(`INSERT INTO ${this.config.schema}.sweep_cursors (store_id, resource, cursor) VALUES ($1, 'orders', now()) ON CONFLICT DO NOTHING`, [store.storeId]);
  }

  async sweepAll(): Promise<void> {
    for (const store of await this.stores.all()) {
      try {
        await this.sweepStore(store);
      } catch (err) {
        log.error({ err, tenantId: store.tenantId, storeId: store.storeId }, `sweep of store "${store.storeId}" failed: ${(err as { operatorMessage?: string }).operatorMessage ?? (err as Error).message}`);
      }
    }
  }

  /** Sweeps one store from its cursor (or from `opts.from` for a backfill); the cursor only ever moves forward. */
  async sweepStore(store: Store, opts: { from?: Date } = {}): Promise<SweepReport> {
    const s = this.config.schema;
    const lockKey = `ledgerline.store-gateway.sweep:${s}:${store.storeId}`;
    const conn = await this.pool.connect();
    const report: SweepReport = { storeId: store.storeId, skipped: false, found: 0, missed: 0, alreadyKnown: 0, parked: 0, modifiedAfter: null, modifiedBefore: null, cursor: null };
    try {
      const { rows: lock } = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lockKey]);
      if (!lock[0]?.ok) {
        sweepRuns.inc({ outcome: 'skipped' });
        return { ...report, skipped: true };
      }
      try {
        const { rows } = await conn.query<{ cursor: Date }>(`SELECT cursor FROM ${s}.sweep_cursors WHERE store_id = $1 AND resource = 'orders'`, [store.storeId]);
        const cursor = rows[0]?.cursor;
        // The client's advice: restart at the last window's end minus one second minus an overlap (late commits, clock skew).
        const modifiedAfter = opts.from ?? (cursor ? new Date(cursor.getTime() - 1000 - this.config.sweepOverlapSeconds * 1000) : undefined);
        const sweep = this.clients.for(store).iterateOrders({ modifiedAfter });
        report.modifiedAfter = modifiedAfter?.toISOString() ?? null;
        report.modifiedBefore = sweep.modifiedBefore.toISOString();
        for await (const order of sweep) {
          report.found++;
          const result = await this.ingest.ingestOrder(store, order, 'sweep');
          if (result.outcome === 'parked') report.parked++;
          else if (result.events.length > 0) report.missed++;
          else report.alreadyKnown++;
          sweepOrdersFound.inc({ outcome: result.outcome === 'parked' ? 'parked' : result.events.length > 0 ? 'missed' : 'already_known' });
        }
        const { rows: saved } = await conn.query<{ cursor: Date }>(
          `INSERT INTO ${s}.sweep_cursors (store_id, resource, cursor, swept_at) VALUES ($1, 'orders', $2, now())
           ON CONFLICT (store_id, resource) DO UPDATE SET cursor = GREATEST(${s}.sweep_cursors.cursor, EXCLUDED.cursor), swept_at = now()
           RETURNING cursor`,
          [store.storeId, sweep.modifiedBefore],
        );
        report.cursor = (saved[0] as { cursor: Date }).cursor.toISOString();
        sweepRuns.inc({ outcome: 'completed' });
        if (report.missed > 0) log.warn({ tenantId: store.tenantId, storeId: store.storeId, missed: report.missed }, `sweep of store "${store.storeId}" found ${report.missed} order change(s) that webhooks had not delivered`);
        return report;
      } catch (err) {
        sweepRuns.inc({ outcome: 'failed' });
        throw err;
      } finally {
        await conn.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
      }
    } finally {
      conn.release();
    }
  }
}
