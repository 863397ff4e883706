import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createLogger } from '@ledgerline/observability';
import { isApiPath, type SandboxRequest } from '../common/sandbox-request';
import { SANDBOX, type SandboxContext } from '../sandbox.context';
import { errorInformation, FortnoxError, fortnoxErrors } from './fortnox.error';
import { OAuthError } from './oauth.error';

const log = createLogger('sandbox-fortnox');

/**
 * Renders every error: on the API (/3/…, /api/…) always as `ErrorInformation` with keys spelled as
 * `faults.errorKeyCase` says; OAuth errors in RFC 6749 form; the control API's errors as Nest does.
 */
@Catch()
export class SandboxExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(SANDBOX) private readonly ctx: SandboxContext,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<SandboxRequest>();
    const res = http.getResponse<{ headersSent?: boolean }>();
    if (res.headersSent) return;
    const reply = (body: unknown, status: number) => this.adapterHost.httpAdapter.reply(res, body, status);

    if (exception instanceof OAuthError) return reply(exception.body(), exception.status);
    if (exception instanceof FortnoxError) return reply(errorInformation(exception, this.ctx.faults.errorKeyCase), exception.status);
    if (!(exception instanceof HttpException)) log.error({ err: exception, url: req.url }, 'sandbox-fortnox failed on a request');
    if (isApiPath(req.url)) {
      const error =
        exception instanceof HttpException && exception.getStatus() === 404
          ? fortnoxErrors.unknownResource((req.url ?? '').split('?')[0])
          : fortnoxErrors.systemException();
      return reply(errorInformation(error, this.ctx.faults.errorKeyCase), error.status);
    }
    if (exception instanceof HttpException) return reply(exception.getResponse(), exception.getStatus());
    return reply({ statusCode: 500, message: `sandbox-fortnox failed: ${(exception as Error)?.message ?? String(exception)}` }, 500);
  }
}
