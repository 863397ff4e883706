import type { SandboxFaults } from './faults/fortnox.faults';
import type { TokenStore } from './oauth/token.store';
import type { FortnoxState } from './state/fortnox.state';
import type { RequestCounters } from './traffic/request-counters';
import type { SlidingWindowRateLimiter } from './traffic/rate-limiter';

/** Injection token of the {@link SandboxContext}. */
export const SANDBOX = Symbol('SANDBOX');

/**
 * Everything one sandbox instance owns. Providers get it injected, so two sandboxes in one process
 * (two test files, two connectors) never share tokens, data or faults.
 */
export interface SandboxContext {
  clientId: string;
  clientSecret: string;
  now: () => number;
  state: FortnoxState;
  tokens: TokenStore;
  rateLimiter: SlidingWindowRateLimiter;
  counters: RequestCounters;
  faults: SandboxFaults;
  /** Base URL for `@url` links; set once the server listens. */
  baseUrl: string;
  /** Timers the sandbox started (latency, delayed connection kills); cleared on close. */
  timers: Set<NodeJS.Timeout>;
}

/** Resolves after `ms` on a timer the sandbox can cancel at close. */
export function sandboxDelay(ctx: SandboxContext, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ctx.timers.delete(timer);
      resolve();
    }, ms);
    ctx.timers.add(timer);
  });
}
