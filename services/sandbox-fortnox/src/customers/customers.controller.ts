import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import type { Query as ListQuery } from '../common/list-query';
import { CurrentTenant } from '../common/sandbox-request';
import { SandboxEndpoint } from '../common/sandbox-endpoint.decorator';
import type { FortnoxTenant } from '../state/fortnox.state';
import { CustomersService } from './customers.service';

/** /3/customers as in the OpenAPI (create_16, get_19, update_14, list_15). */
@Controller('3/customers')
@SandboxEndpoint()
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  create(@CurrentTenant() tenant: FortnoxTenant, @Body() body: unknown) {
    return { Customer: this.customers.create(tenant, body) };
  }

  @Get()
  list(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery) {
    return this.customers.list(tenant, query);
  }

  @Get(':CustomerNumber')
  get(@CurrentTenant() tenant: FortnoxTenant, @Param('CustomerNumber') customerNumber: string) {
    return { Customer: this.customers.get(tenant, customerNumber) };
  }

  @Put(':CustomerNumber')
  update(@CurrentTenant() tenant: FortnoxTenant, @Param('CustomerNumber') customerNumber: string, @Body() body: unknown) {
    return { Customer: this.customers.update(tenant, customerNumber, body) };
  }
}
