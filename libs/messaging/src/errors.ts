/** How a failure is handled: retried (transient), parked for a person (permanent), or parked and alerted as a bug (defect). */
export type ErrorKind = 'transient' | 'permanent' | 'defect';

/** A failure classified for the consumer pipeline. */
export interface Classified {
  kind: ErrorKind;
  code: string;
  operatorMessage: string;
}

/**
 * An error raised by messaging itself, with a stable code and a message an operator can act on.
 * Any error carrying `kind`, `code` and `operatorMessage` (such as erp-kit's LedgerlineError) is classified the same way.
 */
export class MessagingError extends Error implements Classified {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    readonly operatorMessage: string,
    options?: { cause?: unknown },
  ) {
    super(operatorMessage, options);
    this.name = 'MessagingError';
  }
}

/** Thrown by a handler to say "retry me later": the message is retried with backoff, then parked. */
export class TransientError extends MessagingError {
  constructor(code: string, operatorMessage: string, options?: { cause?: unknown }) {
    super(code, 'transient', operatorMessage, options);
    this.name = 'TransientError';
  }
}

/** Thrown by a handler to say "this will fail until a person changes something": parked at once. */
export class PermanentError extends MessagingError {
  constructor(code: string, operatorMessage: string, options?: { cause?: unknown }) {
    super(code, 'permanent', operatorMessage, options);
    this.name = 'PermanentError';
  }
}

// PostgreSQL SQLSTATEs that say "try again": connection trouble, serialization failures, deadlocks,
// too many connections, the server shutting down. https://www.postgresql.org/docs/current/errcodes-appendix.html
const TRANSIENT_SQLSTATE = /^(08...|40001|40P01|53300|57P01|57P02|57P03|55P03)$/;
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/** Returns how the pipeline treats `err`: its own classification when it has one, else a best reading of database and network errors, else a defect. */
export function classifyError(err: unknown): Classified {
  if (err && typeof err === 'object') {
    const e = err as { kind?: unknown; code?: unknown; operatorMessage?: unknown; message?: unknown };
    if ((e.kind === 'transient' || e.kind === 'permanent' || e.kind === 'defect') && typeof e.code === 'string') {
      return { kind: e.kind, code: e.code, operatorMessage: String(e.operatorMessage ?? e.message ?? e.code) };
    }
    if (typeof e.code === 'string' && (TRANSIENT_SQLSTATE.test(e.code) || TRANSIENT_NODE_CODES.has(e.code))) {
      return {
        kind: 'transient',
        code: 'INFRA_DATABASE_UNAVAILABLE',
        operatorMessage: `The database or network failed while handling the event (${e.code}: ${String(e.message)}). It is retried automatically; if it stays parked, check database health and replay.`,
      };
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    kind: 'defect',
    code: 'UNEXPECTED',
    operatorMessage: `An unexpected error stopped this event (${message}). This is a Ledgerline defect: report it with the trace id from the logs; replay once it is fixed.`,
  };
}
