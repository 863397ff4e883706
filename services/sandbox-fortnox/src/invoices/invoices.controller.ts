import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import type { Query as ListQuery } from '../common/list-query';
import { SandboxEndpoint } from '../common/sandbox-endpoint.decorator';
import { CurrentTenant } from '../common/sandbox-request';
import type { FortnoxTenant } from '../state/fortnox.state';
import { InvoicesService } from './invoices.service';

/** /3/invoices as in the OpenAPI (create_23, get_27, update_18, list_20, bookkeep_1, cancel, credit). */
@Controller('3/invoices')
@SandboxEndpoint()
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Post()
  create(@CurrentTenant() tenant: FortnoxTenant, @Body() body: unknown) {
    return { Invoice: this.invoices.create(tenant, body) };
  }

  @Get()
  list(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery) {
    return this.invoices.list(tenant, query);
  }

  @Get(':DocumentNumber')
  get(@CurrentTenant() tenant: FortnoxTenant, @Param('DocumentNumber') documentNumber: string) {
    return { Invoice: this.invoices.get(tenant, documentNumber) };
  }

  @Put(':DocumentNumber')
  update(@CurrentTenant() tenant: FortnoxTenant, @Param('DocumentNumber') documentNumber: string, @Body() body: unknown) {
    return { Invoice: this.invoices.update(tenant, documentNumber, body) };
  }

  @Put(':DocumentNumber/bookkeep')
  bookkeep(@CurrentTenant() tenant: FortnoxTenant, @Param('DocumentNumber') documentNumber: string) {
    return { Invoice: this.invoices.bookkeep(tenant, documentNumber) };
  }

  @Put(':DocumentNumber/cancel')
  cancel(@CurrentTenant() tenant: FortnoxTenant, @Param('DocumentNumber') documentNumber: string) {
    return { Invoice: this.invoices.cancel(tenant, documentNumber) };
  }

  @Put(':DocumentNumber/credit')
  credit(@CurrentTenant() tenant: FortnoxTenant, @Param('DocumentNumber') documentNumber: string) {
    return { Invoice: this.invoices.credit(tenant, documentNumber) };
  }
}
