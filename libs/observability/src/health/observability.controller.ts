import { Controller, Get, Inject, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthRegistry, type HealthCheck } from './health.registry';
import { liveResponse, metricsResponse, readyResponse, type EndpointResponse } from './observability.endpoints';

/** Injection token for the options given to `ObservabilityModule.forRoot`. */
export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

/** Options for `ObservabilityModule.forRoot`. */
export interface ObservabilityModuleOptions {
  /** The service's name, e.g. `connector-fortnox`; passed to `setServiceName`. */
  serviceName: string;
  /** Readiness checks known at boot; inject `HealthRegistry` to add more later. */
  checks?: HealthCheck[];
  /** Time each readiness check gets; defaults to `DEFAULT_READY_TIMEOUT_MS` (2 s). */
  readyTimeoutMs?: number;
}

/**
 * Serves /health/live, /health/ready and /metrics through the app's HTTP adapter (Express or
 * Fastify alike). Paths are absolute: exclude them from `app.setGlobalPrefix`.
 */
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityModuleOptions,
  ) {}

  @Get('health/live')
  async live(@Res() res: unknown): Promise<void> {
    this.send(res, await liveResponse());
  }

  @Get('health/ready')
  async ready(@Res() res: unknown): Promise<void> {
    this.send(res, await readyResponse(this.health, this.options.readyTimeoutMs));
  }

  @Get('metrics')
  async metrics(@Res() res: unknown): Promise<void> {
    this.send(res, await metricsResponse());
  }

  private send(res: unknown, answer: EndpointResponse): void {
    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(res, 'Content-Type', answer.contentType);
    adapter.setHeader(res, 'Cache-Control', 'no-store');
    adapter.reply(res, answer.body, answer.statusCode);
  }
}
