import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ConnectorFortnoxConfig } from '../config/connector-fortnox.config';
import { CONFIG, POOL } from '../config/tokens';
import type { FortnoxComponents } from '../messaging/components';
import { COMPONENTS } from '../messaging/messaging.module';

/** "Where is order 1234?": every Fortnox document owed for the order, its state, and what was recorded once created. */
@Controller('tenants/:tenantId/orders/:orderRef/sync-log')
export class SyncLogController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(COMPONENTS) private readonly components: FortnoxComponents,
    @Inject(CONFIG) private readonly config: ConnectorFortnoxConfig,
  ) {}

  /** `?storeId=` keeps one store's documents: WooCommerce order ids and numbers repeat across a tenant's stores. */
  @Get()
  async get(@Param('tenantId') tenantId: string, @Param('orderRef') orderRef: string, @Query('storeId') storeId?: string) {
    const [direct, documents] = await Promise.all([this.components.intents.findBySource(tenantId, orderRef), this.components.store.documentsOf(this.pool, tenantId, orderRef)]);
    // Refund intents have the refund as source id: looked up by order id, they are found through the order number.
    const byId = new Map(direct.map((i) => [i.id, i]));
    // Order intents carry their store in the source id (`<store>:<order id>`, order-placed.handler.ts): by order id too.
    const { rows } = await this.pool.query<{ source_id: string }>(
      `SELECT DISTINCT source_id FROM ${this.config.schema}.document_intents WHERE tenant_id = $1 AND source_kind = 'order' AND right(source_id, length($2) + 1) = ':' || $2`,
      [tenantId, orderRef.replace(/^#/, '')],
    );
    for (const r of rows) for (const i of await this.components.intents.findBySource(tenantId, r.source_id)) byId.set(i.id, i);
    for (const label of new Set([...byId.values()].map((i) => i.sourceLabel).filter((l): l is string => !!l && l !== orderRef))) {
      for (const i of await this.components.intents.findBySource(tenantId, label)) byId.set(i.id, i);
    }
    const intents = [...byId.values()].filter((i) => !storeId || i.storeId === storeId).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    return {
      orderRef,
      ...(storeId ? { storeId } : {}),
      documents: intents.map((i) => ({
        id: i.id,
        documentKind: i.documentKind,
        externalRef: i.externalRef,
        status: i.status,
        documentNumber: i.documentNumber,
        attempts: i.attempts,
        failures: i.failures,
        errorCode: i.errorCode,
        operatorMessage: i.operatorMessage,
        updatedAt: i.updatedAt,
      })),
      records: documents.map((d) => ({ type: d.recordType, documentNumber: d.documentNumber, summary: d.summary, recordedAt: d.recordedAt })),
    };
  }
}

/** Replays a parked document after a person fixed its cause (the console's "Replay" on a parked document). */
@Controller('tenants/:tenantId/documents/:intentId/replay')
export class DocumentReplayController {
  constructor(@Inject(COMPONENTS) private readonly components: FortnoxComponents) {}

  @Post()
  @HttpCode(202)
  async replay(@Param('tenantId') tenantId: string, @Param('intentId') intentId: string) {
    const intent = await this.components.intents.get(intentId);
    if (!intent || intent.tenantId !== tenantId) throw new NotFoundException(`No Fortnox document ${intentId} for tenant "${tenantId}"; look it up in the order's sync log.`);
    const reopened = await this.components.intents.reopen(intentId);
    return { id: intentId, status: reopened?.status ?? intent.status };
  }
}
