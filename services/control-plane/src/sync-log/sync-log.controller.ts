import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { orderKey } from '@ledgerline/contracts';
import { RequiresRole } from '../auth/roles';
import { MessagingLifecycle } from '../messaging/messaging.module';
import { ServiceClients } from '../parked/service-clients';
import { TimelineRepository, type OrderHit, type TimelineEntry } from './timeline.repository';

interface ConnectorSyncLog {
  documents: Array<{ id: string; documentKind: string; status: string; documentNumber: string | null; attempts: number; errorCode: string | null; operatorMessage: string | null; updatedAt: string }>;
}

interface GatewayParked {
  id: string;
  storeId: string;
  resource: string;
  resourceId: string | null;
  code: string;
  operatorMessage: string;
  parkedAt: string;
}

/**
 * "Where is order 1234?": search by store order number, ERP document number or customer e-mail, and the order's
 * timeline across services. Steps come from the consumed streams (order_timeline), the control plane's own parked
 * events, store-gateway's parked deliveries (HTTP) and connector-fortnox's sync log (HTTP); each entry says which.
 */
@ApiTags('sync log')
@ApiBearerAuth()
@Controller('api/orders')
export class SyncLogController {
  constructor(
    private readonly timeline: TimelineRepository,
    private readonly messaging: MessagingLifecycle,
    private readonly services: ServiceClients,
  ) {}

  @Get('search')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Finds orders by store order number, ERP document number or customer e-mail (viewer).' })
  async search(@Query('q') q?: string): Promise<OrderHit[]> {
    if (!q || q.trim().length === 0 || q.length > 200) {
      throw new BadRequestException({ statusCode: 400, code: 'SEARCH_INVALID', message: 'Send ?q=<order number, ERP document number or e-mail>, like ?q=1042.', problems: [{ field: 'q', problem: 'is required' }] });
    }
    return this.timeline.search(q);
  }

  @Get(':tenantId/:storeId/:orderId/sync-log')
  @RequiresRole('viewer')
  @ApiOperation({ summary: "The order's timeline across services: received, published, intent opened, document created or failed, parked, replayed (viewer)." })
  async syncLog(@Param('tenantId') tenantId: string, @Param('storeId') storeId: string, @Param('orderId') orderId: string) {
    const { orderNumber, email, entries } = await this.timeline.entries(tenantId, storeId, orderId);
    const all: TimelineEntry[] = [...entries];
    const sources: Array<{ service: string; via: string; ok: boolean; error?: string }> = [{ service: 'control-plane', via: 'topics store orders and erp documents', ok: true }];
    const key = orderKey({ tenantId, storeId, orderId });
    for (const runner of this.messaging.runners) {
      for (const status of ['parked', 'replayed'] as const) {
        for (const p of await runner.parking.list({ consumerGroup: runner.groupId, status, tenantId, limit: 500 })) {
          if (p.key !== key) continue;
          all.push({ step: 'parked', service: 'control-plane', via: `parked_events (${runner.groupId})`, summary: `${p.eventType} parked: ${p.operatorMessage}`, at: p.parkedAt.toISOString(), code: p.code, parked: { service: 'control-plane', id: p.id, replayable: p.status === 'parked' } });
          if (p.status === 'replayed' && p.resolvedAt) all.push({ step: 'replayed', service: 'control-plane', via: `parked_events (${runner.groupId})`, summary: `${p.eventType} replayed after ${p.attempts} attempt(s)`, at: p.resolvedAt.toISOString() });
        }
      }
    }
    if (this.services.configured('store-gateway')) {
      const r = await this.services.call<GatewayParked[]>('store-gateway', 'GET', `/parked-deliveries?storeId=${encodeURIComponent(storeId)}`);
      if (r.ok) {
        for (const p of r.body.filter((x) => x.resource === 'order' && x.resourceId === orderId)) {
          all.push({ step: 'parked', service: 'store-gateway', via: 'GET /parked-deliveries', summary: p.operatorMessage, at: p.parkedAt, code: p.code, parked: { service: 'store-gateway', id: p.id, replayable: true } });
        }
      }
      sources.push({ service: 'store-gateway', via: 'GET /parked-deliveries', ok: r.ok, ...(r.ok ? {} : { error: r.error }) });
    }
    if (this.services.configured('connector-fortnox')) {
      const ref = orderNumber ?? orderId;
      const r = await this.services.call<ConnectorSyncLog>('connector-fortnox', 'GET', `/tenants/${encodeURIComponent(tenantId)}/orders/${encodeURIComponent(ref)}/sync-log?storeId=${encodeURIComponent(storeId)}`);
      if (r.ok) {
        for (const d of r.body.documents) {
          const via = `GET /tenants/${tenantId}/orders/${ref}/sync-log`;
          all.push({ step: 'intent-opened', service: 'connector-fortnox', via, summary: `${d.documentKind} intent ${d.id} (${d.status}, ${d.attempts} attempt(s))`, at: d.updatedAt });
          if (d.errorCode) {
            all.push({ step: 'document-failed', service: 'connector-fortnox', via, summary: d.operatorMessage ?? d.errorCode, at: d.updatedAt, code: d.errorCode, parked: { service: 'connector-fortnox', id: d.id, replayable: d.status !== 'done' } });
          }
        }
      }
      sources.push({ service: 'connector-fortnox', via: 'GET /tenants/:tenantId/orders/:orderRef/sync-log', ok: r.ok, ...(r.ok ? {} : { error: r.error }) });
    }
    all.sort((a, b) => a.at.localeCompare(b.at));
    return { tenantId, storeId, orderId, orderNumber, email, entries: all, sources };
  }
}
