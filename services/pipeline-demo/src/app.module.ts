import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@ledgerline/observability';
import type { PipelineDemoConfig } from './config/pipeline-demo.config';
import { MessagingModule } from './messaging/messaging.module';
import { DemoOrdersController } from './orders/demo-orders.controller';

/** Wires the feature modules; no providers of its own. */
@Module({})
export class AppModule {
  static forRoot(config: PipelineDemoConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ObservabilityModule.forRoot({ serviceName: 'pipeline-demo' }), MessagingModule.forRoot(config)],
      controllers: [DemoOrdersController],
    };
  }
}
