import type { SandboxContext } from '../sandbox.context';

/** The test-facing controls of a sandbox, shared by the in-process API and `/__sandbox/*`. */
export interface FortnoxSandboxControl {
  /** Creates a company and a single-use authorization code for it (valid 10 minutes, no redirect_uri bound). */
  createTenant(name?: string): { tenantId: string; authorizationCode: string };
  /** A new authorization code for an existing company, e.g. to re-authorize after a refresh token was lost. */
  authorizationCode(tenantId: string): string;
  /** Requests per endpoint (`POST /3/invoices`) and outcomes (`rate_limited`, `unauthorized`, `fault_5xx`, ...). */
  counters(): Record<string, number>;
  /** Forgets tenants, tokens, counters, rate-limit windows and faults. */
  reset(): void;
}

export function createSandboxControl(ctx: SandboxContext): FortnoxSandboxControl {
  return {
    createTenant(name) {
      const tenant = ctx.state.createTenant(name);
      return { tenantId: tenant.id, authorizationCode: ctx.tokens.issueAuthorizationCode(tenant.id) };
    },
    authorizationCode(tenantId) {
      return ctx.tokens.issueAuthorizationCode(ctx.state.tenant(tenantId).id);
    },
    counters: () => ctx.counters.snapshot(),
    reset() {
      ctx.state.reset();
      ctx.tokens.reset();
      ctx.rateLimiter.reset();
      ctx.counters.reset();
      ctx.faults.clear();
    },
  };
}
