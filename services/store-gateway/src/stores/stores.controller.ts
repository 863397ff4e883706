import { randomBytes } from 'node:crypto';
import { BadRequestException, Controller, Get, HttpException, Inject, NotFoundException, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG } from '../config/tokens';
import { BodyTooLargeError, readRawBody } from '@ledgerline/service-kit';
import { OrderSweepJob, type SweepReport } from '../sweep/order-sweep.job';
import { WebhookHealthJob, type WebhookHealthReport } from '../webhook-health/webhook-health.job';
import { AdminTokenGuard } from './admin-token.guard';
import type { Store, StoreView } from './store';
import { StoresRepository } from './stores.repository';

/** Reads a small JSON object body; 400 with what to send otherwise. */
export async function readJsonObject(req: IncomingMessage, example: string): Promise<Record<string, unknown>> {
  let raw: Buffer;
  try {
    raw = await readRawBody(req, 64 * 1024);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new HttpException({ statusCode: 413, code: 'ADMIN_BODY_TOO_LARGE', message: 'Admin request bodies are limited to 64 KiB.' }, 413);
    throw err;
  }
  let body: unknown;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadRequestException({ statusCode: 400, code: 'ADMIN_BODY_MALFORMED', message: `The body is not JSON; send an object like ${example}.` });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestException({ statusCode: 400, code: 'ADMIN_BODY_MALFORMED', message: `The body must be a JSON object like ${example}.` });
  }
  return body as Record<string, unknown>;
}

const STORE_EXAMPLE = '{"tenantId": "acme", "siteUrl": "https://shop.example", "currency": "SEK", "consumerKey": "ck_…", "consumerSecret": "cs_…"}';

/**
 * The small admin surface for stores until the control plane owns it (issue #3): register a store, read it back
 * (never its secrets), and run its sweep, backfill and webhook health check on demand.
 */
@Controller('stores')
@UseGuards(AdminTokenGuard)
export class StoresController {
  constructor(
    @Inject(CONFIG) private readonly config: StoreGatewayConfig,
    private readonly stores: StoresRepository,
    private readonly sweep: OrderSweepJob,
    private readonly health: WebhookHealthJob,
  ) {}

  /** Registers or replaces a store. The webhook secret is generated when not given; secrets are stored encrypted. */
  @Put(':storeId')
  async register(@Param('storeId') storeId: string, @Req() req: IncomingMessage): Promise<StoreView & { created: boolean }> {
    const body = await readJsonObject(req, STORE_EXAMPLE);
    const problems: string[] = [];
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(storeId)) problems.push(`storeId "${storeId}" must be lower-case letters, digits and dashes (at most 63), like "nordic-shop"`);
    const text = (name: string, pattern: RegExp, expected: string, optional = false): string => {
      const v = body[name];
      if (v === undefined && optional) return '';
      if (typeof v !== 'string' || !pattern.test(v)) problems.push(`${name} must be ${expected}`);
      return typeof v === 'string' ? v : '';
    };
    const tenantId = text('tenantId', /^[a-z0-9][a-z0-9-]{0,62}$/, 'the tenant id (lower-case letters, digits, dashes)');
    const siteUrl = text('siteUrl', /^https?:\/\/[^\s?#]+$/, 'the store\'s WordPress address, like https://shop.example');
    const currency = text('currency', /^[A-Z]{3}$/, 'the store currency as an ISO 4217 code, like "SEK"');
    const consumerKey = text('consumerKey', /^\S{8,}$/, 'the REST API consumer key (ck_…)');
    const consumerSecret = text('consumerSecret', /^\S{8,}$/, 'the REST API consumer secret (cs_…)');
    const webhookSecret = text('webhookSecret', /^.{16,}$/, 'at least 16 characters when given (omit it to have one generated)', true);
    if (problems.length > 0) throw new BadRequestException({ statusCode: 400, code: 'STORE_REGISTRATION_INVALID', message: `Store "${storeId}" was not registered: ${problems.join('; ')}.` });
    const store: Store = {
      storeId,
      tenantId,
      siteUrl: siteUrl.replace(/\/+$/, ''),
      currency,
      consumerKey,
      consumerSecret,
      webhookSecret: webhookSecret || (await this.stores.find(storeId))?.webhookSecret || randomBytes(32).toString('base64url'),
    };
    const saved = await this.stores.upsert(store);
    await this.sweep.initCursor(store);
    return { ...this.view(store, saved.createdAt, saved.updatedAt), created: saved.created };
  }

  @Get(':storeId')
  async get(@Param('storeId') storeId: string): Promise<StoreView> {
    const store = await this.mustFind(storeId);
    return this.view(store, store.createdAt, store.updatedAt);
  }

  /** Runs the store's order sweep now, from its cursor minus the overlap window. */
  @Post(':storeId/sweep')
  async sweepNow(@Param('storeId') storeId: string): Promise<SweepReport> {
    return this.sweep.sweepStore(await this.mustFind(storeId));
  }

  /** Reads every order modified since `from` through the ingest path (idempotent); the cursor never moves back. */
  @Post(':storeId/backfill')
  async backfill(@Param('storeId') storeId: string, @Req() req: IncomingMessage): Promise<SweepReport> {
    const store = await this.mustFind(storeId);
    const body = await readJsonObject(req, '{"from": "2024-01-01T00:00:00Z"}');
    const from = typeof body['from'] === 'string' ? new Date(body['from']) : null;
    if (!from || Number.isNaN(from.getTime())) throw new BadRequestException({ statusCode: 400, code: 'BACKFILL_FROM_INVALID', message: 'Send {"from": "<ISO 8601 date-time>"}, like {"from": "2024-01-01T00:00:00Z"}.' });
    return this.sweep.sweepStore(store, { from });
  }

  /** Makes sure the store's webhooks exist, point at this service and are active. */
  @Post(':storeId/webhooks/check')
  async checkWebhooks(@Param('storeId') storeId: string): Promise<WebhookHealthReport> {
    return this.health.checkStore(await this.mustFind(storeId));
  }

  private async mustFind(storeId: string) {
    const store = await this.stores.find(storeId);
    if (!store) throw new NotFoundException({ statusCode: 404, code: 'STORE_UNKNOWN', message: `No store "${storeId}" is registered; register it with PUT /stores/${storeId}.` });
    return store;
  }

  private view(store: Store, createdAt: Date, updatedAt: Date): StoreView {
    return {
      tenantId: store.tenantId,
      storeId: store.storeId,
      siteUrl: store.siteUrl,
      currency: store.currency,
      webhookUrl: `${this.config.publicUrl}/webhooks/woocommerce/${store.storeId}`,
      createdAt: createdAt.toISOString(),
      updatedAt: updatedAt.toISOString(),
    };
  }
}
