import { describeSubject, documentNoun, LedgerlineError, type ErrorContext } from './ledgerline.error';

/** Fields every ERP error takes. `erp` is the ERP as operators name it (`"Fortnox"`). */
interface ErpErrorBase {
  erp: string;
  context?: ErrorContext;
  detail?: string;
  cause?: unknown;
}

const erpOf = (init: ErpErrorBase): ErrorContext => ({ ...init.context, erp: init.erp });

// Operator messages are functions of the context, so the order and store added by the worker after the client threw
// (LedgerlineError.withContext) appear in them.

/**
 * The ERP refused the document for a reason a person must fix (validation, a closed period, an unknown customer):
 * permanent, and the ERP stored nothing. The client's error parser supplies `reason` (in words, from the vendor's
 * code) and `action` (what to change, naming the screen or setting).
 */
export class ErpRejectedError extends LedgerlineError {
  /** The vendor's own error code, for support; never interpreted past the client edge. */
  readonly vendorCode: string | undefined;

  constructor(init: ErpErrorBase & { reason: string; action: string; vendorCode?: string | number; code?: string }) {
    super({
      code: init.code ?? 'ERP_DOCUMENT_REJECTED',
      kind: 'permanent',
      operatorMessage: (c) => `${init.erp} rejected the ${documentNoun(c.documentKind)} for ${describeSubject(c)}: ${init.reason}. ${init.action}`,
      context: erpOf(init),
      detail: init.detail ?? (init.vendorCode === undefined ? undefined : `vendor code ${init.vendorCode}`),
      notApplied: true,
      cause: init.cause,
    });
    this.vendorCode = init.vendorCode === undefined ? undefined : String(init.vendorCode);
  }
}

/**
 * The ERP did not answer usefully (timeout, reset, 5xx, DNS): transient, retried with backoff. `outcome` says whether
 * the request may have landed: `'unknown'` (a timeout after sending, a 5xx) makes the next attempt search by external
 * reference before creating; `'not-applied'` (connection refused, a read) does not.
 */
export class ErpUnavailableError extends LedgerlineError {
  constructor(init: ErpErrorBase & { outcome: 'unknown' | 'not-applied'; code?: string }) {
    super({
      code: init.code ?? 'ERP_SERVICE_UNAVAILABLE',
      kind: 'transient',
      operatorMessage: (c) =>
        `${init.erp} did not answer while Ledgerline worked on the ${documentNoun(c.documentKind)} for ${describeSubject(c)}` +
        `${init.detail ? ` (${init.detail})` : ''}. Ledgerline retries automatically; if it stays parked, check ${init.erp}'s status page ` +
        `and that Ledgerline can reach ${init.erp}, then replay.`,
      context: erpOf(init),
      detail: init.detail,
      notApplied: init.outcome === 'not-applied',
      cause: init.cause,
    });
  }
}

/**
 * The ERP no longer accepts the connection's authorisation (refresh token revoked, expired or already used;
 * OAuth `invalid_grant`): permanent until a person re-authorises the connection in the console.
 */
export class ErpAuthRevokedError extends LedgerlineError {
  constructor(init: ErpErrorBase) {
    super({
      code: 'ERP_AUTH_REVOKED',
      kind: 'permanent',
      operatorMessage: (c) => {
        const tenant = c.tenantName ?? c.tenantId;
        return (
          `${init.erp} no longer accepts Ledgerline's authorisation for connection "${c.connectionId ?? '?'}"` +
          `${tenant ? ` (tenant "${tenant}")` : ''}, so nothing can be sent to ${init.erp}. Re-authorise the connection in the console ` +
          `under Connections → ${init.erp} → Re-authorise, then replay the parked documents.`
        );
      },
      context: erpOf(init),
      detail: init.detail,
      notApplied: true,
      cause: init.cause,
    });
  }
}

/**
 * The ERP answered 429, or no rate-limit slot for the connection came free in time: transient, nothing was applied.
 * `retryAfterMs` holds the next attempt back at least that long.
 */
export class ErpRateLimitedError extends LedgerlineError {
  constructor(init: ErpErrorBase & { retryAfterMs?: number; code?: 'ERP_RATE_LIMITED' | 'ERP_RATE_LIMIT_WAIT_EXCEEDED' }) {
    const code = init.code ?? 'ERP_RATE_LIMITED';
    super({
      code,
      kind: 'transient',
      operatorMessage: (c) =>
        (code === 'ERP_RATE_LIMITED'
          ? `${init.erp} refused a request for ${describeSubject(c)} because the connection's request limit was reached`
          : `No ${init.erp} request slot came free in time for ${describeSubject(c)}: the connection is at its request limit`) +
        `. Ledgerline retries automatically; if documents stay parked, other integrations may be using the same ${init.erp} account's limit: check them, then replay.`,
      context: erpOf(init),
      detail: init.detail,
      notApplied: true,
      retryAfterMs: init.retryAfterMs,
      cause: init.cause,
    });
  }
}

/**
 * A create may have landed but the ERP offers no search by external reference, so Ledgerline cannot tell without a
 * person: permanent. The person checks the ERP, then either records the document number or replays.
 */
export class ErpOutcomeUnknownError extends LedgerlineError {
  constructor(init: ErpErrorBase) {
    super({
      code: 'ERP_OUTCOME_UNKNOWN',
      kind: 'permanent',
      operatorMessage: (c) => {
        const noun = documentNoun(c.documentKind);
        return (
          `Ledgerline cannot tell whether ${init.erp} created the ${noun} for ${describeSubject(c)}: an earlier call did not complete ` +
          `and ${init.erp} cannot be searched by the external reference "${c.externalRef ?? '?'}". Look for the ${noun} in ${init.erp}. ` +
          `If it exists, record its number under Sync log → Mark as delivered; if it does not, replay with "not in ERP" confirmed.`
        );
      },
      context: erpOf(init),
      detail: init.detail,
      cause: init.cause,
    });
  }
}
