import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ObservabilityModule } from '@ledgerline/observability';
import { AdyenController } from './adyen/adyen.controller';
import { ControlController } from './control/control.controller';
import { PspExceptionFilter } from './http/psp-exception.filter';
import { PSP_RUNTIME } from './http/runtime.token';
import { KlarnaController } from './klarna/klarna.controller';
import type { PspRuntime } from './psp-runtime';
import { StripeController } from './stripe/stripe.controller';

/** Wires the three provider faces and the control API around one {@link PspRuntime}. */
@Module({})
export class PspAppModule {
  /** `observability` adds /health and /metrics: only for the standalone process, never in-process (it would rename the host's metrics). */
  static forRoot(runtime: PspRuntime, observability: boolean): DynamicModule {
    return {
      module: PspAppModule,
      imports: observability ? [ObservabilityModule.forRoot({ serviceName: 'sandbox-psp' })] : [],
      controllers: [StripeController, KlarnaController, AdyenController, ControlController],
      providers: [{ provide: PSP_RUNTIME, useValue: runtime }, { provide: APP_FILTER, useClass: PspExceptionFilter }],
    };
  }
}
