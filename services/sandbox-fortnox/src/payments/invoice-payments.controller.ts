import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import type { Query as ListQuery } from '../common/list-query';
import { SandboxEndpoint } from '../common/sandbox-endpoint.decorator';
import { CurrentTenant } from '../common/sandbox-request';
import type { FortnoxTenant } from '../state/fortnox.state';
import { InvoicePaymentsService } from './invoice-payments.service';

/** /3/invoicepayments as in the OpenAPI (create_22, get_26, list_19, bookkeep). */
@Controller('3/invoicepayments')
@SandboxEndpoint()
export class InvoicePaymentsController {
  constructor(private readonly payments: InvoicePaymentsService) {}

  @Post()
  create(@CurrentTenant() tenant: FortnoxTenant, @Body() body: unknown) {
    return { InvoicePayment: this.payments.create(tenant, body) };
  }

  @Get()
  list(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery) {
    return this.payments.list(tenant, query);
  }

  @Get(':Number')
  get(@CurrentTenant() tenant: FortnoxTenant, @Param('Number') number: string) {
    return { InvoicePayment: this.payments.get(tenant, number) };
  }

  @Put(':Number/bookkeep')
  bookkeep(@CurrentTenant() tenant: FortnoxTenant, @Param('Number') number: string) {
    return { InvoicePayment: this.payments.bookkeep(tenant, number) };
  }
}
