import { Controller, Get, Query } from '@nestjs/common';
import type { Query as ListQuery } from '../common/list-query';
import { SandboxEndpoint } from '../common/sandbox-endpoint.decorator';
import { CurrentTenant } from '../common/sandbox-request';
import type { FortnoxTenant, StockBalance } from '../state/fortnox.state';

/**
 * GET /api/warehouse/status-v1/stockbalance (OpenAPI `getStockBalance`): one entry per item and stock
 * point, `availableStock` being `inStock` less what is reserved. The OpenAPI declares the filters as
 * exploded arrays and describes them as comma-separated, so both `itemIds=a,b` and `itemIds=a&itemIds=b`
 * work. Items nobody set stock for are absent, not zero (our reading: the warehouse lists balances it has).
 */
@Controller('api/warehouse/status-v1')
@SandboxEndpoint()
export class StockBalanceController {
  @Get('stockbalance')
  stockBalance(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery): StockBalance[] {
    const itemIds = listParameter(query.itemIds);
    const stockPoints = listParameter(query.stockPointCodes);
    const out: StockBalance[] = [];
    for (const [itemId, points] of tenant.stock) {
      if (itemIds && !itemIds.has(itemId)) continue;
      for (const balance of points.values()) {
        if (stockPoints && !stockPoints.has(balance.stockPointCode)) continue;
        out.push({ ...balance });
      }
    }
    return out;
  }
}

function listParameter(raw: unknown): Set<string> | undefined {
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  return new Set(values);
}
