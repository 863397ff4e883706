import { Inject, Injectable } from '@nestjs/common';
import { BearerTokenGuard } from '@ledgerline/service-kit';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG } from '../config/tokens';

/** Lets a request through only with `Authorization: Bearer <STORE_GATEWAY_ADMIN_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard extends BearerTokenGuard {
  constructor(@Inject(CONFIG) config: StoreGatewayConfig) {
    super(config.adminToken, 'STORE_GATEWAY_ADMIN_TOKEN');
  }
}
