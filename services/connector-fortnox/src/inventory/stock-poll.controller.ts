import { Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { STOCK_POLL } from '../messaging/messaging.module';
import type { StockPollJob, StockPollResult } from './stock-poll.job';

/** `POST /tenants/:tenantId/stock/poll`: reads the tenant's Fortnox stock now and emits what changed. */
@Controller('tenants/:tenantId/stock')
export class StockPollController {
  constructor(@Inject(STOCK_POLL) private readonly job: StockPollJob) {}

  @Post('poll')
  @HttpCode(200)
  async poll(@Param('tenantId') tenantId: string): Promise<StockPollResult> {
    const result = await this.job.poll(tenantId);
    if (!result) throw new NotFoundException(`Tenant "${tenantId}" has no Fortnox connection; connect it under Connections → Fortnox first.`);
    return result;
  }
}
