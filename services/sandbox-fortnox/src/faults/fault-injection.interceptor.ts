import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { defer, mergeMap, NEVER, of, throwError, type Observable } from 'rxjs';
import { isApiPath, type SandboxRequest } from '../common/sandbox-request';
import { fortnoxErrors } from '../errors/fortnox.error';
import { SANDBOX, sandboxDelay, type SandboxContext } from '../sandbox.context';
import type { FaultTarget } from './fortnox.faults';

/**
 * Applies the pending faults around a handler: latency and 5xx before it runs (nothing stored), and
 * after it ran (the document is stored) a 5xx or no answer at all. Faults never touch a request the
 * guard rejected, because interceptors run after guards.
 */
@Injectable()
export class FaultInjectionInterceptor implements NestInterceptor {
  constructor(@Inject(SANDBOX) private readonly ctx: SandboxContext) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<SandboxRequest>();
    const target: FaultTarget = { endpoint: req.sandboxEndpoint ?? '', method: req.method ?? 'GET', isApi: isApiPath(req.url) };
    return defer(() => this.beforeHandler(target)).pipe(
      mergeMap(() => next.handle()),
      mergeMap((result) => this.afterHandler(target, req, result)),
    );
  }

  private async beforeHandler(target: FaultTarget): Promise<void> {
    const { faults, counters } = this.ctx;
    if (target.isApi && faults.latencyMs > 0) {
      counters.increment('fault_latency');
      await sandboxDelay(this.ctx, faults.latencyMs);
    }
    const fault = faults.take(target, 'beforeStore');
    if (fault?.kind === 'fail') {
      counters.increment('fault_5xx');
      throw fortnoxErrors.systemException(fault.status);
    }
  }

  private afterHandler(target: FaultTarget, req: SandboxRequest, result: unknown): Observable<unknown> {
    const fault = this.ctx.faults.take(target, 'afterStore');
    if (!fault) return of(result);
    if (fault.kind === 'fail') {
      this.ctx.counters.increment('fault_5xx');
      return throwError(() => fortnoxErrors.systemException(fault.status));
    }
    // The write is stored; the client must not learn it. Either never answer or kill the connection.
    this.ctx.counters.increment('fault_timeout_after_store');
    if (fault.destroyAfterMs !== undefined) void sandboxDelay(this.ctx, fault.destroyAfterMs).then(() => req.socket.destroy());
    return NEVER;
  }
}
