import { randomBytes } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { withTransaction } from '@ledgerline/messaging';
import { AuditLog, diff } from '../audit/audit.repository';
import { Actor, RequiresRole, type Principal } from '../auth/roles';
import { ConfigPublisher } from '../config-distribution/config.publisher';
import { POOL } from '../config/tokens';
import { ErpConnectionsRepository } from '../connections/erp-connections.repository';
import { notFound, objectBody, Problems, SLUG } from '../http/problems';
import { TenantsRepository } from '../tenants/tenants.repository';
import { DEFAULT_FLOWS, FLOWS, StoresRepository, storeConfigData, storeView, type Flows, type StoreRecord, type StoreView } from './stores.repository';

const STORE_EXAMPLE = '{"tenantId": "acme", "name": "Nordic shop", "siteUrl": "https://shop.example", "currency": "SEK", "consumerKey": "ck_…", "consumerSecret": "cs_…"}';

/** The outcome of a store's connection test. */
export interface ConnectionTestResult {
  storeId: string;
  ok: boolean;
  message: string;
  ordersInStore?: number;
}

@ApiTags('stores')
@ApiBearerAuth()
@Controller('api/stores')
export class StoresController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    private readonly stores: StoresRepository,
    private readonly tenants: TenantsRepository,
    private readonly connections: ErpConnectionsRepository,
    private readonly audit: AuditLog,
    private readonly publisher: ConfigPublisher,
  ) {}

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Lists stores with their flows, ERP connection and last connection test (viewer). Secrets are never returned.' })
  async list(@Query('tenantId') tenantId?: string): Promise<StoreView[]> {
    return (await this.stores.all(tenantId)).map(storeView);
  }

  @Get(':storeId')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'One store (viewer).' })
  async get(@Param('storeId') storeId: string): Promise<StoreView> {
    return storeView(await this.mustFind(storeId));
  }

  /** Registers or changes a store. Keys may be left out on a change (the stored ones are kept); a webhook secret is generated when none exists. */
  @Put(':storeId')
  @ApiOperation({ summary: 'Connects or changes a store: URL, REST API keys, webhook secret, ERP connection, flows (admin). Secrets are stored encrypted.' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['tenantId', 'siteUrl', 'currency'],
      properties: {
        tenantId: { type: 'string' },
        name: { type: 'string' },
        siteUrl: { type: 'string', format: 'uri' },
        currency: { type: 'string', example: 'SEK' },
        consumerKey: { type: 'string', writeOnly: true },
        consumerSecret: { type: 'string', writeOnly: true },
        webhookSecret: { type: 'string', writeOnly: true },
        erpConnectionId: { type: 'string', nullable: true },
        flows: { type: 'object', additionalProperties: { type: 'boolean' } },
      },
    },
  })
  async put(@Param('storeId') storeId: string, @Body() raw: unknown, @Actor() actor: Principal): Promise<StoreView> {
    const body = objectBody(raw, STORE_EXAMPLE);
    return withTransaction(this.pool, async (tx) => {
      const before = await this.stores.find(tx, storeId, true);
      const p = new Problems(body);
      if (!SLUG.test(storeId)) p.add('storeId', `"${storeId}" must be lower-case letters, digits and dashes (at most 63), like "nordic-shop"`);
      const tenantId = p.text('tenantId', SLUG, 'the id of an existing tenant, like "acme"');
      const name = p.text('name', /^.{1,120}$/, 'the store\'s display name (1-120 characters)', true);
      const siteUrl = p.text('siteUrl', /^https?:\/\/[^\s?#]+$/, 'the store\'s WordPress address, like https://shop.example');
      const currency = p.text('currency', /^[A-Z]{3}$/, 'the store currency as an ISO 4217 code, like "SEK"');
      const consumerKey = p.text('consumerKey', /^\S{8,}$/, 'the REST API consumer key (ck_…, WooCommerce → Settings → Advanced → REST API)', !!before);
      const consumerSecret = p.text('consumerSecret', /^\S{8,}$/, 'the REST API consumer secret (cs_…)', !!before);
      const webhookSecret = p.text('webhookSecret', /^.{16,}$/, 'at least 16 characters when given (leave it out to have one generated)', true);
      const erpConnectionId = body['erpConnectionId'] === null ? null : p.text('erpConnectionId', /^\S{1,100}$/, 'the id of an ERP connection of the same tenant, or null', true);
      const flows = this.flowsOf(p, body['flows'], before?.flows ?? DEFAULT_FLOWS);
      if (tenantId && !(await this.tenants.find(tx, tenantId))) p.add('tenantId', `"${tenantId}" is not a tenant; create it under Tenants first`);
      const connectionId = erpConnectionId === undefined ? (before?.erpConnectionId ?? null) : erpConnectionId;
      if (connectionId && tenantId) {
        const c = await this.connections.find(tx, connectionId);
        if (!c || c.tenantId !== tenantId) p.add('erpConnectionId', `"${connectionId}" is not an ERP connection of tenant "${tenantId}"; connect one under Connections first`);
      }
      p.throwIfAny('STORE_INVALID', `Store "${storeId}" was not saved`);
      const saved = await this.stores.save(tx, {
        storeId,
        tenantId: tenantId as string,
        name: name ?? before?.name ?? storeId,
        siteUrl: (siteUrl as string).replace(/\/+$/, ''),
        currency: currency as string,
        consumerKey: consumerKey ?? (before as StoreRecord).consumerKey,
        consumerSecret: consumerSecret ?? (before as StoreRecord).consumerSecret,
        webhookSecret: webhookSecret ?? before?.webhookSecret ?? randomBytes(32).toString('base64url'),
        erpConnectionId: connectionId,
        flows,
      });
      await this.recordChange(tx, actor, before, saved);
      return storeView(saved);
    });
  }

  @Put(':storeId/flows')
  @ApiOperation({ summary: 'Switches flows on or off for a store (admin): orders, refunds, inventory, products, customers, payouts.' })
  @ApiBody({ schema: { type: 'object', additionalProperties: { type: 'boolean' }, example: { orders: true, inventory: false } } })
  async flows(@Param('storeId') storeId: string, @Body() raw: unknown, @Actor() actor: Principal): Promise<StoreView> {
    const body = objectBody(raw, '{"orders": true, "inventory": false}');
    return withTransaction(this.pool, async (tx) => {
      const before = await this.stores.find(tx, storeId, true);
      if (!before) throw this.unknown(storeId);
      const p = new Problems(body);
      const flows = this.flowsOf(p, body, before.flows);
      p.throwIfAny('STORE_FLOWS_INVALID', `Flows of store "${storeId}" were not changed`);
      const saved = await this.stores.save(tx, { ...before, flows });
      await this.recordChange(tx, actor, before, saved);
      return storeView(saved);
    });
  }

  /** Disconnects a store: its keys are deleted and services receive a `deleted` record for it. */
  @Delete(':storeId')
  @ApiOperation({ summary: 'Disconnects a store (admin): deletes its keys and publishes a deleted record on the config topic.' })
  async remove(@Param('storeId') storeId: string, @Actor() actor: Principal): Promise<{ storeId: string; deleted: true }> {
    return withTransaction(this.pool, async (tx) => {
      const before = await this.stores.find(tx, storeId, true);
      if (!before) throw this.unknown(storeId);
      await this.stores.remove(tx, storeId);
      await this.audit.record(tx, actor, {
        action: 'store.deleted',
        tenantId: before.tenantId,
        subjectKind: 'store',
        subjectId: storeId,
        changes: diff({ ...storeConfigData(before), consumerKey: before.consumerKey, consumerSecret: before.consumerSecret, webhookSecret: before.webhookSecret }, null),
      });
      await this.publisher.publish(tx, actor, { tenantId: before.tenantId, kind: 'store', subjectId: storeId, data: {}, deleted: true });
      return { storeId, deleted: true as const };
    });
  }

  /** Calls the store's REST API with the stored keys and records the outcome (shown as the store's health). */
  @Post(':storeId/test')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiOperation({ summary: "Tests the store's REST API with its stored keys and records the result as its health (operator)." })
  async test(@Param('storeId') storeId: string): Promise<ConnectionTestResult> {
    const store = await this.mustFind(storeId);
    let result: ConnectionTestResult;
    try {
      const page = await this.stores.client(store).listOrders({ per_page: 1 });
      result = { storeId, ok: true, message: `Connected to ${store.siteUrl}: the REST API answered with the keys stored.`, ordersInStore: page.total ?? page.items.length };
    } catch (err) {
      const e = err as { operatorMessage?: string; message?: string };
      result = { storeId, ok: false, message: `Could not read orders from ${store.siteUrl}: ${e.operatorMessage ?? e.message ?? String(err)}` };
    }
    await this.stores.recordTest(storeId, result.ok, result.message);
    return result;
  }

  private flowsOf(p: Problems, raw: unknown, current: Flows): Flows {
    if (raw === undefined) return current;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      p.add('flows', `must be an object like {"orders": true, "inventory": false}`);
      return current;
    }
    const next = { ...current };
    for (const [k, v] of Object.entries(raw)) {
      if (!(FLOWS as readonly string[]).includes(k)) p.add(`flows.${k}`, `is not a flow; flows are ${FLOWS.join(', ')}`);
      else if (typeof v !== 'boolean') p.add(`flows.${k}`, 'must be true or false');
      else next[k as keyof Flows] = v;
    }
    return next;
  }

  private async recordChange(tx: import('@ledgerline/messaging').Tx, actor: Principal, before: StoreRecord | null, after: StoreRecord): Promise<void> {
    const audited = (s: StoreRecord | null) =>
      s ? { ...storeConfigData(s), tenantId: s.tenantId, consumerKey: s.consumerKey, consumerSecret: s.consumerSecret, webhookSecret: s.webhookSecret } : null;
    await this.audit.record(tx, actor, {
      action: before ? 'store.updated' : 'store.created',
      tenantId: after.tenantId,
      subjectKind: 'store',
      subjectId: after.storeId,
      changes: diff(audited(before), audited(after)),
    });
    await this.publisher.publish(tx, actor, { tenantId: after.tenantId, kind: 'store', subjectId: after.storeId, data: storeConfigData(after) });
  }

  private async mustFind(storeId: string): Promise<StoreRecord> {
    const store = await this.stores.find(this.pool, storeId);
    if (!store) throw this.unknown(storeId);
    return store;
  }

  private unknown(storeId: string) {
    return notFound('STORE_UNKNOWN', `No store "${storeId}"; connect it under Stores (PUT /api/stores/${storeId}).`);
  }
}
