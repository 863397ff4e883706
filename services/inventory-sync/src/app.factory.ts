import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import type { InventorySyncConfig } from './config/inventory-sync.config';

/** Creates the Nest app as main.ts, the integration tests and the benchmark run it. */
export async function createInventorySyncApp(config: InventorySyncConfig, opts: { logger?: false | Array<'error' | 'warn' | 'log'> } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: opts.logger ?? ['error', 'warn'] });
  app.enableShutdownHooks();
  return app;
}
