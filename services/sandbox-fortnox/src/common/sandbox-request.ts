import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FortnoxTenant } from '../state/fortnox.state';

/** The Node request as the sandbox's middleware, guard and controllers see it. */
export interface SandboxRequest extends IncomingMessage {
  /** Set by Express once a route matched, e.g. `/3/invoices/:DocumentNumber`. */
  route?: { path?: string };
  body?: unknown;
  /** True when the body could not be parsed; the API answers 2002115 after authentication. */
  sandboxBodyError?: boolean;
  /** `POST /3/invoices/{DocumentNumber}/credit`: the counter and fault key of this request. */
  sandboxEndpoint?: string;
  /** The company the bearer token speaks for. */
  sandboxTenant?: FortnoxTenant;
}

/** True for the Fortnox API proper (/3/… and the warehouse API /api/…), as opposed to OAuth and control. */
export function isApiPath(url: string | undefined): boolean {
  return /^\/(3|api)(\/|$|\?)/.test(url ?? '');
}

/** The endpoint key of a request: method plus route template in the OpenAPI's `{Param}` style. */
export function endpointKey(req: SandboxRequest): string {
  const template = req.route?.path ?? (req.url ?? '/').split('?')[0];
  return `${req.method} ${template.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

/** Controller parameter: the tenant the request's access token belongs to. */
export const CurrentTenant = createParamDecorator((_data: unknown, context: ExecutionContext): FortnoxTenant => {
  const tenant = context.switchToHttp().getRequest<SandboxRequest>().sandboxTenant;
  if (!tenant) throw new Error('CurrentTenant used on a route without SandboxRequestGuard');
  return tenant;
});
