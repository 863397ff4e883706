import { createHash, timingSafeEqual } from 'node:crypto';
import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG } from '../config/tokens';
import { ApiTokensRepository } from './api-tokens.repository';
import { PUBLIC_KEY, ROLE_KEY, ROLES, roleAtLeast, type Principal, type Role } from './roles';

// Probes and metrics stay unauthenticated: kubelet and Prometheus scrape them (NetworkPolicy limits who can).
const OPEN_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/**
 * Authenticates every request (an API token, or an OIDC JWT checked against the issuer's JWKS) and refuses a role
 * below the route's (`@RequiresRole`, `admin` when absent): 401 without valid credentials, 403 with too small a role.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | null;
  private readonly bootstrap: Buffer | null;

  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokensRepository,
  ) {
    this.jwks = config.oidcIssuer && config.oidcJwksUrl ? createRemoteJWKSet(new URL(config.oidcJwksUrl)) : null;
    this.bootstrap = config.bootstrapToken ? createHash('sha256').update(config.bootstrapToken).digest() : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<{ url: string; headers: Record<string, string | undefined>; principal?: Principal }>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) || OPEN_PATHS.test(req.url)) return true;
    const principal = await this.authenticate(req.headers['authorization']);
    const required = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? 'admin';
    if (!roleAtLeast(principal.role, required)) {
      throw new ForbiddenException({
        statusCode: 403,
        code: 'AUTH_ROLE_TOO_SMALL',
        message: `${principal.name} has the ${principal.role} role; this needs ${required} or more. Ask an admin for a token or OIDC group with that role.`,
      });
    }
    req.principal = principal;
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!token) throw unauthorized('Send "Authorization: Bearer <token>" with an API token (Settings → API tokens) or an OIDC access token.');
    if (this.bootstrap && timingSafeEqual(createHash('sha256').update(token).digest(), this.bootstrap)) {
      return { name: 'bootstrap-token', kind: 'bootstrap', role: 'admin' };
    }
    if (token.split('.').length === 3) return this.verifyJwt(token);
    const found = await this.tokens.authenticate(token);
    if (!found) throw unauthorized('The API token is unknown or revoked; create a new one under Settings → API tokens.');
    return { name: found.name, kind: 'api-token', role: found.role };
  }

  private async verifyJwt(token: string): Promise<Principal> {
    if (!this.jwks) throw unauthorized('OIDC sign-in is not configured here (CONTROL_PLANE_OIDC_ISSUER); use an API token.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, { issuer: this.config.oidcIssuer, audience: this.config.oidcAudience }));
    } catch (err) {
      throw unauthorized(`The OIDC token was refused (${(err as Error).message}); sign in again.`);
    }
    const claim = payload[this.config.oidcRolesClaim];
    const granted = (Array.isArray(claim) ? claim : [claim]).filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
    const role = [...ROLES].reverse().find((r) => granted.includes(r));
    const name = typeof payload['email'] === 'string' ? payload['email'] : (payload.sub ?? 'oidc-user');
    if (!role) throw new ForbiddenException({ statusCode: 403, code: 'AUTH_ROLE_TOO_SMALL', message: `${name} has no control-plane role in claim "${this.config.oidcRolesClaim}" (admin, operator or viewer).` });
    return { name, kind: 'oidc', role };
  }
}

function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, code: 'AUTH_TOKEN_INVALID', message });
}
