import { UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Lets a request through only with `Authorization: Bearer <token>`, compared in constant time (both sides hashed, so
 * their lengths do not leak). A service subclasses it with its own setting, e.g.
 * `constructor(@Inject(CONFIG) c: Config) { super(c.adminToken, 'STORE_GATEWAY_ADMIN_TOKEN'); }`.
 */
export class BearerTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    token: string,
    private readonly tokenVariable: string,
  ) {
    this.expected = createHash('sha256').update(token).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['authorization'] ?? '';
    const given = createHash('sha256').update(header.replace(/^Bearer\s+/i, '')).digest();
    if (!/^Bearer\s+/i.test(header) || !timingSafeEqual(given, this.expected)) {
      throw new UnauthorizedException({
        statusCode: 401,
        code: 'ADMIN_TOKEN_INVALID',
        message: `This admin route needs "Authorization: Bearer <token>" with the value of ${this.tokenVariable}.`,
      });
    }
    return true;
  }
}
