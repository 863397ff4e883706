import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@ledgerline/observability';
import { AdminTokenGuard } from './admin/admin-token.guard';
import { AdminController } from './admin/admin.controller';
import { ParkedEventsController } from './admin/parked-events.controller';
import type { InventorySyncConfig } from './config/inventory-sync.config';
import { MessagingModule } from './messaging/messaging.module';

/** Wires inventory-sync's pieces; no providers of its own beyond the admin guard. */
@Module({})
export class AppModule {
  static forRoot(config: InventorySyncConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ObservabilityModule.forRoot({ serviceName: 'inventory-sync' }), MessagingModule.forRoot(config)],
      controllers: [AdminController, ParkedEventsController],
      providers: [AdminTokenGuard],
    };
  }
}
