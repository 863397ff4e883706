import type { Pool } from 'pg';
import { classifyError, schemaIdent, type Tx } from '@ledgerline/messaging';
import { createLogger, injectTraceHeaders } from '@ledgerline/observability';
import { describeSubject, documentNoun, LedgerlineError, type ErrorContext } from '../errors/ledgerline.error';
import { withErrorContext } from '../errors/wrap-error';
import { backoffDelay, defaultIntentBackoff, type IntentBackoff } from './backoff';
import type { DeliveredDocument, DocumentIntent, IntentSourceKey, IntentStatus, OpenIntentInput } from './document-intent';

/** Options of {@link DocumentIntents}. */
export interface DocumentIntentsOptions {
  /** The connector's schema (`connector_fortnox`), where {@link erpKitSchemaSql} created the table. */
  schema: string;
  /** The ERP as operators name it (`"Fortnox"`), for error context and messages. */
  erp: string;
  /**
   * How long a claim (and each {@link DocumentIntents.markAttempt}) holds an intent. Another worker takes the intent
   * over only after it runs out, so it must be longer than any ERP call: the worker aborts calls at 80 % of it.
   * Default 60 000.
   */
  leaseMs?: number;
  backoff?: Partial<IntentBackoff>;
}

/** The result of {@link DocumentIntents.open}: the intent, and whether this call created it. */
export interface OpenedIntent<P = unknown> {
  intent: DocumentIntent<P>;
  created: boolean;
}

/** What {@link DocumentIntents.fail} did with the intent. */
export type FailOutcome =
  | { status: 'retry'; code: string; nextAttemptAt: Date }
  | { status: 'parked'; code: string; kind: string; operatorMessage: string }
  | { status: 'lease-lost' };

/** Filter of {@link DocumentIntents.list}. */
export interface IntentListFilter {
  status?: IntentStatus;
  tenantId?: string;
  connectionId?: string;
  errorCode?: string;
  limit?: number;
}

/**
 * An intent's claim ran out and another worker took it (or it was settled or parked meanwhile): this worker must stop
 * working on it and call nothing more. Transient: the new holder carries on.
 */
export class IntentLeaseLostError extends LedgerlineError {
  constructor(intent: Pick<DocumentIntent, 'id' | 'documentKind'>, context: ErrorContext) {
    super({
      code: 'INTENT_LEASE_LOST',
      kind: 'transient',
      operatorMessage: `A worker lost its hold on the ${documentNoun(intent.documentKind)} for ${describeSubject(context)} to another worker, which carries on with it. Nothing to do.`,
      context: { ...context, intentId: intent.id },
    });
  }
}

interface IntentRow {
  id: string;
  tenant_id: string;
  connection_id: string;
  store_id: string | null;
  source_kind: DocumentIntent['sourceKind'];
  source_id: string;
  source_label: string | null;
  document_kind: DocumentIntent['documentKind'];
  external_ref: string;
  payload: unknown;
  correlation_id: string;
  causation_id: string;
  trace_headers: Record<string, string>;
  status: IntentStatus;
  outcome_unknown: boolean;
  attempts: number;
  failures: number;
  next_attempt_at: Date;
  claim_token: string | null;
  claimed_by: string | null;
  lease_expires_at: Date | null;
  document_number: string | null;
  erp_response_summary: Record<string, unknown> | null;
  error_code: string | null;
  error_kind: string | null;
  operator_message: string | null;
  error_detail: string | null;
  created_at: Date;
  updated_at: Date;
  last_attempt_at: Date | null;
  settled_at: Date | null;
  parked_at: Date | null;
}

function toIntent<P>(r: IntentRow): DocumentIntent<P> {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    connectionId: r.connection_id,
    storeId: r.store_id,
    sourceKind: r.source_kind,
    sourceId: r.source_id,
    sourceLabel: r.source_label,
    documentKind: r.document_kind,
    externalRef: r.external_ref,
    payload: r.payload as P,
    correlationId: r.correlation_id,
    causationId: r.causation_id,
    traceHeaders: r.trace_headers,
    status: r.status,
    outcomeUnknown: r.outcome_unknown,
    attempts: r.attempts,
    failures: r.failures,
    nextAttemptAt: r.next_attempt_at,
    claimToken: r.claim_token,
    claimedBy: r.claimed_by,
    leaseExpiresAt: r.lease_expires_at,
    documentNumber: r.document_number,
    erpResponseSummary: r.erp_response_summary,
    errorCode: r.error_code,
    errorKind: r.error_kind,
    operatorMessage: r.operator_message,
    errorDetail: r.error_detail,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastAttemptAt: r.last_attempt_at,
    settledAt: r.settled_at,
    parkedAt: r.parked_at,
  };
}

