import { ErpAuthRevokedError, ErpRateLimitedError, ErpRejectedError, ErpUnavailableError, type ErrorContext, type LedgerlineError } from '@ledgerline/erp-kit';
import type { ErrorInformation } from './fortnox.types';

const ERP = 'Fortnox';

/** Fortnox codes for a token that is unknown, expired or missing (errors page, seen 2026-11). */
const TOKEN_CODES = new Set([2000310, 2000311]);

/** What the client should do with a failed response. */
export type FortnoxFailure = { tokenInvalid: true; detail: string } | { tokenInvalid: false; error: LedgerlineError };

/** One failed HTTP exchange, as the client saw it. */
export interface FortnoxResponseFailure {
  method: string;
  path: string;
  status: number;
  /** The raw body (may be empty or not JSON). */
  body: string;
  context: ErrorContext;
  /** Penalty the client applied to the connection after a 429. */
  retryAfterMs?: number;
}

/** Reads `ErrorInformation` in either spelling: live Fortnox answers lowercase, the OpenAPI declares PascalCase. */
export function readErrorInformation(body: string): { code: number | undefined; message: string | undefined } {
  let parsed: unknown;
  try {
    parsed = body === '' ? {} : JSON.parse(body);
  } catch {
    return { code: undefined, message: undefined };
  }
  const info = ((parsed as { ErrorInformation?: ErrorInformation } | null)?.ErrorInformation ?? {}) as ErrorInformation;
  const rawCode = info.code ?? info.Code;
  const code = rawCode === undefined || rawCode === null || rawCode === '' ? undefined : Number(rawCode);
  return { code: Number.isFinite(code) ? code : undefined, message: info.message ?? info.Message };
}

/**
 * Classifies a failed Fortnox response into a LedgerlineError, once, at the client edge (STYLE.md §5): a token
 * problem (401/403 with 2000310/2000311) is reported so the client can refresh and retry once; 429 is transient and
 * not applied; 5xx is transient with an unknown outcome for writes; any other 4xx is a permanent rejection carrying
 * Fortnox's message and code. Codes in the sandbox-only 2999xxx range are classified by status alone.
 */
export function parseFortnoxError(f: FortnoxResponseFailure): FortnoxFailure {
  const { code, message } = readErrorInformation(f.body);
  const vendorMessage = message ?? f.body.slice(0, 200);
  const detail = `${f.method} ${f.path}: HTTP ${f.status}, Fortnox ${code ?? '?'} ${vendorMessage}`;
  const context = { ...f.context, erp: ERP };
  // Fortnox documents 403 for failed authentication; the sandbox answers 401 (sandbox README). Both mean the token.
  if ((f.status === 401 || f.status === 403) && (code === undefined || TOKEN_CODES.has(code))) return { tokenInvalid: true, detail };
  if (f.status === 429) {
    return { tokenInvalid: false, error: new ErpRateLimitedError({ erp: ERP, context, detail, ...(f.retryAfterMs === undefined ? {} : { retryAfterMs: f.retryAfterMs }) }) };
  }
  if (f.status >= 500) {
    return { tokenInvalid: false, error: new ErpUnavailableError({ erp: ERP, context, detail, outcome: f.method === 'GET' ? 'not-applied' : 'unknown' }) };
  }
  if (f.status === 401 || f.status === 403) {
    return { tokenInvalid: false, error: new ErpAuthRevokedError({ erp: ERP, context, detail }) };
  }
  return {
    tokenInvalid: false,
    error: new ErpRejectedError({
      erp: ERP,
      context,
      reason: `Fortnox error ${code ?? f.status}: "${vendorMessage}"`,
      action: "Correct the order, the tenant's mappings or the Fortnox company settings accordingly, then replay.",
      ...(code === undefined ? {} : { vendorCode: code }),
      detail,
    }),
  };
}

/** A request that got no answer (timeout, reset): a write may have landed, a read changed nothing. */
export function unanswered(method: string, path: string, context: ErrorContext, cause: unknown): LedgerlineError {
  return new ErpUnavailableError({
    erp: ERP,
    context: { ...context, erp: ERP },
    outcome: method === 'GET' ? 'not-applied' : 'unknown',
    detail: `${method} ${path}: ${(cause as Error)?.message ?? String(cause)}`,
    cause,
  });
}

/** Fortnox gave up re-authorising after a refreshed token was refused too. */
export function authRevoked(context: ErrorContext, detail: string): LedgerlineError {
  return new ErpAuthRevokedError({ erp: ERP, context: { ...context, erp: ERP }, detail });
}
