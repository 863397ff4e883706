import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@ledgerline/observability';
import type { PayoutReconciliationConfig } from './config/payout-reconciliation.config';
import { AdminTokenGuard } from './http/admin-token.guard';
import { AdyenWebhookController } from './ingest/adyen-webhook.controller';
import { ReportsController } from './ingest/reports.controller';
import { MappingsController } from './mappings/mappings.controller';
import { MessagingModule } from './messaging/messaging.module';
import { PayoutsController } from './payouts/payouts.controller';

/** Wires the feature modules; no providers of its own beyond the admin guard. */
@Module({})
export class AppModule {
  static forRoot(config: PayoutReconciliationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ObservabilityModule.forRoot({ serviceName: 'payout-reconciliation' }), MessagingModule.forRoot(config)],
      controllers: [MappingsController, ReportsController, PayoutsController, AdyenWebhookController],
      providers: [AdminTokenGuard],
    };
  }
}
