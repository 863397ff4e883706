import type { Pool, PoolClient } from 'pg';
import { deploymentTopic, Topics } from '@ledgerline/contracts';
import {
  ConnectionRateLimiter,
  DocumentIntents,
  IntentWorker,
  oauth2RefreshGrant,
  TokenCipher,
  TokenStore,
  type DeliveredDocument,
  type DeliveryContext,
  type DeliveryPort,
  type DocumentIntent,
  type TokenRefresher,
} from '@ledgerline/erp-kit';
import { ConfigMaterialiser, OutboxWriter } from '@ledgerline/messaging';
import { FortnoxClient } from '../client/fortnox.client';
import type { ConnectorFortnoxConfig } from '../config/connector-fortnox.config';
import { controlConfigMappingsHandler } from '../mappings/control-config-mappings.handler';
import { FortnoxInvoicePort, settleOrderDocument, type Payload as OrderPayload, type Prepared as OrderPrepared } from '../orders/invoice-delivery.worker';
import { OrderPlacedHandler } from '../orders/order-placed.handler';
import { PayoutBookingHandler } from '../payouts/payout-booking.handler';
import type { PayoutBookingIntentPayload } from '../payouts/payout-booking.mapper';
import { FortnoxPayoutPort, type PreparedBooking } from '../payouts/payout-booking.port';
import { settlePayoutBooking } from '../payouts/payout-booking.settle';
import { StoreRepository } from '../persistence/store.repository';

export const ERP = 'Fortnox';

/** The settings the components need (a subset of the service config, so tests can build replicas directly). */
export type ComponentSettings = Pick<
  ConnectorFortnoxConfig,
  | 'schema'
  | 'fortnoxApiBaseUrl'
  | 'fortnoxTokenUrl'
  | 'fortnoxClientId'
  | 'fortnoxClientSecret'
  | 'tokenKey'
  | 'requestTimeoutMs'
  | 'rateLimit'
  | 'workerIdleMs'
  | 'intentLeaseMs'
  | 'backoffBaseMs'
  | 'backoffMaxMs'
  | 'topicSuffix'
  | 'payoutVoucherSeries'
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
  payoutPort: FortnoxPayoutPort;
  handler: OrderPlacedHandler;
  payoutHandler: PayoutBookingHandler;
  /** Drains every document intent of the schema: order documents and payout bookings. */
  worker: IntentWorker;
  /** Materialises the control plane's configuration records this connector uses (the Fortnox mappings). */
  config: ConfigMaterialiser;
}

/** The stream `erp-document.recorded` goes to. */
export function erpDocumentsTopic(settings: Pick<ConnectorFortnoxConfig, 'topicSuffix'>): string {
  return deploymentTopic(Topics.erpDocuments, settings.topicSuffix);
}

/**
 * One delivery port over the intent table, which holds both flows: payout bookings (source kind `payout`) go to the
 * payout port, everything else to the invoice port. One worker then claims in due order across both.
 */
class FortnoxDeliveryPort implements DeliveryPort<unknown, unknown> {
  constructor(
    private readonly orders: FortnoxInvoicePort,
    private readonly payouts: FortnoxPayoutPort,
  ) {}

  prepare(intent: DocumentIntent): unknown {
    return isPayout(intent) ? this.payouts.prepare(intent) : this.orders.prepare(intent as DocumentIntent<OrderPayload>);
  }

  findByExternalRef(intent: DocumentIntent, ctx: DeliveryContext): Promise<DeliveredDocument | null> {
    return isPayout(intent) ? this.payouts.findByExternalRef(intent, ctx) : this.orders.findByExternalRef(intent as DocumentIntent<OrderPayload>, ctx);
  }

  create(intent: DocumentIntent, prepared: unknown, ctx: DeliveryContext): Promise<DeliveredDocument> {
    return isPayout(intent) ? this.payouts.create(intent, prepared as PreparedBooking, ctx) : this.orders.create(intent as DocumentIntent<OrderPayload>, prepared as OrderPrepared, ctx);
  }
}

function isPayout(intent: DocumentIntent): intent is DocumentIntent<PayoutBookingIntentPayload> {
  return intent.sourceKind === 'payout';
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
  const payoutPort = new FortnoxPayoutPort(client, intents, { voucherSeries: settings.payoutVoucherSeries });
  const handler = new OrderPlacedHandler(intents, store);
  const payoutHandler = new PayoutBookingHandler(intents, store);
  const announcer = { outbox: new OutboxWriter(schema), topic: erpDocumentsTopic(settings) };
  const worker = new IntentWorker<unknown, unknown>({
    pool,
    intents,
    port: new FortnoxDeliveryPort(port, payoutPort),
    idleMs: settings.workerIdleMs,
    batchSize: 10,
    concurrency: 2,
    onSettled: (tx: PoolClient, intent, doc) =>
      isPayout(intent) ? settlePayoutBooking(tx, store, intent, doc) : settleOrderDocument(tx, { intents, store, announcer }, intent as DocumentIntent<OrderPayload>, doc),
  });
  const config = new ConfigMaterialiser({ schema, service: 'connector-fortnox', kinds: { mappings: controlConfigMappingsHandler(store) } });
  return { store, intents, tokens, refresher, limiter, client, port, payoutPort, handler, payoutHandler, worker, config };
}