const SOURCE_KINDS = new Set(['order', 'refund', 'payout']);
const DOCUMENT_KINDS = new Set(['invoice', 'credit-invoice', 'sales-order', 'voucher', 'payment']);

/**
 * The document-intent ledger (`document_intents` in the connector's schema): how a connector calls an ERP that has no
 * idempotency keys exactly once. A handler opens an intent inside its inbox transaction; a worker claims it, marks the
 * attempt (committed) before calling the ERP, and settles it with the document number after. An attempt whose outcome
 * is unknown leaves `outcomeUnknown` set, so the next one searches by external reference before creating. README.md
 * has the state machine.
 */
export class DocumentIntents {
  private readonly log = createLogger('document-intents');
  private readonly s: string;
  private readonly erp: string;
  /** Claim and attempt lease in ms. */
  readonly leaseMs: number;
  private readonly backoff: IntentBackoff;

  constructor(
    private readonly pool: Pool,
    opts: DocumentIntentsOptions,
  ) {
    this.s = schemaIdent(opts.schema);
    this.erp = opts.erp;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.backoff = { ...defaultIntentBackoff, ...opts.backoff };
    if (!(this.leaseMs >= 1000)) throw new Error(`DocumentIntents leaseMs must be at least 1000 (an ERP call must fit in it), got ${this.leaseMs}`);
  }

  /** The error context of an intent: tenant, store, order (its label), ERP, connection, document kind, ids. */
  contextOf(intent: DocumentIntent): ErrorContext {
    return {
      tenantId: intent.tenantId,
      ...(intent.storeId ? { storeId: intent.storeId } : {}),
      ...(intent.sourceKind !== 'payout' ? { orderRef: intent.sourceLabel ?? intent.sourceId } : { payoutRef: intent.sourceLabel ?? intent.sourceId }),
      erp: this.erp,
      connectionId: intent.connectionId,
      documentKind: intent.documentKind,
      intentId: intent.id,
      externalRef: intent.externalRef,
    };
  }

  /**
   * Records that the ERP document for this source is owed and returns the intent; when one exists for the same
   * tenant, connection, source and document kind, returns that one unchanged (`created: false`), so a redelivered
   * or replayed event opens nothing twice. Must be called inside the caller's transaction (the inbox transaction of
   * the handler), so the intent exists exactly when the event counts as processed. Calls no remote API.
   */
  async open<P>(tx: Tx, input: OpenIntentInput<P>): Promise<OpenedIntent<P>> {
    const problems: string[] = [];
    if (!SOURCE_KINDS.has(input.sourceKind)) problems.push(`sourceKind "${input.sourceKind}" is not one of order, refund, payout`);
    if (!DOCUMENT_KINDS.has(input.documentKind)) problems.push(`documentKind "${input.documentKind}" is not one of ${[...DOCUMENT_KINDS].join(', ')}`);
    for (const field of ['tenantId', 'connectionId', 'sourceId', 'externalRef'] as const) {
      if (typeof input[field] !== 'string' || input[field].trim() === '') problems.push(`${field} must be a non-empty string`);
    }
    if (!input.causedBy?.id || !input.causedBy.correlationId) problems.push('causedBy must carry the event id and correlationId');
    if (problems.length > 0) throw new Error(`DocumentIntents.open: ${problems.join('; ')}`);

    const inserted = await tx.query<IntentRow>(
      `INSERT INTO ${this.s}.document_intents
         (tenant_id, connection_id, store_id, source_kind, source_id, source_label, document_kind, external_ref, payload,
          correlation_id, causation_id, trace_headers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT ON CONSTRAINT uq_document_intents_source DO NOTHING
       RETURNING *`,
      [
        input.tenantId,
        input.connectionId,
        input.storeId ?? null,
        input.sourceKind,
        input.sourceId,
        input.sourceLabel ?? null,
        input.documentKind,
        input.externalRef,
        JSON.stringify(input.payload),
        input.causedBy.correlationId,
        input.causedBy.id,
        JSON.stringify(injectTraceHeaders({})),
      ],
    );
    if (inserted.rows[0]) return { intent: toIntent<P>(inserted.rows[0]), created: true };
    const existing = await tx.query<IntentRow>(
      `SELECT * FROM ${this.s}.document_intents
        WHERE tenant_id = $1 AND connection_id = $2 AND source_kind = $3 AND source_id = $4 AND document_kind = $5`,
      [input.tenantId, input.connectionId, input.sourceKind, input.sourceId, input.documentKind],
    );
    const row = existing.rows[0];
    // The conflict came from a committed row with this key, and intents are never deleted.
    if (!row) throw new Error(`DocumentIntents.open: the intent for ${input.sourceKind} ${input.sourceId} conflicted but cannot be read`);
    return { intent: toIntent<P>(row), created: false };
  }

