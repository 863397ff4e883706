import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { endpointKey, isApiPath, type SandboxRequest } from '../common/sandbox-request';
import { fortnoxErrors } from '../errors/fortnox.error';
import { SANDBOX, type SandboxContext } from '../sandbox.context';

/**
 * Counts every request per endpoint, then, for the Fortnox API, checks the bearer token and takes a
 * rate-limit slot, in that order: a request without a valid token cannot be attributed to a client
 * and tenant, so it is not rate limited.
 */
@Injectable()
export class SandboxRequestGuard implements CanActivate {
  constructor(@Inject(SANDBOX) private readonly ctx: SandboxContext) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<SandboxRequest>();
    const endpoint = endpointKey(req);
    req.sandboxEndpoint = endpoint;
    this.ctx.counters.increment(endpoint);
    if (!isApiPath(req.url)) return true;

    const header = req.headers.authorization;
    if (!header) {
      this.ctx.counters.increment('unauthorized');
      throw fortnoxErrors.missingCredentials();
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const grant = bearer ? this.ctx.tokens.authenticate(bearer[1]) : undefined;
    const tenant = grant ? this.ctx.state.tenants.get(grant.tenantId) : undefined;
    if (!grant || !tenant) {
      this.ctx.counters.increment('unauthorized');
      throw fortnoxErrors.invalidLogin();
    }
    if (!this.ctx.rateLimiter.tryAcquire(`${grant.clientId}:${grant.tenantId}`)) {
      this.ctx.counters.increment('rate_limited');
      throw fortnoxErrors.rateLimited();
    }
    if (req.sandboxBodyError) throw fortnoxErrors.invalidJson();
    req.sandboxTenant = tenant;
    return true;
  }
}
