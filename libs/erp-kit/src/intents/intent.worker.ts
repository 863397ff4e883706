import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Pool, PoolClient } from 'pg';
import { SpanStatusCode } from '@opentelemetry/api';
import { withTransaction } from '@ledgerline/messaging';
import { createLogger, extractTraceContext, tracer } from '@ledgerline/observability';
import { ErpOutcomeUnknownError } from '../errors/erp.errors';
import { describeSubject, documentNoun, LedgerlineError } from '../errors/ledgerline.error';
import { erpDeliveries } from '../metrics';
import type { DeliveredDocument, DocumentIntent } from './document-intent';
import { IntentLeaseLostError, type DocumentIntents } from './document-intents.repository';

/** What a port call gets besides the intent. */
export interface DeliveryContext {
  /** Aborts before the intent's lease runs out; pass it to every HTTP call, so no call outlives the claim. */
  signal: AbortSignal;
}

/**
 * The connector's side of delivery: how one kind of document is built, found and created in its ERP. The client
 * behind it takes rate-limit slots and tokens and classifies vendor errors into LedgerlineErrors (STYLE.md §5).
 */
export interface DeliveryPort<P = unknown, M = unknown> {
  /**
   * Builds the ERP request from the intent (mapping, money): pure, no ERP call. Runs before the attempt is marked, so
   * a missing mapping parks the intent without ever making its outcome unknown. Optional.
   */
  prepare?(intent: DocumentIntent<P>): M | Promise<M>;
  /**
   * Returns the document stamped with `intent.externalRef` if the ERP has it, else null. Compare the hit's reference
   * exactly: ERP searches are often substring matches. Leave it out when the ERP cannot search by the reference:
   * an unknown outcome then parks the intent as `ERP_OUTCOME_UNKNOWN` for a person.
   */
  findByExternalRef?(intent: DocumentIntent<P>, ctx: DeliveryContext): Promise<DeliveredDocument | null>;
  /** Creates the document, stamped with `intent.externalRef`, and returns its number. */
  create(intent: DocumentIntent<P>, prepared: M, ctx: DeliveryContext): Promise<DeliveredDocument>;
}

/** Options of {@link IntentWorker}. */
export interface IntentWorkerOptions<P, M> {
  pool: Pool;
  intents: DocumentIntents;
  port: DeliveryPort<P, M>;
  /** Recorded as `claimed_by`; default `<hostname>:<pid>:<random>`. */
  workerId?: string;
  /** Intents claimed per round; default 10. */
  batchSize?: number;
  /** Intents of one round delivered at the same time; default 1. */
  concurrency?: number;
  /** Only this connection's intents; default all. */
  connectionId?: string;
  /** Pause of {@link IntentWorker.start}'s loop when nothing was due; default 1000 ms. */
  idleMs?: number;
  /** Runs in the settle transaction: append the outbox event announcing the document here. */
  onSettled?(tx: PoolClient, intent: DocumentIntent<P>, doc: DeliveredDocument): Promise<void>;
}

/** How one delivery ended. */
export type DeliveryResult = 'created' | 'found' | 'retry' | 'parked' | 'lease-lost';

/** One delivery's outcome, for logs and tests. */
export interface DeliveryOutcome {
  intentId: string;
  result: DeliveryResult;
  documentNumber?: string;
  code?: string;
}

/**
 * Drains document intents: claims due ones, then for each, outside any transaction, builds the request, searches the
 * ERP first when an earlier outcome is unknown, marks the attempt, creates, and settles in a transaction together with
 * `onSettled`'s outbox append. Failures go to {@link DocumentIntents.fail} (retry with backoff, or park).
 * Several workers, in one process or many replicas, may drain the same table.
 */