  /**
   * Claims up to `limit` open intents that are due and not held by a live lease, and returns them oldest-due first,
   * each with a fresh `claimToken`. Rows another worker is claiming at the same moment are skipped (SKIP LOCKED); an
   * intent whose holder crashed is claimable again once its lease ran out. Runs in its own short transaction.
   */
  async claim(limit: number, opts: { workerId?: string; connectionId?: string } = {}): Promise<DocumentIntent[]> {
    const { rows } = await this.pool.query<IntentRow>(
      `WITH due AS (
         SELECT id FROM ${this.s}.document_intents
          WHERE status = 'open' AND next_attempt_at <= now()
            AND (lease_expires_at IS NULL OR lease_expires_at <= now())
            AND ($3::text IS NULL OR connection_id = $3)
          ORDER BY next_attempt_at, created_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED
       )
       UPDATE ${this.s}.document_intents d
          SET claim_token = gen_random_uuid(), claimed_by = $2,
              lease_expires_at = now() + make_interval(secs => $4::double precision / 1000), updated_at = now()
         FROM due WHERE d.id = due.id
       RETURNING d.*`,
      [limit, opts.workerId ?? null, opts.connectionId ?? null, this.leaseMs],
    );
    return rows.map((r) => toIntent(r)).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
  }

  /**
   * Commits `outcomeUnknown = true` (and counts the attempt, and renews the lease) before the caller sends the create
   * to the ERP: from here until {@link settle}, a crash or timeout leaves the flag set and the next attempt searches
   * first. Throws {@link IntentLeaseLostError} when the caller no longer holds the intent; it must then not call the ERP.
   * Must be called outside any transaction (the flag must be durable before the call).
   */
  async markAttempt(intent: DocumentIntent): Promise<void> {
    const res = await this.pool.query(
      `UPDATE ${this.s}.document_intents
          SET outcome_unknown = true, attempts = attempts + 1, last_attempt_at = now(),
              lease_expires_at = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
        WHERE id = $1 AND claim_token = $2 AND status = 'open'`,
      [intent.id, intent.claimToken, this.leaseMs],
    );
    if (res.rowCount !== 1) throw new IntentLeaseLostError(intent, this.contextOf(intent));
  }

  /**
   * Records the ERP document (number and a response summary), marks the intent settled and returns it. Must be called
   * inside the caller's transaction, so the outbox event announcing the document commits with it. Throws
   * {@link IntentLeaseLostError} when the caller no longer holds the intent (the new holder finds the document by its
   * external reference and settles it).
   */
  async settle(tx: Tx, intent: DocumentIntent, doc: DeliveredDocument): Promise<DocumentIntent> {
    const { rows } = await tx.query<IntentRow>(
      `UPDATE ${this.s}.document_intents
          SET status = 'settled', document_number = $3, erp_response_summary = $4, outcome_unknown = false, settled_at = now(),
              claim_token = NULL, claimed_by = NULL, lease_expires_at = NULL,
              error_code = NULL, error_kind = NULL, operator_message = NULL, error_detail = NULL, updated_at = now()
        WHERE id = $1 AND claim_token = $2 AND status = 'open'
       RETURNING *`,
      [intent.id, intent.claimToken, doc.documentNumber, doc.erpResponseSummary === undefined ? null : JSON.stringify(doc.erpResponseSummary)],
    );
    if (!rows[0]) throw new IntentLeaseLostError(intent, this.contextOf(intent));
    return toIntent(rows[0]);
  }

