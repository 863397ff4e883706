import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PayoutReconciliationConfig } from '../config/payout-reconciliation.config';
import { CONFIG } from '../config/tokens';

/** Lets a request through only with `Authorization: Bearer <PAYOUT_RECONCILIATION_ADMIN_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(CONFIG) config: PayoutReconciliationConfig) {
    this.expected = createHash('sha256').update(config.adminToken).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['authorization'] ?? '';
    const given = createHash('sha256').update(header.replace(/^Bearer\s+/i, '')).digest();
    if (!/^Bearer\s+/i.test(header) || !timingSafeEqual(given, this.expected)) {
      throw new UnauthorizedException({
        statusCode: 401,
        code: 'ADMIN_TOKEN_INVALID',
        message: 'This admin route needs "Authorization: Bearer <token>" with the value of PAYOUT_RECONCILIATION_ADMIN_TOKEN.',
      });
    }
    return true;
  }
}
