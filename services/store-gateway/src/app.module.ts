import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@ledgerline/observability';
import type { StoreGatewayConfig } from './config/store-gateway.config';
import { IngestService } from './ingest/ingest.service';
import { ParkedDeliveriesController } from './ingest/parked-deliveries.controller';
import { MessagingModule } from './messaging/messaging.module';
import { AdminTokenGuard } from './stores/admin-token.guard';
import { SkuIndex } from './stock/sku-index';
import { StockLifecycle } from './stock/stock.lifecycle';
import { StockRequestsController } from './stock/stock-requests.controller';
import { StockRequestHandler } from './stock/stock-request.handler';
import { StockRequestsRepository } from './stock/stock-requests.repository';
import { StockWriteWorker } from './stock/stock-write.worker';
import { StoreClients } from './stores/store-clients';
import { StoresController } from './stores/stores.controller';
import { StoresRepository } from './stores/stores.repository';
import { OrderSweepJob } from './sweep/order-sweep.job';
import { WebhookHealthJob } from './webhook-health/webhook-health.job';
import { WooCommerceWebhookController } from './webhooks/woocommerce-webhook.controller';

/** Wires store-gateway's pieces. */
@Module({})
export class AppModule {
  static forRoot(config: StoreGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ObservabilityModule.forRoot({ serviceName: 'store-gateway' }), MessagingModule.forRoot(config)],
      controllers: [WooCommerceWebhookController, StoresController, ParkedDeliveriesController, StockRequestsController],
      providers: [
        StoresRepository,
        StoreClients,
        IngestService,
        OrderSweepJob,
        WebhookHealthJob,
        AdminTokenGuard,
        SkuIndex,
        StockRequestsRepository,
        StockRequestHandler,
        StockWriteWorker,
        StockLifecycle,
      ],
    };
  }
}
