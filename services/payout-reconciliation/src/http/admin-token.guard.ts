import { Inject, Injectable } from '@nestjs/common';
import { BearerTokenGuard } from '@ledgerline/service-kit';
import type { PayoutReconciliationConfig } from '../config/payout-reconciliation.config';
import { CONFIG } from '../config/tokens';

/** Lets a request through only with `Authorization: Bearer <PAYOUT_RECONCILIATION_ADMIN_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard extends BearerTokenGuard {
  constructor(@Inject(CONFIG) config: PayoutReconciliationConfig) {
    super(config.adminToken, 'PAYOUT_RECONCILIATION_ADMIN_TOKEN');
  }
}
