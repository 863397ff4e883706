import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { withTransaction } from '@ledgerline/messaging';
import { AuditLog, diff } from '../audit/audit.repository';
import { Actor, RequiresRole, type Principal } from '../auth/roles';
import { ConfigPublisher } from '../config-distribution/config.publisher';
import { POOL } from '../config/tokens';
import { objectBody, Problems, SLUG } from '../http/problems';
import { TenantsRepository, type Tenant } from './tenants.repository';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('api/tenants')
export class TenantsController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditLog,
    private readonly publisher: ConfigPublisher,
  ) {}

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Lists the tenants (viewer).' })
  list(): Promise<Tenant[]> {
    return this.tenants.all();
  }

  @Put(':tenantId')
  @ApiOperation({ summary: 'Creates or renames a tenant (admin).' })
  @ApiBody({ schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', example: 'Acme AB' } } } })
  async put(@Param('tenantId') tenantId: string, @Body() raw: unknown, @Actor() actor: Principal): Promise<Tenant> {
    const body = objectBody(raw, '{"name": "Acme AB"}');
    const p = new Problems(body);
    if (!SLUG.test(tenantId)) p.add('tenantId', `"${tenantId}" must be lower-case letters, digits and dashes, like "acme"`);
    const name = p.text('name', /^.{1,120}$/, 'the tenant\'s display name (1-120 characters)');
    p.throwIfAny('TENANT_INVALID', `Tenant "${tenantId}" was not saved`);
    return withTransaction(this.pool, async (tx) => {
      const { before, after } = await this.tenants.upsert(tx, tenantId, name as string);
      await this.audit.record(tx, actor, { action: before ? 'tenant.updated' : 'tenant.created', tenantId, subjectKind: 'tenant', subjectId: tenantId, changes: diff(before ? { name: before.name } : null, { name: after.name }) });
      await this.publisher.publish(tx, actor, { tenantId, kind: 'tenant', subjectId: tenantId, data: { name: after.name } });
      return after;
    });
  }
}
