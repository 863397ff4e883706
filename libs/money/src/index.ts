// Public API of @ledgerline/money: exact decimal arithmetic, currencies, VAT, allocation and rounding.
export { allocate } from './allocate';
export { cashRound } from './cash-round';
export { isKnownCurrency, knownCurrencies, minorUnitsOf } from './currencies';
export { Decimal, type DecimalInput } from './decimal';
export { CONTRACT_MAX_FRACTION_DIGITS, Money, type MoneyShape } from './money';
export { MoneyError, type MoneyErrorCode } from './money.error';
export { reconcileToTotal, type Reconciliation, type ReconcileOptions } from './reconcile';
export { RoundingMode } from './rounding-mode';
export { vatFromGross, vatFromNet, type GrossSplit, type NetWithVat } from './vat';
