import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { DestinationStream, Logger } from 'pino';
import { createLogger } from '@ledgerline/observability';
import { AppModule } from './app.module';
import type { ControlPlaneConfig } from './config/control-plane.config';

/** Where the console's static files are (plain HTML and ES modules, no build step). */
export const CONSOLE_DIR = join(__dirname, '..', 'public');

/** Nest's own log lines go to the service's JSON logger, so one stream holds everything the service logs. */
class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  log(message: unknown, context?: string): void {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.pino.trace({ context }, String(message));
  }
}

/** A running control plane app and its OpenAPI document. */
export interface ControlPlaneApp {
  app: NestExpressApplication;
  openApi: OpenAPIObject;
  log: Logger;
}

/**
 * Creates the Nest app as main.ts and the integration tests run it: the admin API under /api (every route behind
 * AuthGuard), its OpenAPI document at /api/openapi.json and Swagger UI at /api/docs, and the console's static files
 * at /console/. `logDestination` lets tests capture every line the service logs.
 */
export async function createControlPlaneApp(config: ControlPlaneConfig, opts: { logDestination?: DestinationStream; logLevel?: string } = {}): Promise<ControlPlaneApp> {
  const log = createLogger('control-plane', { ...(opts.logDestination ? { destination: opts.logDestination } : {}), ...(opts.logLevel ? { level: opts.logLevel } : {}) });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, log), { logger: new PinoNestLogger(log), bodyParser: false });
  app.useBodyParser('json', { limit: '256kb' });
  app.enableShutdownHooks();
  const openApi = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Ledgerline control plane')
      .setDescription('Tenants, stores, ERP connections, flows, mappings with dry run, order sync log, parked events and replay, alerts, API tokens and audit. Every route needs a bearer token (API token or OIDC) with the role named in its summary.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, openApi, { jsonDocumentUrl: 'api/openapi.json' });
  // The console keeps its token in sessionStorage: a strict CSP (no inline or foreign scripts) limits what an injected
  // string could do with it; the pages build the DOM with textContent only.
  app.use('/console', (_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.useStaticAssets(CONSOLE_DIR, { prefix: '/console/', index: 'index.html' });
  app.getHttpAdapter().get('/', (_req: unknown, res: { redirect(status: number, url: string): void }) => res.redirect(302, '/console/'));
  return { app, openApi, log };
}
