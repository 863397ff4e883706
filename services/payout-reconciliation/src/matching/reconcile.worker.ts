import { createLogger } from '@ledgerline/observability';
import type { Reconciler, ReconcileReport } from './reconciler';

/**
 * Runs reconcile passes: soon after something changed (a report stored, an order, refund or ERP document consumed)
 * and at least every `retryMs` regardless, so a settlement that arrived before its order or invoice is matched as
 * soon as they are here. Passes never overlap within a replica; across replicas the payout row lock keeps booking
 * exactly-once.
 */
export class ReconcileWorker {
  private readonly log = createLogger('reconcile-worker');
  private dirty = true;
  private running: Promise<ReconcileReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private lastRun = 0;

  constructor(
    private readonly reconciler: Reconciler,
    private readonly opts: { debounceMs: number; retryMs: number },
  ) {}

  /** Marks that matching inputs changed; a pass follows within the debounce time. */
  poke(): void {
    this.dirty = true;
  }

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      if (this.dirty || Date.now() - this.lastRun >= this.opts.retryMs) {
        await this.runNow().catch((err: Error) => this.log.error({ err }, `reconcile pass failed: ${err.message}`));
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.opts.debounceMs);
    };
    this.timer = setTimeout(() => void tick(), this.opts.debounceMs);
  }

  /** Runs a pass now (or joins the one running) and returns what it did. */
  async runNow(): Promise<ReconcileReport> {
    if (this.running) await this.running.catch(() => undefined);
    this.dirty = false;
    this.lastRun = Date.now();
    this.running = this.reconciler.runOnce();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running.catch(() => undefined);
  }
}
