import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import type { Pool } from 'pg';
import { schemaIdent, withTransaction } from '@ledgerline/messaging';
import { availabilityOf, type StoreSkuAvailability } from '../availability/availability.query';
import type { InventorySyncConfig } from '../config/inventory-sync.config';
import { CONFIG, POOL } from '../config/tokens';
import { COMPONENTS, type InventoryComponents } from '../messaging/components';
import { StoreNotConfiguredError, type CompleteReason, type ReconciliationReport, type ReconciliationStarted } from '../reconciliation/reconciliation.service';
import { applyStoreSettings, parseStoreSettings, readStoreSettings, type StoreSettings } from '../settings/store-settings';
import { AdminTokenGuard } from './admin-token.guard';

/** Admin routes of inventory-sync (bearer token until the control plane owns them). */
@Controller()
@UseGuards(AdminTokenGuard)
export class AdminController {
  private readonly s: string;

  constructor(
    @Inject(CONFIG) private readonly config: InventorySyncConfig,
    @Inject(POOL) private readonly pool: Pool,
    @Inject(COMPONENTS) private readonly components: InventoryComponents,
  ) {
    this.s = schemaIdent(config.schema);
  }

  /** Sets a store's warehouses and safety buffers (creating the store); its SKUs are recomputed and sent. */
  @Put('tenants/:tenantId/stores/:storeId')
  async putStore(@Param('tenantId') tenantId: string, @Param('storeId') storeId: string, @Body() body: unknown): Promise<StoreSettings> {
    const parsed = parseStoreSettings(tenantId, storeId, body);
    if ('problems' in parsed) {
      throw new BadRequestException({ statusCode: 400, code: 'INVENTORY_SETTINGS_INVALID', message: `Store settings for "${storeId}" (tenant "${tenantId}") were refused.`, problems: parsed.problems });
    }
    await withTransaction(this.pool, (tx) => applyStoreSettings(tx, this.components.repo, parsed.settings));
    return parsed.settings;
  }

  @Get('tenants/:tenantId/stores/:storeId')
  async getStore(@Param('tenantId') tenantId: string, @Param('storeId') storeId: string): Promise<StoreSettings> {
    const settings = await readStoreSettings(this.pool, this.config.schema, tenantId, storeId);
    if (!settings) throw new NotFoundException({ statusCode: 404, code: 'INVENTORY_STORE_UNKNOWN', message: new StoreNotConfiguredError(tenantId, storeId).message });
    return settings;
  }

  /** The stores that belong to a tenant, with their settings. */
  @Get('tenants/:tenantId/stores')
  async listStores(@Param('tenantId') tenantId: string): Promise<{ tenantId: string; stores: StoreSettings[] }> {
    const ids = await this.components.repo.storesOf(this.pool, tenantId);
    const stores: StoreSettings[] = [];
    for (const id of ids) {
      const settings = await readStoreSettings(this.pool, this.config.schema, tenantId, id);
      if (settings) stores.push(settings);
    }
    return { tenantId, stores };
  }

  /** Starts a reconciliation of every store of the tenant, or of `storeId`; the gateway reads each store and corrects drift. */
  @Post('tenants/:tenantId/reconciliations')
  @HttpCode(202)
  async reconcile(@Param('tenantId') tenantId: string, @Body() body: { storeId?: unknown } | undefined): Promise<ReconciliationStarted> {
    return this.startComplete(tenantId, body, 'reconciliation');
  }

  /** Starts a full sync (every SKU written) of every store of the tenant, or of `storeId`. */
  @Post('tenants/:tenantId/full-syncs')
  @HttpCode(202)
  async fullSync(@Param('tenantId') tenantId: string, @Body() body: { storeId?: unknown } | undefined): Promise<ReconciliationStarted> {
    return this.startComplete(tenantId, body, 'full-sync');
  }

