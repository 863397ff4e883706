import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { PSP_RUNTIME } from '../http/runtime.token';
import { stripeError } from '../http/psp-http.error';
import { queryOf } from '../http/query';
import type { PspRuntime, Scope } from '../psp-runtime';
import { StripeApi } from './stripe.api';

interface RawRequest {
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Stripe's payouts, balance transactions and charges (GET paths of openapi-trimmed-2023-08-16.json). */
@Controller('stripe/v1')
export class StripeController {
  private readonly api: StripeApi;

  constructor(@Inject(PSP_RUNTIME) private readonly runtime: PspRuntime) {
    this.api = new StripeApi(runtime);
  }

  private scope(req: RawRequest): Scope {
    return this.runtime.gate('stripe', req.headers);
  }

  @Get('payouts')
  listPayouts(@Req() req: RawRequest) {
    return this.api.listPayouts(this.scope(req), queryOf(req.url));
  }

  @Get('payouts/:id')
  getPayout(@Req() req: RawRequest, @Param('id') id: string) {
    const p = this.api.payout(this.scope(req), id);
    if (!p) throw stripeError(404, `No such payout: '${id}'`, { code: 'resource_missing', param: 'id' });
    return p;
  }

  @Get('balance_transactions')
  listBalanceTransactions(@Req() req: RawRequest) {
    return this.api.listBalanceTransactions(this.scope(req), queryOf(req.url));
  }

  @Get('balance_transactions/:id')
  getBalanceTransaction(@Req() req: RawRequest, @Param('id') id: string) {
    const t = this.api.balanceTransaction(this.scope(req), id, queryOf(req.url));
    if (!t) throw stripeError(404, `No such balance transaction: '${id}'`, { code: 'resource_missing', param: 'id' });
    return t;
  }

  @Get('charges/:id')
  getCharge(@Req() req: RawRequest, @Param('id') id: string) {
    const c = this.api.charge(this.scope(req), id);
    if (!c) throw stripeError(404, `No such charge: '${id}'`, { code: 'resource_missing', param: 'id' });
    return c;
  }
}
