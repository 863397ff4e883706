import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { withTransaction } from '@ledgerline/messaging';
import { AuditLog } from '../audit/audit.repository';
import { Actor, RequiresRole, type Principal } from '../auth/roles';
import { POOL } from '../config/tokens';
import { notFound, objectBody } from '../http/problems';
import { MessagingLifecycle } from '../messaging/messaging.module';
import { ServiceClients } from './service-clients';

/** A parked event of any service, as the console lists it. */
export interface ParkedItem {
  /** `<service>:<id>`. */
  ref: string;
  service: 'control-plane' | 'store-gateway' | 'connector-fortnox';
  id: string;
  tenantId: string | null;
  storeId: string | null;
  /** What is parked: `order.placed (acme:shop:1001)`, `order 1001`. */
  subject: string;
  code: string;
  operatorMessage: string;
  status: string;
  parkedAt: string;
  /** Key of the order it concerns, when known (`tenant:store:order`), to link it to the sync log. */
  orderKey: string | null;
}

/** What replaying one parked event did. */
export interface ReplayOutcome {
  ref: string;
  ok: boolean;
  outcome: string;
  message: string;
}

interface GatewayParked {
  id: string;
  tenantId: string;
  storeId: string;
  resource: string;
  resourceId: string | null;
  topic: string;
  code: string;
  operatorMessage: string;
  status: string;
  parkedAt: string;
}

/**
 * Parked events across services with their reason and operator message, and replay of one or many, proxied to the
 * owning service's admin API (store-gateway) or run through the owning ConsumerRunner (control plane's own).
 * connector-fortnox exposes no listing of its parked events yet; its parked documents appear in the order sync log.
 */