  /** The report of a reconciliation or full sync: corrected SKUs with was/now, unknown ERP SKUs, store-only SKUs, failures. */
  @Get('reconciliations/:id')
  async report(@Param('id') id: string): Promise<ReconciliationReport> {
    const report = /^[0-9a-f-]{36}$/.test(id) ? await this.components.reconciliation.report(id) : null;
    if (!report) throw new NotFoundException({ statusCode: 404, code: 'INVENTORY_RECONCILIATION_UNKNOWN', message: `There is no reconciliation "${id}".` });
    return report;
  }

  /** ERP SKUs that no store of the tenant has, once per SKU with first/last seen and the operator message. */
  @Get('tenants/:tenantId/unknown-erp-skus')
  async unknownSkus(@Param('tenantId') tenantId: string): Promise<{ tenantId: string; skus: Array<Record<string, unknown>> }> {
    const { rows } = await this.pool.query<{ sku: string; stores: string[]; operator_message: string; first_seen_at: Date; last_seen_at: Date; readings: string }>(
      `SELECT sku, stores, operator_message, first_seen_at, last_seen_at, readings::text FROM ${this.s}.unknown_erp_skus WHERE tenant_id = $1 ORDER BY sku`,
      [tenantId],
    );
    return {
      tenantId,
      skus: rows.map((r) => ({
        sku: r.sku,
        stores: r.stores,
        operatorMessage: r.operator_message,
        firstSeenAt: r.first_seen_at.toISOString(),
        lastSeenAt: r.last_seen_at.toISOString(),
        readings: Number(r.readings),
      })),
    };
  }

  /** Store SKUs that no ERP article has, as the last complete request's report listed them. */
  @Get('tenants/:tenantId/store-only-skus')
  async storeOnlySkus(@Param('tenantId') tenantId: string, @Query('storeId') storeId?: string): Promise<{ tenantId: string; skus: Array<Record<string, unknown>> }> {
    const { rows } = await this.pool.query<{ store_id: string; sku: string; first_seen_at: Date; last_seen_at: Date; request_id: string }>(
      `SELECT store_id, sku, first_seen_at, last_seen_at, request_id FROM ${this.s}.store_only_skus WHERE tenant_id = $1 AND ($2::text IS NULL OR store_id = $2) ORDER BY store_id, sku`,
      [tenantId, storeId ?? null],
    );
    return {
      tenantId,
      skus: rows.map((r) => ({
        storeId: r.store_id,
        sku: r.sku,
        firstSeenAt: r.first_seen_at.toISOString(),
        lastSeenAt: r.last_seen_at.toISOString(),
        requestId: r.request_id,
        operatorMessage: `Store "${r.store_id}" manages stock for SKU "${r.sku}", but the ERP has no article with that number, so its stock is not kept. Create the article in the ERP, or correct the SKU in WooCommerce.`,
      })),
    };
  }

  /** How one SKU's available quantity is computed in every store of the tenant. */
  @Get('tenants/:tenantId/skus/:sku/availability')
  async availability(@Param('tenantId') tenantId: string, @Param('sku') sku: string): Promise<{ tenantId: string; sku: string; stores: StoreSkuAvailability[] }> {
    return { tenantId, sku, stores: await availabilityOf(this.pool, this.config.schema, tenantId, sku, this.components.flows) };
  }

  private async startComplete(tenantId: string, body: { storeId?: unknown } | undefined, reason: CompleteReason): Promise<ReconciliationStarted> {
    const storeId = body?.storeId;
    if (storeId !== undefined && storeId !== null && (typeof storeId !== 'string' || storeId === '')) {
      throw new BadRequestException({ statusCode: 400, code: 'INVENTORY_REQUEST_INVALID', message: 'storeId: must be a store id, or left out for every store of the tenant.' });
    }
    try {
      return await this.components.reconciliation.start({ tenantId, storeId: (storeId as string | undefined) ?? null, reason, trigger: 'operator' });
    } catch (err) {
      if (err instanceof StoreNotConfiguredError) throw new NotFoundException({ statusCode: 404, code: 'INVENTORY_STORE_UNKNOWN', message: err.message });
      throw err;
    }
  }
}
