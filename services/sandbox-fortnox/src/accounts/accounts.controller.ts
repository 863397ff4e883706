import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import type { Query as ListQuery } from '../common/list-query';
import { SandboxEndpoint } from '../common/sandbox-endpoint.decorator';
import { CurrentTenant } from '../common/sandbox-request';
import type { FortnoxTenant } from '../state/fortnox.state';
import { AccountsService } from './accounts.service';

/** /3/accounts as in the OpenAPI (list_2, 1_create_1, get_2, update_1); delete is not implemented. */
@Controller('3/accounts')
@SandboxEndpoint()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  list(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery) {
    return this.accounts.list(tenant, query);
  }

  @Post()
  create(@CurrentTenant() tenant: FortnoxTenant, @Body() body: unknown) {
    return { Account: this.accounts.create(tenant, body) };
  }

  @Get(':Number')
  get(@CurrentTenant() tenant: FortnoxTenant, @Param('Number') number: string) {
    return { Account: this.accounts.get(tenant, number) };
  }

  @Put(':Number')
  update(@CurrentTenant() tenant: FortnoxTenant, @Param('Number') number: string, @Body() body: unknown) {
    return { Account: this.accounts.update(tenant, number, body) };
  }
}
