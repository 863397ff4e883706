import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { PSP_RUNTIME } from '../http/runtime.token';
import { PspHttpError } from '../http/psp-http.error';
import { PROVIDERS, type CaptureOrder, type Provider, type PspFaults, type SettleMonthOptions } from '../ledger/psp-types';
import type { PspRuntime } from '../psp-runtime';

/** The sandbox's own control API (`/__sandbox`), so the standalone process can be driven over HTTP. */
@Controller('__sandbox')
export class ControlController {
  constructor(@Inject(PSP_RUNTIME) private readonly runtime: PspRuntime) {}

  @Post(':provider/:merchantAccount/capture')
  @HttpCode(200)
  capture(@Param('provider') provider: string, @Param('merchantAccount') merchantAccount: string, @Body() body: { orders?: CaptureOrder[] }) {
    return attempt(() => this.runtime.capture(known(provider), merchantAccount, Array.isArray(body?.orders) ? body.orders : []));
  }

  @Post(':provider/:merchantAccount/settle-month')
  @HttpCode(200)
  settleMonth(@Param('provider') provider: string, @Param('merchantAccount') merchantAccount: string, @Body() body: SettleMonthOptions) {
    return attempt(() => this.runtime.settleMonth(known(provider), merchantAccount, body));
  }

  @Post(':provider/faults')
  @HttpCode(200)
  faults(@Param('provider') provider: string, @Body() body: PspFaults) {
    return attempt(() => {
      this.runtime.setFaults(known(provider), body ?? {});
      return this.runtime.faults(known(provider));
    });
  }

  @Get(':provider/credentials')
  credentials(@Param('provider') provider: string, @Query('merchantAccount') merchantAccount?: string) {
    return attempt(() => this.runtime.credentials(known(provider), merchantAccount || undefined));
  }
}

function known(provider: string): Provider {
  if (!PROVIDERS.includes(provider as Provider)) throw new PspHttpError(404, { message: `Unknown provider ${provider}; use stripe, klarna or adyen` });
  return provider as Provider;
}

function attempt<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PspHttpError) throw err;
    throw new PspHttpError(400, { message: (err as Error).message });
  }
}
