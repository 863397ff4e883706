import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@ledgerline/observability';
import { AccountsModule } from './accounts/accounts.module';
import { ArticlesModule } from './articles/articles.module';
import { ControlModule } from './control/control.module';
import { CustomersModule } from './customers/customers.module';
import { InvoicesModule } from './invoices/invoices.module';
import { OAuthModule } from './oauth/oauth.module';
import { InvoicePaymentsModule } from './payments/invoice-payments.module';
import { SandboxCoreModule } from './sandbox-core.module';
import type { SandboxContext } from './sandbox.context';
import { VouchersModule } from './vouchers/vouchers.module';
import { WarehouseModule } from './warehouse/warehouse.module';

/** Wires the feature modules; no providers of its own. */
@Module({})
export class AppModule {
  /**
   * `observability` adds /health and /metrics and names the process `sandbox-fortnox`: only for the
   * standalone process, since in-process sandboxes must not rename their host's metrics.
   */
  static forRoot(ctx: SandboxContext, opts: { observability?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SandboxCoreModule.forRoot(ctx),
        ...(opts.observability ? [ObservabilityModule.forRoot({ serviceName: 'sandbox-fortnox' })] : []),
        OAuthModule,
        CustomersModule,
        ArticlesModule,
        InvoicesModule,
        InvoicePaymentsModule,
        VouchersModule,
        AccountsModule,
        WarehouseModule,
        ControlModule,
      ],
    };
  }
}
