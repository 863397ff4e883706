import { Module, type DynamicModule } from '@nestjs/common';
import { setServiceName } from '../service-name';
import { HealthRegistry } from './health.registry';
import { OBSERVABILITY_OPTIONS, ObservabilityController, type ObservabilityModuleOptions } from './observability.controller';

/**
 * Nest module for a service's probes and metrics. Import it once in the root module:
 * `ObservabilityModule.forRoot({ serviceName: 'connector-fortnox', checks: [dbCheck] })`.
 */
@Module({})
export class ObservabilityModule {
  /**
   * Returns a global module that serves `GET /health/live` (200 while the event loop answers),
   * `GET /health/ready` (200 `{status:'ok',checks:{<name>:'ok'}}` when every check passes within
   * the timeout, else 503 with each failing check's message) and `GET /metrics` (Prometheus text
   * of `metricsRegistry`), and exports {@link HealthRegistry} for checks added at runtime.
   * Calls `setServiceName(serviceName)` right away, so metrics and logs carry it from boot.
   */
  static forRoot(opts: ObservabilityModuleOptions): DynamicModule {
    setServiceName(opts.serviceName);
    const options: ObservabilityModuleOptions = { ...opts };
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [ObservabilityController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        {
          provide: HealthRegistry,
          useFactory: () => {
            const registry = new HealthRegistry();
            for (const check of opts.checks ?? []) registry.add(check);
            return registry;
          },
        },
      ],
      exports: [HealthRegistry],
    };
  }
}
