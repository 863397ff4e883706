import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { noRoute } from '../wp/wp-error';
import { sendError, sendUnexpected } from './rest-response';

/**
 * Turns what reaches Nest unhandled into WordPress answers: an unknown `/wp-json` path or method
 * is `rest_no_route` (404), anything else a critical error; outside `/wp-json`, a plain 404.
 */
@Catch()
export class WpExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<IncomingMessage>();
    const res = http.getResponse<ServerResponse>();
    if (res.headersSent) return;
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if ((req.url ?? '').startsWith('/wp-json')) {
      if (status === 404) sendError(res, noRoute());
      else sendUnexpected(res);
      return;
    }
    res.statusCode = status === 404 ? 404 : 500;
    res.setHeader('Content-Type', 'text/html; charset=UTF-8');
    res.end(status === 404 ? '<!DOCTYPE html><title>Page not found</title><h1>Not found</h1>' : '<!DOCTYPE html><title>Error</title><h1>Error</h1>');
  }
}
