import type { CausedBy } from '@ledgerline/contracts';

/** What caused an ERP document: a store order, a refund, or a PSP payout. */
export type SourceKind = 'order' | 'refund' | 'payout';

/** The ERP document Ledgerline owes for a source. */
export type DocumentKind = 'invoice' | 'credit-invoice' | 'sales-order' | 'voucher' | 'payment';

/**
 * `open`: owed, waiting for (or in) delivery; `settled`: the ERP document exists and its number is recorded;
 * `parked`: a person must act (see `errorCode`/`operatorMessage`), then reopen it.
 */
export type IntentStatus = 'open' | 'settled' | 'parked';

/** One row of `document_intents`, as workers and the console see it. */
export interface DocumentIntent<P = unknown> {
  id: string;
  tenantId: string;
  connectionId: string;
  storeId: string | null;
  sourceKind: SourceKind;
  sourceId: string;
  /** What a person searches for: the order number the customer sees. */
  sourceLabel: string | null;
  documentKind: DocumentKind;
  /** Stamped on the ERP document; what a worker searches by when an earlier call's outcome is unknown. */
  externalRef: string;
  /** The connector's input for the document, copied from the event by the handler. */
  payload: P;
  /** The chain's correlation id, so `envelope.of(event, { causedBy: intent })` continues the causing event's chain. */
  correlationId: string;
  /** Id of the event that opened the intent. */
  causationId: string;
  /** W3C trace context of the handler that opened the intent; the worker's span continues it. */
  traceHeaders: Record<string, string>;
  status: IntentStatus;
  /**
   * True from the moment a create call starts until the intent is settled or a failure proves nothing was applied:
   * a worker that sees it set searches the ERP by `externalRef` before creating.
   */
  outcomeUnknown: boolean;
  /** ERP create calls started. */
  attempts: number;
  /** Failed deliveries since the intent was opened or last reopened; drives the backoff. */
  failures: number;
  nextAttemptAt: Date;
  /** Set while a worker holds the intent; every write by that worker must present it. */
  claimToken: string | null;
  claimedBy: string | null;
  leaseExpiresAt: Date | null;
  documentNumber: string | null;
  erpResponseSummary: Record<string, unknown> | null;
  errorCode: string | null;
  errorKind: string | null;
  operatorMessage: string | null;
  errorDetail: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastAttemptAt: Date | null;
  settledAt: Date | null;
  parkedAt: Date | null;
}

/** What {@link DocumentIntents.open} takes. */
export interface OpenIntentInput<P = unknown> {
  tenantId: string;
  connectionId: string;
  storeId?: string | null;
  sourceKind: SourceKind;
  /** The source's stable id (the store's order id, the refund id, the payout transaction id). */
  sourceId: string;
  /** What a person searches for (the order number); defaults to nothing. */
  sourceLabel?: string | null;
  documentKind: DocumentKind;
  /** Unique per connection and document kind, and within the ERP's field length (Fortnox: 80). */
  externalRef: string;
  payload: P;
  /** The event being handled (an envelope satisfies this). */
  causedBy: CausedBy;
}

/** The ERP's answer for a delivered document. */
export interface DeliveredDocument {
  documentNumber: string;
  /** A small summary for the sync log (totals, ERP status); not the whole response. */
  erpResponseSummary?: Record<string, unknown>;
}

/** Identifies the intent another one depends on (a credit invoice on its invoice). */
export interface IntentSourceKey {
  tenantId: string;
  connectionId: string;
  sourceKind: SourceKind;
  sourceId: string;
  documentKind: DocumentKind;
}
