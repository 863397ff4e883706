import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import type { Query as ListQuery } from '../common/list-query';
import { SandboxEndpoint } from '../common/sandbox-endpoint.decorator';
import { CurrentTenant } from '../common/sandbox-request';
import type { FortnoxTenant } from '../state/fortnox.state';
import { VouchersService } from './vouchers.service';

/** /3/vouchers as in the OpenAPI (create_47, list_46, listVouchers, listSeries, get_57). */
@Controller('3/vouchers')
@SandboxEndpoint()
export class VouchersController {
  constructor(private readonly vouchers: VouchersService) {}

  @Post()
  create(@CurrentTenant() tenant: FortnoxTenant, @Body() body: unknown, @Query() query: ListQuery) {
    return { Voucher: this.vouchers.create(tenant, body, query) };
  }

  @Get()
  list(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery) {
    return this.vouchers.list(tenant, query);
  }

  // Declared before ':VoucherSeries/:VoucherNumber', which would otherwise take "sublist/<series>".
  @Get('sublist')
  sublist(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery) {
    return this.vouchers.list(tenant, query);
  }

  @Get('sublist/:VoucherSeries')
  sublistOfSeries(@CurrentTenant() tenant: FortnoxTenant, @Param('VoucherSeries') series: string, @Query() query: ListQuery) {
    return this.vouchers.list(tenant, query, series);
  }

  @Get(':VoucherSeries/:VoucherNumber')
  get(@CurrentTenant() tenant: FortnoxTenant, @Param('VoucherSeries') series: string, @Param('VoucherNumber') number: string, @Query() query: ListQuery) {
    return { Voucher: this.vouchers.get(tenant, series, number, query) };
  }
}

/** /3/voucherseries (list_47, get_58, create_48, update_43). */
@Controller('3/voucherseries')
@SandboxEndpoint()
export class VoucherSeriesController {
  constructor(private readonly vouchers: VouchersService) {}

  @Get()
  list(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery) {
    return this.vouchers.listSeries(tenant, query);
  }

  @Post()
  create(@CurrentTenant() tenant: FortnoxTenant, @Body() body: unknown) {
    return { VoucherSeries: this.vouchers.createSeries(tenant, body) };
  }

  @Get(':Code')
  get(@CurrentTenant() tenant: FortnoxTenant, @Param('Code') code: string) {
    return { VoucherSeries: this.vouchers.getSeries(tenant, code) };
  }

  @Put(':Code')
  update(@CurrentTenant() tenant: FortnoxTenant, @Param('Code') code: string, @Body() body: unknown) {
    return { VoucherSeries: this.vouchers.updateSeries(tenant, code, body) };
  }
}

/** /3/financialyears (getByDate, get) and /3/settings/lockedperiod (get_29). */
@Controller('3')
@SandboxEndpoint()
export class FinancialYearsController {
  constructor(private readonly vouchers: VouchersService) {}

  @Get('financialyears')
  list(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery) {
    return this.vouchers.financialYears(tenant, query);
  }

  @Get('financialyears/:Id')
  get(@CurrentTenant() tenant: FortnoxTenant, @Param('Id') id: string) {
    return { FinancialYear: this.vouchers.financialYear(tenant, id) };
  }

  /** "If no date is returned, no period is locked." */
  @Get('settings/lockedperiod')
  lockedPeriod(@CurrentTenant() tenant: FortnoxTenant) {
    return { LockedPeriod: { EndDate: tenant.lockedThrough ?? '' } };
  }
}
