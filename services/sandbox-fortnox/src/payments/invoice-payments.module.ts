import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { InvoicePaymentsController } from './invoice-payments.controller';
import { InvoicePaymentsService } from './invoice-payments.service';

@Module({ imports: [InvoicesModule], controllers: [InvoicePaymentsController], providers: [InvoicePaymentsService] })
export class InvoicePaymentsModule {}
