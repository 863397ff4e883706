import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { Pool } from 'pg';
import { POOL } from '../config/tokens';
import type { FortnoxComponents } from '../messaging/components';
import { COMPONENTS } from '../messaging/messaging.module';

/**
 * "What did payout po_1 book?": every booking of the payout with its intent state (parked ones with the operator
 * message; replay through `POST /tenants/:tenantId/documents/:intentId/replay`) and what it became in Fortnox.
 */
@Controller('tenants/:tenantId/payouts/:payoutId/bookings')
export class PayoutBookingsController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(COMPONENTS) private readonly components: FortnoxComponents,
  ) {}

  @Get()
  async get(@Param('tenantId') tenantId: string, @Param('payoutId') payoutId: string) {
    const [intents, recorded] = await Promise.all([this.components.intents.findBySource(tenantId, payoutId), this.components.store.payoutBookingsOf(this.pool, tenantId, payoutId)]);
    return {
      payoutId,
      bookings: intents
        .filter((i) => i.sourceKind === 'payout')
        .map((i) => ({
          id: i.id,
          bookingId: i.sourceId,
          documentKind: i.documentKind,
          externalRef: i.externalRef,
          status: i.status,
          documentNumber: i.documentNumber,
          attempts: i.attempts,
          failures: i.failures,
          errorCode: i.errorCode,
          operatorMessage: i.operatorMessage,
          updatedAt: i.updatedAt,
        })),
      recorded,
    };
  }
}
