import type { SandboxRuntime } from '../sandbox-runtime';
import { noRoute, WpError } from '../wp/wp-error';
import { paginate, pagingHeaders } from './collection';
import { sendError, sendRest, sendUnexpected } from './rest-response';
import type { SandboxRequest, SandboxResponse } from './sandbox-request';

/** Injection token for the {@link SandboxRuntime} of the sandbox a Nest app serves. */
export const SANDBOX_RUNTIME = Symbol('SANDBOX_RUNTIME');

/** What a route answers. */
export interface RouteResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
}

/** Runs a route body and sends its answer, or WordPress's error body for a {@link WpError}. */
export async function route(rt: SandboxRuntime, req: SandboxRequest, res: SandboxResponse, fn: () => RouteResult | Promise<RouteResult>): Promise<void> {
  try {
    const result = await fn();
    sendRest(req, res, result.status ?? 200, result.body, result.headers);
  } catch (err) {
    if (err instanceof WpError) sendError(res, err);
    else {
      rt.log?.error({ err }, 'sandbox route failed');
      sendUnexpected(res);
    }
  }
}

/** A numeric route segment; anything else is no route in WordPress (its patterns are `(?P<id>[\d]+)`). */
export function idParam(value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value)) throw noRoute();
  return Number(value);
}

export type Capability = 'list' | 'read' | 'create' | 'edit' | 'delete' | 'batch';

const DENIED: Record<Capability, [string, string]> = {
  list: ['woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'],
  read: ['woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.'],
  create: ['woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.'],
  edit: ['woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.'],
  delete: ['woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.'],
  batch: ['woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.'],
};

/**
 * The route's permission callback for an anonymous request: 401 with WooCommerce's code. The CRUD
 * controllers (orders, products, refunds) only check an object that exists, so an anonymous
 * request for a missing id gets the 404 instead; pass `objectExists` false for that case.
 */
export function permit(req: SandboxRequest, capability: Capability, objectExists = true): void {
  if (req.wp.user || !objectExists) return;
  const [code, message] = DENIED[capability];
  throw new WpError(401, code, message);
}

/** A list answer: one page of `all`, mapped, with `X-WP-Total`, `X-WP-TotalPages` and `Link`. */
export function listResult<T>(rt: SandboxRuntime, req: SandboxRequest, routePath: string, all: T[], params: Record<string, unknown>, map: (item: T) => unknown): RouteResult {
  const page = paginate(all, params);
  return { body: page.items.map(map), headers: pagingHeaders(rt.state.settings.siteUrl, routePath, req.wp.query, page) };
}

/** `201 Created` with WordPress's `Location` header. */
export function created(rt: SandboxRuntime, path: string, body: unknown): RouteResult {
  return { status: 201, body, headers: { Location: `${rt.state.settings.siteUrl}/wp-json/wc/v3/${path}` } };
}

/** The handler for the request's method, or WordPress's `rest_no_route` when the route has none. */
export function byMethod(req: SandboxRequest, handlers: Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', () => RouteResult | Promise<RouteResult>>>): () => RouteResult | Promise<RouteResult> {
  const method = (req.method ?? 'GET').toUpperCase() as keyof typeof handlers;
  return handlers[method] ?? (() => {
    throw noRoute();
  });
}
