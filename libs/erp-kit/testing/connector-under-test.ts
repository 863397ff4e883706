import type { Pool } from 'pg';
import type { DocumentIntents, DocumentKind, IntentWorker, OpenIntentInput, RateLimit } from '../src';

/** What a connector can do; the contract suite defines the tests that apply. */
export interface ConnectorCapabilities {
  /** The ERP has credit invoices linked to their original (refunds become credit notes). */
  supportsCreditNotes: boolean;
  /** The ERP can be searched by the external reference stamped on a document, so an unknown outcome can be resolved. */
  searchableExternalRef: boolean;
}

/** A document as read straight from the ERP (not from Ledgerline's tables). */
export interface ErpDocumentView {
  documentNumber: string;
  externalRef: string;
  /** True for a credit invoice / credit note. */
  isCredit: boolean;
  /** For a credit: the number of the document it credits; otherwise null. */
  creditOf: string | null;
}

/** One replica of the connector: its own worker, rate limiter and token store instances over the shared database. */
export interface ConnectorReplica {
  /** The connector's delivery worker for the documents the suite opens. */
  worker: Pick<IntentWorker, 'drain'>;
  /** An access token for the connection, through the connector's token store and refresher. */
  accessToken(): Promise<string>;
}

/**
 * A connector wired to its sandbox and a real PostgreSQL schema, as {@link runConnectorContract} drives it.
 * Configure it for fast tests: transient backoff of at most 200 ms, ERP calls that time out within 1 s, and a
 * small rate limit (set identically at the sandbox and in the connector), e.g. 5 requests per 1000 ms.
 */
export interface ConnectorUnderTest {
  /** The ERP as operators name it. */
  erp: string;
  pool: Pool;
  /** The connector's document ledger. */
  intents: DocumentIntents;
  connection: { tenantId: string; connectionId: string };
  /** The limit the sandbox enforces per connection, and the connector keeps to. */
  rateLimit: RateLimit;
  /** A new replica: separate instances (and database pool) of everything that holds state in memory. */
  replica(): ConnectorReplica;
  /**
   * A handler's `open()` input for a new store order with `orderNumber`. `taxCodeMapped: false` gives the order a
   * tax rate the tenant's mapping lacks until {@link mapMissingTaxCode}.
   */
  orderIntent(orderNumber: string, opts?: { taxCodeMapped?: boolean }): OpenIntentInput;
  /** Adds the tax code `orderIntent(…, { taxCodeMapped: false })` lacks to the tenant's mapping. */
  mapMissingTaxCode(): Promise<void>;
  /** A handler's `open()` input for a full refund `refundId` of order `orderNumber` (credit invoices only). */
  refundIntent?(orderNumber: string, refundId: string): OpenIntentInput;
  /** The ERP side, through the sandbox: what is really there, and faults. */
  erpSide: {
    /** Documents in the ERP whose external reference is exactly `ref`. */
    documentsWithExternalRef(ref: string): Promise<ErpDocumentView[]>;
    /** The ERP stores the next create of `documentKind` and never answers it. */
    timeoutAfterStoreOnNextCreate(documentKind: DocumentKind): void;
    /** Requests the ERP refused with 429 so far. */
    rateLimitedRequests(): number;
    /** Requests its OAuth token endpoint received so far. */
    tokenRequests(): number;
    /** From now on the ERP refuses every access token issued so far (as after their expiry). */
    expireAccessTokens(): void;
  };
  /** Marks the stored access token due for refresh, as if its expiry had passed. */
  expireStoredAccessToken(): Promise<void>;
  close(): Promise<void>;
}