export class IntentWorker<P = unknown, M = unknown> {
  private readonly log = createLogger('intent-worker');
  readonly workerId: string;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(private readonly opts: IntentWorkerOptions<P, M>) {
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.batchSize = opts.batchSize ?? 10;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  /** Claims one batch, delivers it, and returns what happened to each intent (empty when nothing was due). */
  async runOnce(): Promise<DeliveryOutcome[]> {
    const claimed = await this.opts.intents.claim(this.batchSize, { workerId: this.workerId, connectionId: this.opts.connectionId });
    const outcomes: DeliveryOutcome[] = [];
    const queue = [...claimed] as DocumentIntent<P>[];
    const lane = async () => {
      for (let intent = queue.shift(); intent; intent = queue.shift()) outcomes.push(await this.deliver(intent));
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, claimed.length) }, lane));
    return outcomes;
  }

  /** Runs rounds until a claim finds nothing due, and returns every outcome. Intents waiting for a retry are not awaited. */
  async drain(): Promise<DeliveryOutcome[]> {
    const all: DeliveryOutcome[] = [];
    for (;;) {
      const round = await this.runOnce();
      if (round.length === 0) return all;
      all.push(...round);
    }
  }

  /** Starts draining in the background until {@link stop}; idles `idleMs` between empty rounds. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        let delivered = 0;
        try {
          delivered = (await this.runOnce()).length;
        } catch (err) {
          this.log.error({ err, workerId: this.workerId }, 'claiming document intents failed; retrying after the idle pause');
        }
        if (delivered === 0 && !this.stopping) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.opts.idleMs ?? 1000);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = undefined;
        }
      }
    })();
  }

  /** Stops the loop after the current round; resolves when it has finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  /**
   * Delivers one claimed intent and returns how it ended; never throws for the intent's own failures (they are
   * recorded on the intent). Only throws when the database is unreachable while recording a failure.
   */
  async deliver(intent: DocumentIntent<P>): Promise<DeliveryOutcome> {
    const { intents } = this.opts;
    const erp = intents.contextOf(intent).erp ?? 'erp';
    return tracer().startActiveSpan(`deliver ${intent.documentKind}`, {}, extractTraceContext(intent.traceHeaders), async (span) => {
      span.setAttributes({ 'ledgerline.intent.id': intent.id, 'ledgerline.erp': erp, 'ledgerline.tenant.id': intent.tenantId });
      // No call may outlive the claim: another worker takes the intent over once the lease runs out.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error('the intent lease is about to run out')), Math.floor(intents.leaseMs * 0.8));
      const ctx: DeliveryContext = { signal: controller.signal };
      let outcome: DeliveryOutcome;
      try {
        const prepared = (this.opts.port.prepare ? await this.opts.port.prepare(intent) : undefined) as M;
        let doc: DeliveredDocument | null = null;
        let result: DeliveryResult = 'created';
        if (intent.outcomeUnknown) {
          if (!this.opts.port.findByExternalRef) throw new ErpOutcomeUnknownError({ erp, context: intents.contextOf(intent) });
          doc = await this.opts.port.findByExternalRef(intent, ctx);
          if (doc) result = 'found';
        }
        if (!doc) {
          await intents.markAttempt(intent);
          doc = await this.opts.port.create(intent, prepared, ctx);
        }
        const delivered = doc;
        await withTransaction(this.opts.pool, async (tx) => {
          await intents.settle(tx, intent, delivered);
          await this.opts.onSettled?.(tx, intent, delivered);
        });
        outcome = { intentId: intent.id, result, documentNumber: delivered.documentNumber };
      } catch (err) {
        if (err instanceof IntentLeaseLostError) {
          outcome = { intentId: intent.id, result: 'lease-lost' };
        } else {
          // A call cut short by the lease deadline that its client did not classify: transient, outcome unknown.
          const error =
            controller.signal.aborted && !(err instanceof LedgerlineError)
              ? new LedgerlineError({
                  code: 'INTENT_LEASE_DEADLINE_REACHED',
                  kind: 'transient',
                  operatorMessage: `Delivering the ${documentNoun(intent.documentKind)} for ${describeSubject(intents.contextOf(intent))} took longer than the worker may hold it; it is tried again automatically.`,
                  context: intents.contextOf(intent),
                  cause: err,
                })
              : err;
          const failed = await intents.fail(intent, error);
          outcome =
            failed.status === 'lease-lost'
              ? { intentId: intent.id, result: 'lease-lost' }
              : { intentId: intent.id, result: failed.status === 'parked' ? 'parked' : 'retry', code: failed.code };
          span.setStatus({ code: SpanStatusCode.ERROR, message: failed.status === 'lease-lost' ? 'lease lost' : failed.code });
        }
      } finally {
        clearTimeout(timer);
        span.end();
      }
      erpDeliveries.inc({ erp, outcome: outcome.result, code: outcome.code ?? '' });
      return outcome;
    });
  }
}
