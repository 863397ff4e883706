import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Put } from '@nestjs/common';
import { isObject } from '../common/payload';
import type { FaultMatch } from '../faults/fortnox.faults';
import { SANDBOX, type SandboxContext } from '../sandbox.context';
import type { StockBalance } from '../state/fortnox.state';
import { createSandboxControl, type FortnoxSandboxControl } from './sandbox-control';

/**
 * The sandbox's own HTTP API for tests and demos that run it as a separate process. Not part of
 * Fortnox; not authenticated, not counted, not rate limited, never faulted.
 */
@Controller('__sandbox')
export class ControlController {
  private readonly control: FortnoxSandboxControl;

  constructor(@Inject(SANDBOX) private readonly ctx: SandboxContext) {
    this.control = createSandboxControl(ctx);
  }

  /** `{"name"?: string}` → `{tenantId, authorizationCode}`. */
  @Post('tenants')
  createTenant(@Body() body: unknown): { tenantId: string; authorizationCode: string } {
    const name = isObject(body) && typeof body.name === 'string' ? body.name : undefined;
    return this.control.createTenant(name);
  }

  @Post('tenants/:tenantId/authorization-codes')
  authorizationCode(@Param('tenantId') tenantId: string): { authorizationCode: string } {
    this.tenant(tenantId);
    return { authorizationCode: this.control.authorizationCode(tenantId) };
  }

  /** `{"itemId", "inStock", "availableStock"?, "stockPointCode"?}` → the balance as the warehouse API reports it. */
  @Put('tenants/:tenantId/stock')
  setStock(@Param('tenantId') tenantId: string, @Body() body: unknown): StockBalance {
    this.tenant(tenantId);
    if (!isObject(body) || typeof body.itemId !== 'string' || typeof body.inStock !== 'number') {
      throw new BadRequestException('Send {"itemId": "<article number>", "inStock": <number>, "availableStock"?: <number>, "stockPointCode"?: "<code>"}.');
    }
    return this.ctx.state.setStock(tenantId, {
      itemId: body.itemId,
      inStock: body.inStock,
      availableStock: typeof body.availableStock === 'number' ? body.availableStock : undefined,
      stockPointCode: typeof body.stockPointCode === 'string' ? body.stockPointCode : undefined,
    });
  }

  /** Adds an account to the tenant's chart, `{"name"?: string}`. */
  @Put('tenants/:tenantId/accounts/:number')
  @HttpCode(204)
  addAccount(@Param('tenantId') tenantId: string, @Param('number') number: string, @Body() body: unknown): void {
    if (!/^\d{4}$/.test(number)) throw new BadRequestException('An account number has four digits, like 3001.');
    this.tenant(tenantId).accounts.set(Number(number), isObject(body) && typeof body.name === 'string' ? body.name : `Konto ${number}`);
  }

  /** Removes an account from the tenant's chart, so documents naming it fail with 2001304. */
  @Delete('tenants/:tenantId/accounts/:number')
  @HttpCode(204)
  removeAccount(@Param('tenantId') tenantId: string, @Param('number') number: string): void {
    this.tenant(tenantId).accounts.delete(Number(number));
  }

  /** Locks the company's bookkeeping through `{"endDate": "YYYY-MM-DD"}` (null unlocks), as /3/settings/lockedperiod reports. */
  @Put('tenants/:tenantId/locked-period')
  @HttpCode(204)
  lockPeriod(@Param('tenantId') tenantId: string, @Body() body: unknown): void {
    const endDate = isObject(body) ? body.endDate : undefined;
    if (endDate !== null && (typeof endDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(endDate))) throw new BadRequestException('Send {"endDate": "YYYY-MM-DD"} or {"endDate": null}.');
    this.tenant(tenantId).lockedThrough = endDate;
  }

  @Get('counters')
  counters(): Record<string, number> {
    return this.control.counters();
  }

  /**
   * Adds faults: `{"failNext"?: {count, status?, match?, afterStore?}, "timeoutAfterStore"?: {count, match?,
   * destroyAfterMs?}, "latencyMs"?: number, "errorKeyCase"?: "lowercase"|"PascalCase"}`. `match` is an
   * endpoint key such as "POST /3/invoices".
   */
  @Post('faults')
  @HttpCode(204)
  addFaults(@Body() body: unknown): void {
    if (!isObject(body)) throw new BadRequestException('Send a JSON object; see GET /__sandbox for the fields.');
    const { faults } = this.ctx;
    try {
      if (isObject(body.failNext)) {
        const f = body.failNext;
        faults.failNext(Number(f.count ?? 1), { status: optionalNumber(f.status), match: optionalMatch(f.match), afterStore: f.afterStore === true });
      }
      if (isObject(body.timeoutAfterStore)) {
        const f = body.timeoutAfterStore;
        faults.timeoutAfterStore(Number(f.count ?? 1), { match: optionalMatch(f.match), destroyAfterMs: optionalNumber(f.destroyAfterMs) });
      }
      if (body.latencyMs !== undefined) faults.setLatency(Number(body.latencyMs));
      if (body.errorKeyCase !== undefined) {
        if (body.errorKeyCase !== 'lowercase' && body.errorKeyCase !== 'PascalCase') throw new Error('errorKeyCase must be "lowercase" or "PascalCase"');
        faults.errorKeyCase = body.errorKeyCase;
      }
    } catch (err) {
      throw new BadRequestException((err as Error).message);
    }
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.ctx.faults.clear();
  }

  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.control.reset();
  }

  /** A short description of the control API, for people poking at a running sandbox. */
  @Get()
  describe(): Record<string, string> {
    return {
      'POST /__sandbox/tenants': '{"name"?} -> {tenantId, authorizationCode}',
      'POST /__sandbox/tenants/:tenantId/authorization-codes': '-> {authorizationCode}',
      'PUT /__sandbox/tenants/:tenantId/stock': '{"itemId","inStock","availableStock"?,"stockPointCode"?} -> balance',
      'PUT|DELETE /__sandbox/tenants/:tenantId/accounts/:number': 'add or remove a chart-of-accounts entry',
      'PUT /__sandbox/tenants/:tenantId/locked-period': 'lock the bookkeeping through {"endDate"} (null unlocks)',
      'POST /__sandbox/faults': '{"failNext"?:{count,status?,match?,afterStore?},"timeoutAfterStore"?:{count,match?,destroyAfterMs?},"latencyMs"?,"errorKeyCase"?}',
      'DELETE /__sandbox/faults': 'clear faults',
      'GET /__sandbox/counters': 'requests per endpoint and outcome',
      'POST /__sandbox/reset': 'forget everything',
    };
  }

  private tenant(tenantId: string) {
    const tenant = this.ctx.state.tenants.get(tenantId);
    if (!tenant) throw new NotFoundException(`No sandbox tenant "${tenantId}".`);
    return tenant;
  }
}

function optionalNumber(value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : Number(value);
}

function optionalMatch(value: unknown): FaultMatch | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