  /**
   * Records a failed delivery of a claimed intent and gives up the claim. Transient failures (classified as messaging
   * does) come back after an exponential backoff with jitter, never sooner than the error's `retryAfterMs`; permanent
   * ones and defects, and transient ones after `maxFailures` in a row, park the intent with the code and operator
   * message. `outcomeUnknown` is cleared only when the intent was claimed without it and the error proves nothing was
   * applied (`notApplied`). Pass the intent as claimed, not as changed since. Runs outside any transaction.
   */
  async fail(intent: DocumentIntent, err: unknown): Promise<FailOutcome> {
    const error = withErrorContext(err, this.contextOf(intent));
    const classified = classifyError(error);
    const e = error as { notApplied?: unknown; retryAfterMs?: unknown; detail?: unknown; message?: unknown; stack?: unknown };
    const clearUnknown = !intent.outcomeUnknown && e.notApplied === true;
    const failures = intent.failures + 1;
    const park = classified.kind !== 'transient' || failures >= this.backoff.maxFailures;
    const detail = [
      typeof e.detail === 'string' ? e.detail : undefined,
      classified.kind === 'defect' && typeof e.stack === 'string' ? e.stack : undefined,
      park && classified.kind === 'transient' ? `gave up after ${failures} failed deliveries` : undefined,
    ]
      .filter(Boolean)
      .join('\n');
    const delayMs = park ? 0 : this.delayFor(failures, typeof e.retryAfterMs === 'number' ? e.retryAfterMs : 0);
    const { rows } = await this.pool.query<IntentRow>(
      `UPDATE ${this.s}.document_intents
          SET status = CASE WHEN $3 THEN 'parked' ELSE 'open' END,
              parked_at = CASE WHEN $3 THEN now() ELSE parked_at END,
              failures = failures + 1,
              next_attempt_at = now() + make_interval(secs => $4::double precision / 1000),
              outcome_unknown = CASE WHEN $5 THEN false ELSE outcome_unknown END,
              error_code = $6, error_kind = $7, operator_message = $8, error_detail = $9,
              claim_token = NULL, claimed_by = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND claim_token = $2 AND status = 'open'
       RETURNING *`,
      [intent.id, intent.claimToken, park, delayMs, clearUnknown, classified.code, classified.kind, classified.operatorMessage, detail || null],
    );
    const row = rows[0];
    if (!row) return { status: 'lease-lost' };
    if (park) {
      this.log.warn(
        // A stack only for defects: an expected failure is fully described by its code and message.
        { intentId: intent.id, tenantId: intent.tenantId, connectionId: intent.connectionId, code: classified.code, kind: classified.kind, ...(classified.kind === 'defect' ? { err: error } : {}) },
        classified.operatorMessage,
      );
      return { status: 'parked', code: classified.code, kind: classified.kind, operatorMessage: classified.operatorMessage };
    }
    return { status: 'retry', code: classified.code, nextAttemptAt: row.next_attempt_at };
  }

