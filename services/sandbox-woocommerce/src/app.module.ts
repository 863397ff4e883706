import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@ledgerline/observability';
import { ControlController, SANDBOX_CONTROL } from './control/control.controller';
import type { SandboxControl } from './control/sandbox-control';
import { CustomersController } from './customers/customers.controller';
import { IndexController } from './http/index.controller';
import { SANDBOX_RUNTIME } from './http/route';
import { OrdersController } from './orders/orders.controller';
import { ProductsController } from './products/products.controller';
import { VariationsController } from './products/variations.controller';
import { RefundsController } from './refunds/refunds.controller';
import type { SandboxRuntime } from './sandbox-runtime';
import { WebhooksController } from './webhooks/webhooks.controller';

/** Wires one sandbox's routes; no providers of its own beyond the runtime it serves. */
@Module({})
export class SandboxAppModule {
  /**
   * @param observability adds /health/live, /health/ready and /metrics; only the standalone
   * process wants them (in-process, setting the service name would relabel the host's metrics).
   */
  static forRoot(runtime: SandboxRuntime, control: SandboxControl, observability: boolean): DynamicModule {
    return {
      module: SandboxAppModule,
      imports: observability ? [ObservabilityModule.forRoot({ serviceName: 'sandbox-woocommerce' })] : [],
      // Order matters: variations and refunds before the `:id` routes of their parents' controllers.
      controllers: [IndexController, VariationsController, RefundsController, OrdersController, ProductsController, CustomersController, WebhooksController, ControlController],
      providers: [
        { provide: SANDBOX_RUNTIME, useValue: runtime },
        { provide: SANDBOX_CONTROL, useValue: control },
      ],
    };
  }
}
