import { BadRequestException, ConflictException, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Put, Query, Req, UseGuards } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { COMPONENTS } from '../config/tokens';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { readJsonObject } from '../http/read-body';
import type { PayoutComponents } from '../messaging/components';
import { MAPPING_EXAMPLE, validateMapping, type MappingView } from './provider-mapping';

/** Mapping per provider merchant account: tenant, ERP connection, accounts, gateways and credentials. */
@Controller('mappings')
@UseGuards(AdminTokenGuard)
export class MappingsController {
  constructor(@Inject(COMPONENTS) private readonly c: PayoutComponents) {}

  @Get()
  list(@Query('provider') provider?: string, @Query('tenantId') tenantId?: string): Promise<MappingView[]> {
    return this.c.mappings.views({ provider, tenantId });
  }

  @Get(':provider/:merchantAccount')
  async get(@Param('provider') provider: string, @Param('merchantAccount') merchantAccount: string): Promise<MappingView> {
    const found = await this.c.mappings.view(provider, merchantAccount);
    if (!found) throw new NotFoundException({ statusCode: 404, code: 'MAPPING_MISSING', message: `No mapping for ${provider} merchant account "${merchantAccount}"; create it with PUT /mappings/${provider}/${merchantAccount} and a body like ${MAPPING_EXAMPLE}.` });
    return found;
  }

  /** Creates or replaces a mapping; lines waiting for it are matched on the next pass. */
  @Put(':provider/:merchantAccount')
  async put(@Param('provider') provider: string, @Param('merchantAccount') merchantAccount: string, @Req() req: IncomingMessage): Promise<MappingView & { created: boolean }> {
    const body = await readJsonObject(req, MAPPING_EXAMPLE);
    const result = validateMapping(provider, merchantAccount, body);
    if ('problems' in result) throw new BadRequestException({ statusCode: 400, code: 'MAPPING_INVALID', message: `Mapping ${provider}/${merchantAccount} was not saved: ${result.problems.join('; ')}.`, problems: result.problems });
    const conflict = await this.c.mappings.gatewayConflict(result.mapping);
    if (conflict) {
      throw new ConflictException({
        statusCode: 409,
        code: 'MAPPING_GATEWAY_TAKEN',
        message: `Mapping ${provider}/${merchantAccount} was not saved: gateway "${conflict.gateway}" already belongs to ${conflict.provider}/${conflict.merchantAccount} of tenant "${result.mapping.tenantId}". A WooCommerce gateway settles through one provider account; remove it there first.`,
      });
    }
    const created = await this.c.mappings.upsert(result.mapping);
    this.c.worker.poke();
    const saved = await this.c.mappings.view(provider, merchantAccount);
    if (!saved) throw new ConflictException({ statusCode: 409, code: 'MAPPING_CHANGED', message: `Mapping ${provider}/${merchantAccount} was removed while it was saved; send it again.` });
    return { ...saved, created };
  }

  @Delete(':provider/:merchantAccount')
  @HttpCode(204)
  async remove(@Param('provider') provider: string, @Param('merchantAccount') merchantAccount: string): Promise<void> {
    if (!(await this.c.mappings.delete(provider, merchantAccount))) throw new NotFoundException({ statusCode: 404, code: 'MAPPING_MISSING', message: `No mapping for ${provider} merchant account "${merchantAccount}".` });
  }
}