  /** Gives a claimed intent back untouched (a worker shutting down), so another worker may take it at once. */
  async release(intent: DocumentIntent): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.s}.document_intents SET claim_token = NULL, claimed_by = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND claim_token = $2 AND status = 'open'`,
      [intent.id, intent.claimToken],
    );
  }

  /**
   * Puts a parked intent back into delivery (after a person fixed the cause) and returns it, or null when it is not
   * parked. `outcomeUnknown` stays as it was, so a replay after an unclear call still searches first, unless the
   * person confirmed the document is not in the ERP (`confirmedNotInErp`).
   */
  async reopen(id: string, opts: { confirmedNotInErp?: boolean } = {}): Promise<DocumentIntent | null> {
    const { rows } = await this.pool.query<IntentRow>(
      `UPDATE ${this.s}.document_intents
          SET status = 'open', failures = 0, next_attempt_at = now(), parked_at = NULL,
              outcome_unknown = CASE WHEN $2 THEN false ELSE outcome_unknown END,
              claim_token = NULL, claimed_by = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'parked'
       RETURNING *`,
      [id, opts.confirmedNotInErp === true],
    );
    return rows[0] ? toIntent(rows[0]) : null;
  }

  /**
   * Settles a parked intent with the number of a document a person found in the ERP (the "Mark as delivered" of an
   * `ERP_OUTCOME_UNKNOWN`), and returns it; null when it is not parked. Must be called inside the caller's transaction.
   */
  async settleManually(tx: Tx, id: string, doc: { documentNumber: string; note: string }): Promise<DocumentIntent | null> {
    const { rows } = await tx.query<IntentRow>(
      `UPDATE ${this.s}.document_intents
          SET status = 'settled', document_number = $2, erp_response_summary = $3, outcome_unknown = false, settled_at = now(),
              parked_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'parked'
       RETURNING *`,
      [id, doc.documentNumber, JSON.stringify({ settledBy: 'operator', note: doc.note })],
    );
    return rows[0] ? toIntent(rows[0]) : null;
  }

  /**
   * Returns the settled intent `key` names (the invoice a credit invoice refers to). When it is not settled yet,
   * throws a transient `INTENT_ORIGINAL_NOT_DELIVERED`, so the dependent intent waits with backoff instead of failing.
   * `tx` may be a pool.
   */
  async requireSettled(tx: Tx, key: IntentSourceKey, forIntent: DocumentIntent): Promise<DocumentIntent> {
    const { rows } = await tx.query<IntentRow>(
      `SELECT * FROM ${this.s}.document_intents
        WHERE tenant_id = $1 AND connection_id = $2 AND source_kind = $3 AND source_id = $4 AND document_kind = $5`,
      [key.tenantId, key.connectionId, key.sourceKind, key.sourceId, key.documentKind],
    );
    const original = rows[0] ? toIntent(rows[0]) : null;
    if (original?.status === 'settled') return original;
    const where = original === null ? 'has not been received yet' : original.status === 'parked' ? `is parked (${original.errorCode})` : 'is still on its way';
    const context = this.contextOf(forIntent);
    throw new LedgerlineError({
      code: 'INTENT_ORIGINAL_NOT_DELIVERED',
      kind: 'transient',
      operatorMessage:
        `The ${documentNoun(forIntent.documentKind)} for ${describeSubject(context)} waits for its ${documentNoun(key.documentKind)}, which ` +
        `${where} in ${this.erp}. It follows automatically once that is delivered; if the ${documentNoun(key.documentKind)} is parked, fix and ` +
        `replay it first (Sync log of the order).`,
      context,
      notApplied: true,
    });
  }

  /** Returns one intent, or null. */
  async get(id: string): Promise<DocumentIntent | null> {
    const { rows } = await this.pool.query<IntentRow>(`SELECT * FROM ${this.s}.document_intents WHERE id = $1`, [id]);
    return rows[0] ? toIntent(rows[0]) : null;
  }

  /**
   * Answers "where is order 1234?": every intent of the tenant whose source id or label (order number) is `ref`
   * (a leading `#` is ignored), oldest first, with status, document number and the last error.
   */
  async findBySource(tenantId: string, ref: string): Promise<DocumentIntent[]> {
    const { rows } = await this.pool.query<IntentRow>(
      `SELECT * FROM ${this.s}.document_intents WHERE tenant_id = $1 AND (source_id = $2 OR source_label = $2) ORDER BY created_at, id`,
      [tenantId, ref.replace(/^#/, '')],
    );
    return rows.map((r) => toIntent(r));
  }

  /** Returns the intents settled as ERP document `documentNumber` on the connection (one per document kind at most). */
  async findByDocumentNumber(connectionId: string, documentNumber: string): Promise<DocumentIntent[]> {
    const { rows } = await this.pool.query<IntentRow>(
      `SELECT * FROM ${this.s}.document_intents WHERE connection_id = $1 AND document_number = $2 ORDER BY created_at, id`,
      [connectionId, documentNumber],
    );
    return rows.map((r) => toIntent(r));
  }

  /** Returns intents newest first, filtered by status, tenant, connection or error code (the console's parked list). */
  async list(filter: IntentListFilter = {}): Promise<DocumentIntent[]> {
    const { rows } = await this.pool.query<IntentRow>(
      `SELECT * FROM ${this.s}.document_intents
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR tenant_id = $2)
          AND ($3::text IS NULL OR connection_id = $3) AND ($4::text IS NULL OR error_code = $4)
        ORDER BY created_at DESC, id LIMIT $5`,
      [filter.status ?? null, filter.tenantId ?? null, filter.connectionId ?? null, filter.errorCode ?? null, filter.limit ?? 100],
    );
    return rows.map((r) => toIntent(r));
  }

  /** Returns the backoff before the next attempt after `failures` failures (see {@link backoffDelay}). */
  delayFor(failures: number, retryAfterMs = 0): number {
    return backoffDelay(failures, this.backoff, retryAfterMs);
  }
}
