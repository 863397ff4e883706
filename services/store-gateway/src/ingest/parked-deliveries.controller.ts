import { ConflictException, Controller, Get, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { Pool } from 'pg';
import type { WooCustomer, WooOrder, WooProduct } from '@ledgerline/woocommerce';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG, POOL } from '../config/tokens';
import { AdminTokenGuard } from '../stores/admin-token.guard';
import { StoreClients } from '../stores/store-clients';
import type { Store } from '../stores/store';
import { StoresRepository } from '../stores/stores.repository';
import { IngestService, type IngestResult } from './ingest.service';

/** A parked delivery as the admin API shows it. */
export interface ParkedDeliveryView {
  id: string;
  tenantId: string;
  storeId: string;
  resource: string;
  resourceId: string | null;
  topic: string;
  source: string;
  code: string;
  operatorMessage: string;
  status: string;
  parkedAt: string;
}

interface ParkedRow {
  id: string;
  tenant_id: string;
  store_id: string;
  resource: string;
  resource_id: string | null;
  topic: string;
  source: string;
  payload: unknown;
  code: string;
  operator_message: string;
  status: string;
  parked_at: Date;
}

/** Parked WooCommerce payloads: list them, and replay one after its cause was fixed. */
@Controller('parked-deliveries')
@UseGuards(AdminTokenGuard)
export class ParkedDeliveriesController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: StoreGatewayConfig,
    private readonly stores: StoresRepository,
    private readonly ingest: IngestService,
    private readonly clients: StoreClients,
  ) {}

  @Get()
  async list(@Query('storeId') storeId?: string): Promise<ParkedDeliveryView[]> {
    const { rows } = await this.pool.query<ParkedRow>(
      `SELECT * FROM ${this.config.schema}.parked_deliveries WHERE status = 'parked' AND ($1::text IS NULL OR store_id = $1) ORDER BY id LIMIT 500`,
      [storeId ?? null],
    );
    return rows.map((r) => view(r));
  }

  /**
   * Runs the stored payload through the ingest path again. For orders the payload is re-read from the store first
   * when possible, so a fix made in WooCommerce is what gets applied.
   */
  @Post(':id/replay')
  async replay(@Param('id') id: string): Promise<IngestResult & { id: string }> {
    const { rows } = await this.pool.query<ParkedRow>(`SELECT * FROM ${this.config.schema}.parked_deliveries WHERE id = $1`, [/^\d+$/.test(id) ? id : '0']);
    const row = rows[0];
    if (!row) throw new NotFoundException({ statusCode: 404, code: 'PARKED_DELIVERY_UNKNOWN', message: `No parked delivery ${id}; list them with GET /parked-deliveries.` });
    if (row.status !== 'parked') throw new ConflictException({ statusCode: 409, code: 'PARKED_DELIVERY_RESOLVED', message: `Parked delivery ${id} was already ${row.status}.` });
    const store = await this.stores.find(row.store_id);
    if (!store) throw new NotFoundException({ statusCode: 404, code: 'STORE_UNKNOWN', message: `Store "${row.store_id}" of parked delivery ${id} is no longer registered.` });
    let result: IngestResult;
    if (row.resource === 'order') result = await this.ingest.ingestOrder(store, row.payload as WooOrder, 'replay', row.topic);
    else if (row.resource === 'customer') result = await this.ingest.ingestCustomer(store, row.payload as WooCustomer, 'replay', row.topic);
    else if (row.resource === 'product') result = await this.ingest.ingestProduct(store, row.payload as WooProduct, 'replay', row.topic);
    else if (row.resource === 'refund') result = await this.ingest.ingestOrder(store, await this.refundOrder(store, row), 'replay', row.topic);
    else throw new ConflictException({ statusCode: 409, code: 'PARKED_DELIVERY_UNREPLAYABLE', message: `Parked delivery ${id} holds a ${row.resource}, which cannot be replayed.` });
    if (result.outcome !== 'parked' || result.parkedId !== row.id) {
      await this.pool.query(`UPDATE ${this.config.schema}.parked_deliveries SET status = 'replayed', resolved_at = now() WHERE id = $1`, [row.id]);
    }
    return { ...result, id: row.id };
  }

  /** A parked refund is replayed by re-reading its order, whose ingest reads every refund not emitted yet. */
  private async refundOrder(store: Store, row: ParkedRow): Promise<WooOrder> {
    const orderId = (row.payload as { order_id?: unknown }).order_id;
    if (typeof orderId !== 'number') throw new ConflictException({ statusCode: 409, code: 'PARKED_DELIVERY_UNREPLAYABLE', message: `Parked refund ${row.id} does not say its order; run the store's backfill over the refund's date instead.` });
    return this.clients.for(store).getOrder(orderId);
  }
}

function view(r: ParkedRow): ParkedDeliveryView {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    storeId: r.store_id,
    resource: r.resource,
    resourceId: r.resource_id,
    topic: r.topic,
    source: r.source,
    code: r.code,
    operatorMessage: r.operator_message,
    status: r.status,
    parkedAt: r.parked_at.toISOString(),
  };
}
