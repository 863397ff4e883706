import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { VouchersModule } from '../vouchers/vouchers.module';
import { InvoicePaymentsController } from './invoice-payments.controller';
import { InvoicePaymentsService } from './invoice-payments.service';

@Module({ imports: [InvoicesModule, VouchersModule], controllers: [InvoicePaymentsController], providers: [InvoicePaymentsService] })
export class InvoicePaymentsModule {}
