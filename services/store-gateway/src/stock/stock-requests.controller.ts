import { BadRequestException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../stores/admin-token.guard';
import { StockRequestsRepository, type StockRequestView } from './stock-requests.repository';

/**
 * `GET /stores/:storeId/stock-requests?status=open|done`: what the stock writer holds for a store (parts received and
 * reported, attempts, the last error with its operator message). `POST .../:requestId/retry`: try a request that
 * waits after failures now, once the cause (credentials, an unreachable store) is fixed.
 */
@Controller('stores/:storeId/stock-requests')
@UseGuards(AdminTokenGuard)
export class StockRequestsController {
  constructor(private readonly requests: StockRequestsRepository) {}

  @Get()
  async list(@Param('storeId') storeId: string, @Query('status') status = 'open'): Promise<StockRequestView[]> {
    if (status !== 'open' && status !== 'done') throw new BadRequestException({ statusCode: 400, code: 'ADMIN_QUERY_INVALID', message: 'status must be "open" or "done".' });
    return this.requests.list(storeId, status);
  }

  @Post(':requestId/retry')
  @HttpCode(200)
  async retry(@Param('storeId') storeId: string, @Param('requestId') requestId: string): Promise<{ requestId: string; due: true }> {
    if (!(await this.requests.retryNow(storeId, requestId))) {
      throw new NotFoundException({ statusCode: 404, code: 'STOCK_REQUEST_NOT_OPEN', message: `Store "${storeId}" has no open stock request "${requestId}"; GET /stores/${storeId}/stock-requests lists the open ones.` });
    }
    return { requestId, due: true };
  }
}
