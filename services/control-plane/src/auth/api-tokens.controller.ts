import { BadRequestException, Body, Controller, Delete, Get, Inject, Param } from '@nestjs/common';
import { Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { withTransaction } from '@ledgerline/messaging';
import { AuditLog } from '../audit/audit.repository';
import { POOL } from '../config/tokens';
import { notFound, objectBody, Problems } from '../http/problems';
import { ApiTokensRepository, type ApiTokenView } from './api-tokens.repository';
import { Actor, RequiresRole, ROLES, type Principal, type Role } from './roles';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api')
export class ApiTokensController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    private readonly tokens: ApiTokensRepository,
    private readonly audit: AuditLog,
  ) {}

  @Get('me')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Who the bearer token belongs to, and its role (viewer).' })
  me(@Actor() actor: Principal): Principal {
    return actor;
  }

  @Get('tokens')
  @ApiOperation({ summary: 'Lists API tokens, never their values (admin).' })
  list(): Promise<ApiTokenView[]> {
    return this.tokens.list();
  }

  @Post('tokens')
  @ApiOperation({ summary: 'Creates an API token for automation (admin). The value is answered once and stored only as a hash.' })
  @ApiBody({ schema: { type: 'object', required: ['name', 'role'], properties: { name: { type: 'string', example: 'ci-replays' }, role: { type: 'string', enum: [...ROLES] } } } })
  async create(@Body() raw: unknown, @Actor() actor: Principal): Promise<ApiTokenView & { token: string }> {
    const body = objectBody(raw, '{"name": "ci-replays", "role": "operator"}');
    const p = new Problems(body);
    const name = p.text('name', /^[A-Za-z0-9 ._@-]{1,80}$/, 'a name of 1-80 letters, digits, spaces or ._@-, like "ci-replays"');
    const role = p.text('role', /^(admin|operator|viewer)$/, 'admin, operator or viewer');
    p.throwIfAny('API_TOKEN_INVALID', 'The API token was not created');
    return withTransaction(this.pool, async (tx) => {
      const { token, view } = await this.tokens.create(tx, { name: name as string, role: role as Role, createdBy: actor.name });
      await this.audit.record(tx, actor, { action: 'api-token.created', tenantId: null, subjectKind: 'api-token', subjectId: view.id, changes: { name: view.name, role: view.role } });
      return { ...view, token };
    });
  }

  @Delete('tokens/:id')
  @ApiOperation({ summary: 'Revokes an API token (admin).' })
  async revoke(@Param('id') id: string, @Actor() actor: Principal): Promise<ApiTokenView> {
    if (!/^\d+$/.test(id)) throw new BadRequestException({ statusCode: 400, code: 'API_TOKEN_INVALID', message: `"${id}" is not a token id; list them with GET /api/tokens.` });
    return withTransaction(this.pool, async (tx) => {
      const revoked = await this.tokens.revoke(tx, id);
      if (!revoked) throw notFound('API_TOKEN_UNKNOWN', `No live API token ${id}; list them with GET /api/tokens.`);
      await this.audit.record(tx, actor, { action: 'api-token.revoked', tenantId: null, subjectKind: 'api-token', subjectId: id, changes: { name: revoked.name } });
      return revoked;
    });
  }
}