@ApiTags('parked events')
@ApiBearerAuth()
@Controller('api/parked')
export class ParkedController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    private readonly messaging: MessagingLifecycle,
    private readonly services: ServiceClients,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Parked events of every service, with code and operator message (viewer). `sources` says which services answered.' })
  async list(@Query('storeId') storeId?: string): Promise<{ items: ParkedItem[]; sources: Array<{ service: string; ok: boolean; error?: string }> }> {
    const items: ParkedItem[] = [];
    const sources: Array<{ service: string; ok: boolean; error?: string }> = [];
    for (const runner of this.messaging.runners) {
      for (const p of await runner.parking.list({ consumerGroup: runner.groupId, limit: 500 })) {
        if (storeId && p.storeId !== storeId) continue;
        items.push({
          ref: `control-plane:${p.id}`,
          service: 'control-plane',
          id: p.id,
          tenantId: p.tenantId,
          storeId: p.storeId,
          subject: `${p.eventType ?? 'event'} on ${p.topic}${p.key ? ` (${p.key})` : ''}`,
          code: p.code,
          operatorMessage: p.operatorMessage,
          status: p.status,
          parkedAt: p.parkedAt.toISOString(),
          orderKey: p.key,
        });
      }
    }
    sources.push({ service: 'control-plane', ok: true });
    if (this.services.configured('store-gateway')) {
      const r = await this.services.call<GatewayParked[]>('store-gateway', 'GET', `/parked-deliveries${storeId ? `?storeId=${encodeURIComponent(storeId)}` : ''}`);
      if (r.ok) {
        for (const p of r.body) {
          items.push({
            ref: `store-gateway:${p.id}`,
            service: 'store-gateway',
            id: p.id,
            tenantId: p.tenantId,
            storeId: p.storeId,
            subject: `${p.resource}${p.resourceId ? ` ${p.resourceId}` : ''} (${p.topic})`,
            code: p.code,
            operatorMessage: p.operatorMessage,
            status: p.status,
            parkedAt: p.parkedAt,
            orderKey: p.resource === 'order' && p.resourceId ? `${p.tenantId}:${p.storeId}:${p.resourceId}` : null,
          });
        }
      }
      sources.push({ service: 'store-gateway', ok: r.ok, ...(r.ok ? {} : { error: r.error }) });
    } else {
      sources.push({ service: 'store-gateway', ok: false, error: 'not configured (STORE_GATEWAY_URL)' });
    }
    sources.push({ service: 'connector-fortnox', ok: false, error: 'connector-fortnox has no parked-events listing yet; see each order\'s sync log' });
    items.sort((a, b) => b.parkedAt.localeCompare(a.parkedAt));
    return { items, sources };
  }

  @Post(':service/:id/replay')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiOperation({ summary: 'Replays one parked event in its owning service (operator). connector-fortnox documents need {"tenantId"} in the body.' })
  @ApiBody({ required: false, schema: { type: 'object', properties: { tenantId: { type: 'string' } } } })
  async replayOne(@Param('service') service: string, @Param('id') id: string, @Body() raw: unknown, @Actor() actor: Principal): Promise<ReplayOutcome> {
    const body = raw === undefined || raw === null ? {} : objectBody(raw, '{"tenantId": "acme"}');
    return this.replay(`${service}:${id}`, typeof body['tenantId'] === 'string' ? body['tenantId'] : undefined, actor);
  }

  @Post('replay')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiOperation({ summary: 'Replays many parked events, one after another (operator).' })
  @ApiBody({ schema: { type: 'object', required: ['refs'], properties: { refs: { type: 'array', items: { type: 'string', example: 'store-gateway:12' } }, tenantId: { type: 'string' } } } })
  async replayMany(@Body() raw: unknown, @Actor() actor: Principal): Promise<ReplayOutcome[]> {
    const body = objectBody(raw, '{"refs": ["control-plane:3", "store-gateway:12"]}');
    const refs = body['refs'];
    if (!Array.isArray(refs) || refs.length === 0 || refs.length > 200 || refs.some((r) => typeof r !== 'string')) {
      throw new BadRequestException({ statusCode: 400, code: 'REPLAY_INVALID', message: 'refs must be a list of 1-200 parked event refs like "store-gateway:12".', problems: [{ field: 'refs', problem: 'must be 1-200 refs' }] });
    }
    const out: ReplayOutcome[] = [];
    for (const ref of refs as string[]) out.push(await this.replay(ref, typeof body['tenantId'] === 'string' ? body['tenantId'] : undefined, actor));
    return out;
  }

  private async replay(ref: string, tenantId: string | undefined, actor: Principal): Promise<ReplayOutcome> {
    const [service, id = ''] = ref.split(/:(.*)/s) as [string, string?];
    let outcome: ReplayOutcome;
    if (service === 'control-plane') {
      const row = /^\d+$/.test(id) ? await this.messaging.runners[0]?.parking.get(id) : null;
      const runner = row ? this.messaging.runnerOf(row.consumerGroup) : undefined;
      if (!row || !runner) throw notFound('PARKED_EVENT_UNKNOWN', `No parked event ${ref}; list them under Parked events.`);
      const results = await runner.replay(id);
      const first = results[0];
      const failed = results.find((r) => r.outcome === 'failed');
      outcome = {
        ref,
        ok: !failed,
        outcome: failed ? 'failed' : (first?.outcome ?? 'replayed'),
        message: failed ? `Still parked: ${failed.operatorMessage ?? failed.code}` : `Replayed ${results.length} event(s): ${results.map((r) => `#${r.id} ${r.outcome}`).join(', ')}.`,
      };
    } else if (service === 'store-gateway') {
      const r = await this.services.call<{ outcome: string; parkedId?: string }>('store-gateway', 'POST', `/parked-deliveries/${encodeURIComponent(id)}/replay`);
      outcome = r.ok
        ? { ref, ok: r.body.outcome !== 'parked', outcome: r.body.outcome, message: r.body.outcome === 'parked' ? 'Still parked: store-gateway could not map it yet; check its operator message.' : `store-gateway replayed it (${r.body.outcome}).` }
        : { ref, ok: false, outcome: 'error', message: r.error };
    } else if (service === 'connector-fortnox') {
      if (!tenantId) throw new BadRequestException({ statusCode: 400, code: 'REPLAY_INVALID', message: 'Replaying a connector-fortnox document needs {"tenantId": "<tenant>"}.', problems: [{ field: 'tenantId', problem: 'is required' }] });
      const r = await this.services.call<{ status: string }>('connector-fortnox', 'POST', `/tenants/${encodeURIComponent(tenantId)}/documents/${encodeURIComponent(id)}/replay`);
      outcome = r.ok ? { ref, ok: true, outcome: r.body.status, message: `connector-fortnox reopened the document (status ${r.body.status}).` } : { ref, ok: false, outcome: 'error', message: r.error };
    } else {
      throw notFound('PARKED_EVENT_UNKNOWN', `"${ref}" names no service; refs look like control-plane:3, store-gateway:12 or connector-fortnox:<intent id>.`);
    }
    await withTransaction(this.pool, (tx) => this.audit.record(tx, actor, { action: 'parked.replayed', tenantId: tenantId ?? null, subjectKind: 'parked-event', subjectId: ref, changes: { outcome: outcome.outcome, ok: outcome.ok } }));
    return outcome;
  }
}
