import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { Pool } from 'pg';
import { schemaIdent, type ReplayResult } from '@ledgerline/messaging';
import type { InventorySyncConfig } from '../config/inventory-sync.config';
import { CONFIG, POOL } from '../config/tokens';
import { MessagingLifecycle } from '../messaging/messaging.module';
import { AdminTokenGuard } from './admin-token.guard';

const STREAMS = ['stock-levels', 'orders', 'documents', 'stock-reports', 'control-config'] as const;

/** Parked events of inventory-sync's consumers (refused levels, defects) and their replay, until the console owns it. */
@Controller('parked-events')
@UseGuards(AdminTokenGuard)
export class ParkedEventsController {
  constructor(
    @Inject(CONFIG) private readonly config: InventorySyncConfig,
    @Inject(POOL) private readonly pool: Pool,
    private readonly messaging: MessagingLifecycle,
  ) {}

  @Get()
  async list(@Query('status') status = 'parked'): Promise<{ events: Array<Record<string, unknown>> }> {
    const { rows } = await this.pool.query(
      `SELECT id, consumer_group, topic, event_id, event_type, tenant_id, message_key, code, kind, operator_message, attempts, status, parked_at
         FROM ${schemaIdent(this.config.schema)}.parked_events WHERE status = $1 ORDER BY id LIMIT 500`,
      [status],
    );
    return { events: rows };
  }

  @Post(':id/replay')
  @HttpCode(200)
  async replay(@Param('id') id: string): Promise<{ results: ReplayResult[] }> {
    const { rows } = await this.pool.query<{ consumer_group: string }>(`SELECT consumer_group FROM ${schemaIdent(this.config.schema)}.parked_events WHERE id = $1`, [/^\d+$/.test(id) ? id : '0']);
    const runner = this.messaging.runners.find((r) => r.groupId === rows[0]?.consumer_group);
    if (!runner) throw new NotFoundException({ statusCode: 404, code: 'INVENTORY_PARKED_EVENT_UNKNOWN', message: `There is no parked event #${id} of inventory-sync (streams: ${STREAMS.join(', ')}).` });
    return { results: await runner.replay(id) };
  }
}
