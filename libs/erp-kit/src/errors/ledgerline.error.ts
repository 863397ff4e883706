import type { Classified, ErrorKind } from '@ledgerline/messaging';

/**
 * The business objects a failure is about. Operator messages are built from these; logs and parked rows carry them
 * as structured fields. Ids are what Ledgerline stores; names (`tenantName`, `storeName`) are what a person reads,
 * used in messages when known.
 */
export interface ErrorContext {
  tenantId?: string;
  tenantName?: string;
  storeId?: string;
  storeName?: string;
  /** The order number the customer and the merchant see (`"1234"`, `"WC-2024-0042"`). */
  orderRef?: string;
  /** The ERP as operators name it: `"Fortnox"`, `"Visma.net"`. */
  erp?: string;
  connectionId?: string;
  documentKind?: string;
  intentId?: string;
  externalRef?: string;
  [key: string]: string | number | boolean | null | undefined;
}

/** What {@link LedgerlineError}'s constructor takes. */
export interface LedgerlineErrorInit {
  /** `<AREA>_<THING>_<PROBLEM>`, stable forever: parked rows, alerts and dashboards key on it. */
  code: string;
  kind: ErrorKind;
  /**
   * What failed, on which business object, and what the person should change (STYLE.md §5). No stack, no bare status.
   * A function is given the error's context each time the message is read, so context added later by
   * {@link LedgerlineError.withContext} (the order, the store) shows in the message.
   */
  operatorMessage: string | ((context: ErrorContext) => string);
  context?: ErrorContext;
  /** Technical detail for logs and the parked row (vendor code, response excerpt); never shown as the operator message. */
  detail?: string;
  /**
   * True when the failure proves the ERP did not apply the request (a validation rejection, a 429, a refused
   * connection, a mapping that failed before any call), so the next attempt need not search before creating.
   * Default false: when in doubt the outcome is unknown.
   */
  notApplied?: boolean;
  /** For transient failures: do not try again before this many ms (a 429's Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
}

/** `<AREA>_<THING>_<PROBLEM>`: upper-case words, at least three, joined by underscores. */
const CODE_FORM = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+){2,}$/;

/** Tells whether `code` has the `<AREA>_<THING>_<PROBLEM>` form STYLE.md §3 asks for. */
export function isErrorCode(code: string): boolean {
  return CODE_FORM.test(code);
}

/**
 * Every failure Ledgerline expects: a stable `code`, a `kind` that decides retry (transient), parking for a person
 * (permanent) or parking plus an alert (defect), structured `context`, and an `operatorMessage` a person can act on.
 *
 * `classifyError` from `@ledgerline/messaging` reads `kind`, `code` and `operatorMessage`, so a handler or worker can
 * throw these as they are.
 */
export class LedgerlineError extends Error implements Classified {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly context: ErrorContext;
  readonly detail: string | undefined;
  readonly notApplied: boolean;
  readonly retryAfterMs: number | undefined;
  private readonly compose: (context: ErrorContext) => string;

  constructor(init: LedgerlineErrorInit) {
    super('', init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.kind = init.kind;
    const text = init.operatorMessage;
    this.compose = typeof text === 'function' ? text : () => text;
    // `message` follows the operator message, so logs show the same text with the latest context.
    Object.defineProperty(this, 'message', { get: () => this.operatorMessage, enumerable: false, configurable: true });
    Object.defineProperty(this, 'compose', { enumerable: false });
    this.context = { ...init.context };
    this.detail = init.detail;
    this.notApplied = init.notApplied ?? false;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** What failed, on which object, and what to change, composed from the current context. */
  get operatorMessage(): string {
    return this.compose(this.context);
  }

  /** Returns this error with `extra` added to its context; keys it already has are kept, since the thrower knew better. */
  withContext(extra: ErrorContext): this {
    for (const [key, value] of Object.entries(extra)) {
      if (this.context[key] === undefined && value !== undefined) this.context[key] = value;
    }
    return this;
  }

  /** A log- and JSON-friendly view: code, kind, operatorMessage, context and detail (no stack). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, kind: this.kind, operatorMessage: this.operatorMessage, context: this.context, detail: this.detail };
  }
}

const quoted = (value: string) => `"${value}"`;

/**
 * Returns how operator messages name the object of `context`: `order #1234 (store "nordic-shop", tenant "acme")`,
 * falling back to ids when names are unknown and to `connection "…"` when there is no order.
 */
export function describeSubject(context: ErrorContext): string {
  const around: string[] = [];
  const store = context.storeName ?? context.storeId;
  if (store) around.push(`store ${quoted(store)}`);
  const tenant = context.tenantName ?? context.tenantId;
  if (tenant) around.push(`tenant ${quoted(tenant)}`);
  let head: string;
  if (context.orderRef) head = `order #${String(context.orderRef).replace(/^#/, '')}`;
  else if (context.connectionId) head = `connection ${quoted(context.connectionId)}`;
  else head = 'this event';
  return around.length > 0 ? `${head} (${around.join(', ')})` : head;
}

/** `invoice`, `credit invoice`: a document kind as a person reads it. */
export function documentNoun(documentKind: string | undefined): string {
  return (documentKind ?? 'document').replace(/-/g, ' ');
}
