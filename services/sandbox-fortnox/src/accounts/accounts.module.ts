import { Module } from '@nestjs/common';
import { VouchersModule } from '../vouchers/vouchers.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

@Module({ imports: [VouchersModule], controllers: [AccountsController], providers: [AccountsService] })
export class AccountsModule {}
