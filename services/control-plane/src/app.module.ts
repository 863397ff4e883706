import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import { ObservabilityModule } from '@ledgerline/observability';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsJob } from './alerts/alerts.job';
import { AuditController } from './audit/audit.controller';
import { AuditLog } from './audit/audit.repository';
import { ApiTokensController } from './auth/api-tokens.controller';
import { ApiTokensRepository } from './auth/api-tokens.repository';
import { AuthGuard } from './auth/auth.guard';
import { ConfigPublisher } from './config-distribution/config.publisher';
import type { ControlPlaneConfig } from './config/control-plane.config';
import { LOGGER } from './config/tokens';
import { ErpConnectionsController } from './connections/erp-connections.controller';
import { ErpConnectionsRepository } from './connections/erp-connections.repository';
import { MappingsController } from './mappings/mappings.controller';
import { MappingsRepository } from './mappings/mappings.repository';
import { MessagingLifecycle, MessagingModule } from './messaging/messaging.module';
import { ParkedController } from './parked/parked.controller';
import { ServiceClients } from './parked/service-clients';
import { StoresController } from './stores/stores.controller';
import { StoresRepository } from './stores/stores.repository';
import { SyncLogController } from './sync-log/sync-log.controller';
import { TimelineHandler } from './sync-log/timeline.handler';
import { TimelineRepository } from './sync-log/timeline.repository';
import { TenantsController } from './tenants/tenants.controller';
import { TenantsRepository } from './tenants/tenants.repository';

/** Wires the control plane's pieces; every route goes through AuthGuard (APP_GUARD). */
@Module({})
export class AppModule {
  static forRoot(config: ControlPlaneConfig, log: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [ObservabilityModule.forRoot({ serviceName: 'control-plane' }), MessagingModule.forRoot(config)],
      controllers: [
        TenantsController,
        StoresController,
        ErpConnectionsController,
        MappingsController,
        SyncLogController,
        ParkedController,
        AlertsController,
        ApiTokensController,
        AuditController,
      ],
      providers: [
        { provide: LOGGER, useValue: log },
        { provide: APP_GUARD, useClass: AuthGuard },
        ApiTokensRepository,
        AuditLog,
        ConfigPublisher,
        TenantsRepository,
        StoresRepository,
        ErpConnectionsRepository,
        MappingsRepository,
        TimelineRepository,
        TimelineHandler,
        MessagingLifecycle,
        ServiceClients,
        AlertsJob,
      ],
    };
  }
}
