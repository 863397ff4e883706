import { MoneyError } from '@ledgerline/money';
import { describeSubject, documentNoun, LedgerlineError, type ErrorContext } from './ledgerline.error';

/**
 * Returns a permanent {@link LedgerlineError} for a {@link MoneyError}: same stable code (`MONEY_TOTAL_MISMATCH`, …),
 * the money library's message (which names the amounts) as detail and inside the operator message, plus the order.
 * `@ledgerline/money` cannot know the order or tenant, so the connector wraps its errors here.
 */
export function fromMoneyError(err: MoneyError, context: ErrorContext): LedgerlineError {
  return new LedgerlineError({
    code: err.code,
    kind: 'permanent',
    operatorMessage: (c) =>
      `The amounts of ${describeSubject(c)} cannot be turned into ${c.erp ? `a ${c.erp}` : 'an ERP'} ${documentNoun(c.documentKind)}: ${err.message}. ` +
      `Check the order's totals, taxes and currency in the store (and the tenant's rounding settings); replay once they are right, ` +
      `or report it with code ${err.code} if they already are.`,
    context,
    detail: err.message,
    notApplied: true,
    cause: err,
  });
}

/**
 * Returns `err` ready for classification with `context` attached: a {@link LedgerlineError} gains the context keys it
 * lacks, a {@link MoneyError} is wrapped by {@link fromMoneyError}, anything else is returned unchanged (messaging's
 * `classifyError` then reads it as an infrastructure failure or a defect).
 */
export function withErrorContext(err: unknown, context: ErrorContext): unknown {
  if (err instanceof LedgerlineError) return err.withContext(context);
  if (isMoneyError(err)) return fromMoneyError(err, context);
  return err;
}

// By name as well as by class: a second copy of @ledgerline/money (or a Jest module registry) has its own class.
function isMoneyError(err: unknown): err is MoneyError {
  return err instanceof MoneyError || (err instanceof Error && err.name === 'MoneyError' && typeof (err as { code?: unknown }).code === 'string');
}
