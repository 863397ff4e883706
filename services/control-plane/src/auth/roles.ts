import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';

/** The roles, weakest first: a viewer reads, an operator also replays and resolves, an admin also configures. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who made a request. */
export interface Principal {
  /** The user's e-mail or subject (OIDC), or the API token's name. */
  name: string;
  kind: 'oidc' | 'api-token' | 'bootstrap';
  role: Role;
}

export const ROLE_KEY = 'ledgerline:required-role';
export const PUBLIC_KEY = 'ledgerline:public';

/** The weakest role a route accepts; routes without it need `admin`. */
export const RequiresRole = (role: Role) => SetMetadata(ROLE_KEY, role);

/** Marks a route that authenticates by other means (the OAuth callback's one-time state) or serves the console's files. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Whether `role` is at least `required`. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** The authenticated principal of the request (set by AuthGuard). */
export const Actor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
