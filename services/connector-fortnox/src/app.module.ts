import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@ledgerline/observability';
import type { ConnectorFortnoxConfig } from './config/connector-fortnox.config';
import { ConnectionsController } from './connections/connections.controller';
import { StockPollController } from './inventory/stock-poll.controller';
import { MappingsController } from './mappings/mappings.controller';
import { MessagingModule } from './messaging/messaging.module';
import { DocumentReplayController, SyncLogController } from './orders/sync-log.controller';
import { PayoutBookingsController } from './payouts/payout-bookings.controller';

/** Wires the feature modules; no providers of its own. */
@Module({})
export class AppModule {
  static forRoot(config: ConnectorFortnoxConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ObservabilityModule.forRoot({ serviceName: 'connector-fortnox' }), MessagingModule.forRoot(config)],
      controllers: [ConnectionsController, MappingsController, SyncLogController, DocumentReplayController, StockPollController, PayoutBookingsController],
    };
  }
}
