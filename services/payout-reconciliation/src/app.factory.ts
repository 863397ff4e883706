import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import type { PayoutReconciliationConfig } from './config/payout-reconciliation.config';

/**
 * Creates the Nest app as main.ts and the integration tests run it. The body parser is off: report hashes and Adyen
 * signatures are computed over the exact bytes received, and uploads can be far larger than a JSON body limit.
 */
export async function createPayoutReconciliationApp(config: PayoutReconciliationConfig, opts: { logger?: false | Array<'error' | 'warn' | 'log'> } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, logger: opts.logger ?? ['error', 'warn'] });
  app.enableShutdownHooks();
  return app;
}
