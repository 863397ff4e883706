import { Module } from '@nestjs/common';
import { StockBalanceController } from './stock-balance.controller';

@Module({ controllers: [StockBalanceController] })
export class WarehouseModule {}
