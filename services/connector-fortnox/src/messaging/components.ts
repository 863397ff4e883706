import type { Pool } from 'pg';
import { ConnectionRateLimiter, DocumentIntents, oauth2RefreshGrant, TokenCipher, TokenStore, type TokenRefresher } from '@ledgerline/erp-kit';
import { FortnoxClient } from '../client/fortnox.client';
import type { ConnectorFortnoxConfig } from '../config/connector-fortnox.config';
import { FortnoxInvoicePort, invoiceDeliveryWorker } from '../orders/invoice-delivery.worker';
import { OrderPlacedHandler } from '../orders/order-placed.handler';
import { StoreRepository } from '../persistence/store.repository';

export const ERP = 'Fortnox';

/** The settings the components need (a subset of the service config, so tests can build replicas directly). */
export type ComponentSettings = Pick<
  ConnectorFortnoxConfig,
  'schema' | 'fortnoxApiBaseUrl' | 'fortnoxTokenUrl' | 'fortnoxClientId' | 'fortnoxClientSecret' | 'tokenKey' | 'requestTimeoutMs' | 'rateLimit' | 'workerIdleMs' | 'intentLeaseMs' | 'backoffBaseMs' | 'backoffMaxMs'
>;

/** Everything that holds state for one replica over one database pool. */
export interface FortnoxComponents {
  store: StoreRepository;
  intents: DocumentIntents;
  tokens: TokenStore;
  refresher: TokenRefresher;
  limiter: ConnectionRateLimiter;
  client: FortnoxClient;
  port: FortnoxInvoicePort;
  handler: OrderPlacedHandler;
  worker: ReturnType<typeof invoiceDeliveryWorker>;
}

/** Builds one replica's components over `pool`. */
export function buildFortnoxComponents(settings: ComponentSettings, pool: Pool): FortnoxComponents {
  const schema = settings.schema;
  const store = new StoreRepository(schema);
  const intents = new DocumentIntents(pool, { schema, erp: ERP, leaseMs: settings.intentLeaseMs, backoff: { baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs } });
  const cipher = new TokenCipher({ current: settings.tokenKey });
  const tokens = new TokenStore(pool, { schema, erp: ERP, cipher });
  const refresher = oauth2RefreshGrant({ erp: ERP, tokenUrl: settings.fortnoxTokenUrl, clientId: settings.fortnoxClientId, clientSecret: settings.fortnoxClientSecret });
  // The limiter's window is widened by its safety margin; Fortnox's 429 carries no Retry-After, so wait one window.
  const limiter = new ConnectionRateLimiter(pool, { schema, erp: ERP, limit: settings.rateLimit, safetyMarginMs: 300 });
  const client = new FortnoxClient({
    baseUrl: settings.fortnoxApiBaseUrl,
    tokens,
    refresher,
    limiter,
    requestTimeoutMs: settings.requestTimeoutMs,
    rateLimitPenaltyMs: settings.rateLimit.windowMs,
  });
  const port = new FortnoxInvoicePort(client, intents, store, pool);
  const handler = new OrderPlacedHandler(intents, store);
  const worker = invoiceDeliveryWorker({ pool, intents, port, store, idleMs: settings.workerIdleMs });
  return { store, intents, tokens, refresher, limiter, client, port, handler, worker };
}
