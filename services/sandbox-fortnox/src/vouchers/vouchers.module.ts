import { Module } from '@nestjs/common';
import { FinancialYearsController, VoucherSeriesController, VouchersController } from './vouchers.controller';
import { VouchersService } from './vouchers.service';

@Module({ controllers: [VouchersController, VoucherSeriesController, FinancialYearsController], providers: [VouchersService], exports: [VouchersService] })
export class VouchersModule {}
