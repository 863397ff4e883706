import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import type { StoreGatewayConfig } from './config/store-gateway.config';

/**
 * Creates the Nest app as main.ts and the integration tests run it. The body parser is off: webhook signatures are
 * verified over the exact bytes received and the size limit must answer 413 with our message, so controllers read
 * bodies themselves (src/http/read-body.ts).
 */
export async function createStoreGatewayApp(config: StoreGatewayConfig, opts: { logger?: false | Array<'error' | 'warn' | 'log'> } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, logger: opts.logger ?? ['error', 'warn'] });
  app.enableShutdownHooks();
  return app;
}
