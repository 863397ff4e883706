/**
 * @ledgerline/sandbox-fortnox: a stand-in Fortnox API v3 for tests and demos, following the stored
 * contract in ../shared/contracts/erp/fortnox/ (OAuth2 with single-use refresh tokens, customers,
 * articles, invoices with Fortnox-computed totals, invoice payments, warehouse stock balances,
 * ErrorInformation errors, the 25-per-5-s rate limit) plus fault injection. See README.md for what is
 * implemented, what is guessed, and the error codes used.
 */
export { startFortnoxSandbox, type FortnoxSandbox, type FortnoxSandboxOptions } from './fortnox-sandbox';
export {
  FortnoxState,
  DEFAULT_STOCK_POINT,
  DEFAULT_VOUCHER_SERIES,
  type FinancialYear,
  type FortnoxTenant,
  type FortnoxObject,
  type SetStockInput,
  type StockBalance,
  type StoredVoucher,
  type StoredVoucherSeries,
} from './state/fortnox.state';
export type { FortnoxFaults, FailNextOptions, TimeoutAfterStoreOptions, FaultMatch } from './faults/fortnox.faults';
export type { FortnoxSandboxControl } from './control/sandbox-control';
export type { ErrorKeyCase } from './errors/fortnox.error';
export type { TokenResponse } from './oauth/token.store';
