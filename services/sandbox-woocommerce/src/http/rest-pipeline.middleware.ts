import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxRuntime } from '../sandbox-runtime';
import { parsePhpQuery, type PhpValue } from '../wp/php-query.parser';
import { WpError } from '../wp/wp-error';
import { sendError, sendFault, sendUnexpected } from './rest-response';
import type { SandboxRequest } from './sandbox-request';
import { routeTemplate } from './sandbox-counters';

type Next = (err?: unknown) => void;

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Express middleware in front of every `/wp-json` route, in the order a request meets them at a
 * hosted store: counting, the host's rate limit, injected latency and failures, body and query
 * parsing as PHP does it, then WooCommerce's authentication. Sets `req.wp` for the routes and
 * queues the request's webhook deliveries once the response has gone out ("PHP shutdown").
 */
export function restPipeline(rt: SandboxRuntime): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  return (req, res, next) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (!path.startsWith('/wp-json')) {
      next();
      return;
    }
    handle(rt, req as SandboxRequest, res, path, q < 0 ? '' : url.slice(q + 1))
      .then((proceed) => {
        if (proceed) next();
      })
      .catch((err: unknown) => {
        if (err instanceof WpError) sendError(res, err);
        else sendUnexpected(res);
      });
  };
}

async function handle(rt: SandboxRuntime, req: SandboxRequest, res: ServerResponse, path: string, qs: string): Promise<boolean> {
  const method = (req.method ?? 'GET').toUpperCase();
  const query = parsePhpQuery(qs);
  // WP_REST_Server honours `_method` and X-HTTP-Method-Override on POST; the signature still uses POST.
  const override = method === 'POST' ? (typeof query['_method'] === 'string' ? query['_method'] : req.headers['x-http-method-override']) : undefined;
  const routeMethod = typeof override === 'string' && override !== '' ? override.toUpperCase() : method;

  rt.counters.countRequest(routeMethod, routeTemplate(path));
  res.once('finish', () => rt.counters.countStatus(res.statusCode));

  const rate = rt.rateLimiter.take();
  if (!rate.allowed) {
    rt.counters.rateLimited++;
    sendError(res, new WpError(429, 'rate_limit_exceeded', `Too many requests. Please wait ${rate.retryAfterS} seconds before trying again.`), {
      'Retry-After': String(rate.retryAfterS),
      'RateLimit-Limit': String(rt.options.rateLimit?.requestsPerWindow ?? 0),
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': String(rate.resetS),
    });
    return false;
  }
  if (rt.rateLimiter.enabled && rate.allowed) {
    res.setHeader('RateLimit-Limit', String(rt.options.rateLimit?.requestsPerWindow ?? 0));
    res.setHeader('RateLimit-Remaining', String(rate.remaining));
    res.setHeader('RateLimit-Reset', String(rate.resetS));
  }

  const fault = rt.faults.forRequest(routeMethod, path);
  if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault.failure && !fault.failure.afterHandling) {
    await readBody(req);
    sendFault(res, fault.failure.status);
    return false;
  }

  const raw = await readBody(req);
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  let body: unknown = null;
  let form: Record<string, PhpValue> = {};
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    form = parsePhpQuery(raw.toString('utf8'));
    body = form;
  } else if (contentType.includes('json') && raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      sendError(res, new WpError(400, 'rest_invalid_json', 'Invalid JSON body passed.', { json_error_code: 4, json_error_message: 'Syntax error' }));
      return false;
    }
  }

  const hooks = rt.worker.openRequest();
  let shutDown = false;
  const shutdown = (): void => {
    if (shutDown) return;
    shutDown = true;
    rt.worker.shutdown(hooks);
  };
  res.once('finish', shutdown);
  res.once('close', shutdown);
  req.wp = { query, body, form, user: null, hooks, failAfter: fault.failure ? { status: fault.failure.status } : null };
  if (routeMethod !== method) req.method = routeMethod;

  if (path.startsWith('/wp-json/wc/')) {
    const auth = rt.authenticator.authenticate({ method, path, query, form, authorization: req.headers['authorization'] });
    if (auth.hint) res.setHeader('X-Sandbox-Hint', auth.hint);
    if (auth.error) {
      sendError(res, auth.error);
      return false;
    }
    req.wp.user = auth.user;
  }
  return true;
}

/** Reads the whole request body (once; later calls get the same buffer). */
export async function readBody(req: IncomingMessage & { sandboxRawBody?: Buffer }): Promise<Buffer> {
  if (req.sandboxRawBody) return req.sandboxRawBody;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new WpError(413, 'rest_request_too_large', 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  req.sandboxRawBody = Buffer.concat(chunks);
  return req.sandboxRawBody;
}
