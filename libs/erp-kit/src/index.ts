// Public API of @ledgerline/erp-kit: errors operators can act on, the exactly-once document-intent ledger and its
// worker, the cross-replica rate limiter, the encrypted OAuth token store and mapping resolution. See README.md.
export { describeSubject, documentNoun, isErrorCode, LedgerlineError, type ErrorContext, type LedgerlineErrorInit } from './errors/ledgerline.error';
export { ErpAuthRevokedError, ErpOutcomeUnknownError, ErpRateLimitedError, ErpRejectedError, ErpUnavailableError } from './errors/erp.errors';
export { fromMoneyError, withErrorContext } from './errors/wrap-error';
export { MAPPING_KINDS, MappingMissingError, type MappingKind, type MappingMissingInit } from './mapping/mapping-missing.error';
export { resolveMapping, type MappingLookup, type MappingTable } from './mapping/resolve-mapping';
export { erpKitSchemaSql, ensureErpKitSchema } from './schema';
export { backoffDelay, defaultIntentBackoff, type IntentBackoff } from './intents/backoff';
export type { DeliveredDocument, DocumentIntent, DocumentKind, IntentSourceKey, IntentStatus, OpenIntentInput, SourceKind } from './intents/document-intent';
export {
  DocumentIntents,
  IntentLeaseLostError,
  type DocumentIntentsOptions,
  type FailOutcome,
  type IntentListFilter,
  type OpenedIntent,
} from './intents/document-intents.repository';
export { IntentWorker, type DeliveryContext, type DeliveryOutcome, type DeliveryPort, type DeliveryResult, type IntentWorkerOptions } from './intents/intent.worker';
export { ConnectionRateLimiter, type ConnectionRateLimiterOptions, type RateLimit } from './rate-limit/connection-rate-limiter';
export { TokenCipher, type Sealed, type TokenKey, type TokenKeyring } from './tokens/token-cipher';
export { TokenStore, type OAuthTokens, type RefreshRequest, type TokenRefresher, type TokenState, type TokenStoreOptions } from './tokens/token.store';
export { oauth2RefreshGrant, type OAuth2RefreshOptions } from './tokens/oauth2-refresh';
