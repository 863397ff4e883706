import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createLogger } from '@ledgerline/observability';
import { PROVIDERS, type Provider } from '../ledger/psp-types';
import { providerError, PspHttpError } from './psp-http.error';
import { pathOf } from './query';

const log = createLogger('sandbox-psp');

/** Renders every error in the format of the face it happened on (`/stripe`, `/klarna`, `/adyen`). */
@Catch()
export class PspExceptionFilter implements ExceptionFilter {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<{ url?: string }>();
    const res = http.getResponse<{ headersSent?: boolean; setHeader(name: string, value: string): void }>();
    if (res.headersSent) return;
    const adapter = this.adapterHost.httpAdapter;
    const send = (e: PspHttpError) => {
      for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
      adapter.reply(res, e.body, e.status);
    };
    if (exception instanceof PspHttpError) return send(exception);
    const path = pathOf(req.url);
    const face = PROVIDERS.find((p) => path.startsWith(`/${p}/`)) as Provider | undefined;
    const notFound = exception instanceof HttpException && exception.getStatus() === 404;
    if (!(exception instanceof HttpException)) log.error({ err: exception, url: req.url }, 'sandbox-psp failed on a request');
    if (face) return send(providerError(face, notFound ? 404 : 500, path));
    if (exception instanceof HttpException) return adapter.reply(res, exception.getResponse(), exception.getStatus());
    return adapter.reply(res, { statusCode: 500, message: `sandbox-psp failed: ${(exception as Error)?.message ?? String(exception)}` }, 500);
  }
}
