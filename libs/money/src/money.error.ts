/**
 * Stable codes of {@link MoneyError}; never renamed, because parked rows and alerts key on them.
 *
 * - `MONEY_AMOUNT_INVALID`: the input is not an exact decimal (a float, `"1e3"`, `"12,50"`, `null`).
 * - `MONEY_CURRENCY_UNKNOWN`: the code is not in the ISO 4217 table, or has no minor unit there.
 * - `MONEY_CURRENCY_MISMATCH`: two amounts in different currencies were combined or compared.
 * - `MONEY_PRECISION_LOSS`: the result would need rounding and no rounding mode was given.
 * - `MONEY_DIVISION_BY_ZERO`: a division or rate conversion by zero.
 * - `MONEY_ARGUMENT_INVALID`: any other argument out of range (negative rate or weight, bad scale, empty list).
 * - `MONEY_ALLOCATION_WEIGHTS_ZERO`: an allocation whose weights are all zero.
 * - `MONEY_TOTAL_MISMATCH`: lines differ from the document total by more than the rounding tolerance.
 */
export type MoneyErrorCode =
  | 'MONEY_AMOUNT_INVALID'
  | 'MONEY_CURRENCY_UNKNOWN'
  | 'MONEY_CURRENCY_MISMATCH'
  | 'MONEY_PRECISION_LOSS'
  | 'MONEY_DIVISION_BY_ZERO'
  | 'MONEY_ARGUMENT_INVALID'
  | 'MONEY_ALLOCATION_WEIGHTS_ZERO'
  | 'MONEY_TOTAL_MISMATCH';

/**
 * Raised by every `@ledgerline/money` function on input it cannot compute exactly: the caller gets a
 * stable `code` and a message that names the offending values.
 *
 * It is always `permanent`: the same amounts fail the same way on retry. This library does not know the
 * order or tenant, so a connector that catches it wraps it in its own error with an `operatorMessage`.
 */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';
  readonly kind = 'permanent' as const;
  readonly code: MoneyErrorCode;

  constructor(code: MoneyErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
