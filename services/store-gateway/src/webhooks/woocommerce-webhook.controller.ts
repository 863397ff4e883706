import { Controller, HttpCode, HttpException, Inject, Param, Post, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { createLogger } from '@ledgerline/observability';
import { isPing, parseWebhookHeaders, verifyWebhookSignature, type WooCustomer, type WooOrder, type WooProduct, type WooWebhookDelivery } from '@ledgerline/woocommerce';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG } from '../config/tokens';
import { BodyTooLargeError, readRawBody } from '@ledgerline/service-kit';
import { IngestService, type IngestResult } from '../ingest/ingest.service';
import { webhooksReceived, webhooksRefused } from '../metrics';
import { StoresRepository } from '../stores/stores.repository';

type RefusalReason = 'too_large' | 'unknown_store' | 'bad_signature' | 'malformed' | 'not_a_delivery';

const log = createLogger('woocommerce-webhook');

/** What a delivery request is answered with. */
export interface WebhookAnswer {
  status: 'ok';
  outcome: string;
  events?: string[];
}

function refuse(status: number, reason: RefusalReason, code: string, message: string): HttpException {
  webhooksRefused.inc({ reason });
  return new HttpException({ statusCode: status, code, message }, status);
}

/**
 * `POST /webhooks/woocommerce/:storeId`: WooCommerce's deliveries for one store. Verifies the signature over the raw
 * bytes before parsing anything, answers pings with exactly 200, and applies a valid delivery through the ingest
 * path before answering (one short transaction). Refused requests store and publish nothing.
 */
@Controller('webhooks/woocommerce')
export class WooCommerceWebhookController {
  constructor(
    @Inject(CONFIG) private readonly config: StoreGatewayConfig,
    private readonly stores: StoresRepository,
    private readonly ingest: IngestService,
  ) {}

  @Post(':storeId')
  @HttpCode(200)
  async receive(@Param('storeId') storeId: string, @Req() req: IncomingMessage): Promise<WebhookAnswer> {
    let raw: Buffer;
    try {
      raw = await readRawBody(req, this.config.webhookMaxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        throw refuse(413, 'too_large', 'WEBHOOK_BODY_TOO_LARGE', `The delivery is larger than ${err.limit} bytes, the most store-gateway accepts (STORE_GATEWAY_WEBHOOK_MAX_BODY_BYTES). Nothing was stored; the order is picked up by the next sweep.`);
      }
      throw err;
    }
    const store = /^[a-z0-9][a-z0-9-]{0,62}$/.test(storeId) ? await this.stores.find(storeId) : null;
    if (!store) {
      throw refuse(404, 'unknown_store', 'WEBHOOK_STORE_UNKNOWN', `No store "${storeId}" is registered in store-gateway. Register it (PUT /stores/${storeId}) or fix the webhook's delivery URL in WooCommerce › Settings › Advanced › Webhooks.`);
    }
    // webhook-delivery.md §2: a ping has no signature and the body `webhook_id=N`; only exactly 200 clears it.
    if (isPing(raw, req.headers)) {
      webhooksReceived.inc({ resource: 'ping', outcome: 'ping' });
      return { status: 'ok', outcome: 'ping' };
    }
    if (!verifyWebhookSignature(raw, header(req, 'x-wc-webhook-signature'), store.webhookSecret)) {
      throw refuse(401, 'bad_signature', 'WEBHOOK_SIGNATURE_INVALID', `The X-WC-Webhook-Signature of this delivery for store "${storeId}" is missing or does not match the store's webhook secret. Nothing was stored. If WooCommerce sent it, re-run the webhook health check (POST /stores/${storeId}/webhooks/check) so the webhooks get the current secret.`);
    }
    let delivery: WooWebhookDelivery;
    try {
      delivery = parseWebhookHeaders(req.headers);
    } catch (err) {
      throw refuse(400, 'not_a_delivery', 'WEBHOOK_HEADERS_INVALID', (err as { operatorMessage?: string }).operatorMessage ?? (err as Error).message);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw refuse(400, 'malformed', 'WEBHOOK_BODY_MALFORMED', `The body of this ${delivery.topic} delivery for store "${storeId}" is not JSON, though its signature is valid. Nothing was stored; a plugin may be altering webhook payloads (woocommerce_webhook_payload filter).`);
    }
    if (isWooErrorBody(body)) {
      // The resource was gone when WooCommerce built the payload (built at send time, webhook-delivery.md §1): it
      // sends the REST error body instead. Acknowledge, so the webhook is not disabled; the sweep has the truth.
      webhooksReceived.inc({ resource: delivery.resource, outcome: 'ignored' });
      return { status: 'ok', outcome: 'ignored' };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { id?: unknown }).id !== 'number') {
      throw refuse(400, 'malformed', 'WEBHOOK_BODY_MALFORMED', `The body of this ${delivery.topic} delivery for store "${storeId}" is not a WooCommerce ${delivery.resource} object with a numeric "id". Nothing was stored; a plugin may be altering webhook payloads.`);
    }
    const result = await this.apply(store, delivery, body as Record<string, unknown>);
    webhooksReceived.inc({ resource: delivery.resource, outcome: result.outcome });
    return { status: 'ok', outcome: result.outcome, events: result.events };
  }

  private async apply(store: NonNullable<Awaited<ReturnType<StoresRepository['find']>>>, delivery: WooWebhookDelivery, body: Record<string, unknown>): Promise<IngestResult | { outcome: 'ignored'; events: [] }> {
    // `deleted` bodies are `{"id": N}` only (webhook-delivery.md §1) and the v1 contract has no deletion event.
    const full = delivery.event !== 'deleted' && Object.keys(body).length > 1;
    if (!full) {
      log.info({ tenantId: store.tenantId, storeId: store.storeId, topic: delivery.topic, resourceId: body['id'] }, 'delivery without a resource body acknowledged and not mapped');
      return { outcome: 'ignored', events: [] };
    }
    switch (delivery.resource) {
      case 'order':
        return this.ingest.ingestOrder(store, body as unknown as WooOrder, 'webhook', delivery.topic);
      case 'customer':
        return this.ingest.ingestCustomer(store, body as unknown as WooCustomer, 'webhook', delivery.topic);
      case 'product':
        return this.ingest.ingestProduct(store, body as unknown as WooProduct, 'webhook', delivery.topic);
      default:
        return { outcome: 'ignored', events: [] };
    }
  }
}

function isWooErrorBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string' && typeof (body as { message?: unknown }).message === 'string' && !('id' in body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
