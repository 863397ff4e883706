import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKeyRecord } from '../store/woo-records';
import type { RequestHooks } from '../webhooks/request-hooks';
import type { PhpValue } from '../wp/php-query.parser';

/** What the REST pipeline has worked out about a request before a route runs. */
export interface WpRequestContext {
  /** Query string parsed like PHP's `$_GET`. */
  query: Record<string, PhpValue>;
  /** Parsed JSON body, or form fields for a form-encoded body; null without a body. */
  body: unknown;
  /** Form fields only (`$_POST`): they are part of the OAuth signature, a JSON body is not. */
  form: Record<string, PhpValue>;
  user: ApiKeyRecord | null;
  /** The webhook deliveries this request owes, queued when the response has gone out. */
  hooks: RequestHooks;
  /** An injected failure to send instead of the real response, after the route has run. */
  failAfter: { status: 500 | 502 | 503 | 504 } | null;
}

/** An Express request as the sandbox's routes see it. */
export type SandboxRequest = IncomingMessage & { wp: WpRequestContext; params: Record<string, string>; path: string };
export type SandboxResponse = ServerResponse;

/** The params WordPress merges for a route: query string first, body values win (`WP_REST_Request::get_params`). */
export function requestParams(req: SandboxRequest): Record<string, unknown> {
  const body = req.wp.body;
  return { ...req.wp.query, ...(body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}) };
}
