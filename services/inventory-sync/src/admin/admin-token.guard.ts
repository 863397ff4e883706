import { Inject, Injectable } from '@nestjs/common';
import { BearerTokenGuard } from '@ledgerline/service-kit';
import type { InventorySyncConfig } from '../config/inventory-sync.config';
import { CONFIG } from '../config/tokens';

/** Lets a request through only with `Authorization: Bearer <INVENTORY_SYNC_ADMIN_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard extends BearerTokenGuard {
  constructor(@Inject(CONFIG) config: InventorySyncConfig) {
    super(config.adminToken, 'INVENTORY_SYNC_ADMIN_TOKEN');
  }
}
