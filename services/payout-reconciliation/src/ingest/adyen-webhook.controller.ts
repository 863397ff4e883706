import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { COMPONENTS } from '../config/tokens';
import { readJsonObject } from '../http/read-body';
import type { PayoutComponents } from '../messaging/components';
import { refused } from './reports.controller';

/**
 * Adyen standard notifications. Authenticated by each item's HMAC signature (the mapping's key), not the admin token.
 * Answers `[accepted]` at once; report downloads run after the answer (Adyen expects a fast 2xx).
 */
@Controller('webhooks/adyen')
export class AdyenWebhookController {
  constructor(@Inject(COMPONENTS) private readonly c: PayoutComponents) {}

  @Post()
  @HttpCode(200)
  async notify(@Req() req: IncomingMessage): Promise<string> {
    const body = await readJsonObject(req, '{"live": "false", "notificationItems": [{"NotificationRequestItem": {...}}]}', 1024 * 1024);
    // Downloads continue after the answer; their failures are logged by the ingest service.
    await this.c.ingest.adyenNotification(body).catch(refused);
    return '[accepted]';
  }
}
