import { createLogger } from '@ledgerline/observability';
import type { ReconciliationService } from './reconciliation.service';

/** Runs the scheduled reconciliation of every store; 0 ms turns it off. Replicas agree through the database (see runScheduled). */
export class ReconciliationJob {
  private readonly log = createLogger('reconciliation-job');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly service: ReconciliationService,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    // Look more often than the interval, so a replica that restarts does not postpone the schedule by a whole interval.
    const tick = Math.max(1000, Math.min(this.intervalMs / 10, 60_000));
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.service
        .runScheduled(this.intervalMs)
        .catch((err) => this.log.error({ err }, 'scheduled reconciliation failed; trying again on the next tick'))
        .finally(() => (this.running = null));
    }, tick);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
