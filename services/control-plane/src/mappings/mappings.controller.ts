import { BadRequestException, Body, Controller, Get, HttpCode, HttpException, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { withTransaction } from '@ledgerline/messaging';
import { AuditLog, diff } from '../audit/audit.repository';
import { Actor, RequiresRole, type Principal } from '../auth/roles';
import { ConfigPublisher } from '../config-distribution/config.publisher';
import { POOL } from '../config/tokens';
import { ErpConnectionsRepository } from '../connections/erp-connections.repository';
import { notFound, objectBody } from '../http/problems';
import { StoresRepository } from '../stores/stores.repository';
import { dryRunOrder, type DryRunResult } from './dry-run.mapper';
import { MAPPING_SECTIONS, mappingProblems, type ErpMappings } from './mapping';
import { MappingsRepository } from './mappings.repository';

const MAPPING_SCHEMA = {
  type: 'object',
  properties: {
    taxCodes: { type: 'object', example: { 'SE:25': { vat: 25, account: 3001 }, 'DE:19': { vat: 19, account: 3108, vatAccount: 2616 } } },
    paymentMethods: { type: 'object', example: { stripe: { modeOfPayment: 'KORT', modeOfPaymentAccount: 1580 } } },
    shippingMethods: { type: 'object', example: { flat_rate: { account: 3520, articleNumber: 'FRAKT' } } },
    fees: { type: 'object', example: { default: { account: 3990 } } },
    currencies: { type: 'object', example: { EUR: { rate: 11.45 } } },
  },
};

/** The tenant's mapping per ERP connection (Mappings in the console), validated, audited and published on the config topic; and the dry run. */
@ApiTags('mappings')
@ApiBearerAuth()
@Controller('api')
export class MappingsController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    private readonly mappings: MappingsRepository,
    private readonly connections: ErpConnectionsRepository,
    private readonly stores: StoresRepository,
    private readonly audit: AuditLog,
    private readonly publisher: ConfigPublisher,
  ) {}

  @Get('connections/:connectionId/mappings')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'The mapping of an ERP connection (viewer).' })
  async get(@Param('connectionId') connectionId: string): Promise<ErpMappings> {
    await this.mustFindConnection(connectionId);
    return this.mappings.get(this.pool, connectionId);
  }

  /** Replaces each section given in the body; sections left out are kept. Every problem is answered at once, naming the field. */
  @Put('connections/:connectionId/mappings')
  @ApiOperation({ summary: 'Replaces the mapping sections given (admin): taxCodes, paymentMethods, shippingMethods, fees, currencies. 400 lists every problem by field.' })
  @ApiBody({ schema: MAPPING_SCHEMA })
  async put(@Param('connectionId') connectionId: string, @Body() raw: unknown, @Actor() actor: Principal): Promise<ErpMappings> {
    const body = objectBody(raw, '{"taxCodes": {"SE:25": {"vat": 25, "account": 3001}}}');
    const connection = await this.mustFindConnection(connectionId);
    const problems = mappingProblems(body);
    if (problems.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        code: 'MAPPING_INVALID',
        message: `The mapping of connection "${connectionId}" was not saved: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}.`,
        problems,
      });
    }
    return withTransaction(this.pool, async (tx) => {
      const before = await this.mappings.get(tx, connectionId, true);
      const after: ErpMappings = { ...before };
      for (const section of MAPPING_SECTIONS) if (body[section] !== undefined) (after as unknown as Record<string, unknown>)[section] = body[section];
      await this.mappings.save(tx, connectionId, connection.tenantId, after);
      await this.audit.record(tx, actor, {
        action: 'mappings.updated',
        tenantId: connection.tenantId,
        subjectKind: 'mappings',
        subjectId: connectionId,
        changes: diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>),
      });
      await this.publisher.publish(tx, actor, { tenantId: connection.tenantId, kind: 'mappings', subjectId: connectionId, data: { erp: connection.erp, ...after } });
      return after;
    });
  }

  /**
   * Reads the store's last `limit` orders from WooCommerce and shows the ERP document each would become with the
   * mapping of the store's ERP connection, naming every missing mapping. Nothing is written anywhere.
   */
  @Post('stores/:storeId/dry-run')
  @HttpCode(200)
  @RequiresRole('viewer')
  @ApiOperation({ summary: "Dry run (viewer): the ERP document each of the store's last N orders would become, and which mapping is missing." })
  @ApiBody({ schema: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 }, connectionId: { type: 'string' } } } })
  async dryRun(@Param('storeId') storeId: string, @Body() raw: unknown): Promise<{ storeId: string; connectionId: string; orders: DryRunResult[]; wouldPark: number }> {
    const body = raw === undefined || raw === null ? {} : objectBody(raw, '{"limit": 10}');
    const limit = body['limit'] === undefined ? 10 : Number(body['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
      throw new BadRequestException({ statusCode: 400, code: 'DRY_RUN_INVALID', message: 'limit must be a whole number from 1 to 50, like {"limit": 10}.', problems: [{ field: 'limit', problem: 'must be 1-50' }] });
    }
    const store = await this.stores.find(this.pool, storeId);
    if (!store) throw notFound('STORE_UNKNOWN', `No store "${storeId}"; connect it under Stores.`);
    const connectionId = typeof body['connectionId'] === 'string' ? body['connectionId'] : store.erpConnectionId;
    if (!connectionId) {
      throw new BadRequestException({ statusCode: 400, code: 'DRY_RUN_NO_CONNECTION', message: `Store "${storeId}" feeds no ERP connection; choose one under Stores → ${storeId} → ERP connection.`, problems: [{ field: 'connectionId', problem: 'is required' }] });
    }
    const connection = await this.mustFindConnection(connectionId);
    const mappings = await this.mappings.get(this.pool, connectionId);
    let orders;
    try {
      orders = (await this.stores.client(store, 2).listOrders({ per_page: limit, orderby: 'date', order: 'desc' })).items;
    } catch (err) {
      const e = err as { operatorMessage?: string; message?: string };
      throw new HttpException({ statusCode: 502, code: 'DRY_RUN_STORE_UNREADABLE', message: `Could not read the last orders of store "${storeId}": ${e.operatorMessage ?? e.message}` }, 502);
    }
    const results = orders.map((o) => dryRunOrder(o, mappings, { tenantId: store.tenantId, storeId, erp: connection.erp === 'fortnox' ? 'Fortnox' : connection.erp }));
    return { storeId, connectionId, orders: results, wouldPark: results.filter((r) => r.outcome === 'would-park').length };
  }

  private async mustFindConnection(connectionId: string) {
    const c = await this.connections.find(this.pool, connectionId);
    if (!c) throw notFound('ERP_CONNECTION_UNKNOWN', `No ERP connection "${connectionId}"; connect one under Connections first.`);
    return c;
  }
}
