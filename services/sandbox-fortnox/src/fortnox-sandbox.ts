import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { readBody } from './common/body-reader.middleware';
import { createSandboxControl, type FortnoxSandboxControl } from './control/sandbox-control';
import { SandboxFaults, type FortnoxFaults } from './faults/fortnox.faults';
import { TokenStore } from './oauth/token.store';
import type { SandboxContext } from './sandbox.context';
import { FortnoxState } from './state/fortnox.state';
import { SlidingWindowRateLimiter } from './traffic/rate-limiter';
import { RequestCounters } from './traffic/request-counters';

/** Options of {@link startFortnoxSandbox}; every one has a default. */
export interface FortnoxSandboxOptions {
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** The one integration (client) the sandbox knows; default `sandbox-fortnox-client`. */
  clientId?: string;
  /** Its secret; default `sandbox-fortnox-secret`. */
  clientSecret?: string;
  /** The sandbox's clock in epoch ms, for token expiry, rate limiting, lastmodified and default dates; default Date.now. */
  now?: () => number;
  /** Default 25 per 5000 ms sliding, per client id + tenant, as Fortnox. */
  rateLimit?: { requests: number; windowMs: number };
  /** Access-token lifetime; default 3_600_000 (one hour, `expires_in` 3600), as Fortnox. */
  accessTokenTtlMs?: number;
}

/** A running sandbox. */
export interface FortnoxSandbox {
  /** Base URL for both the API (`${url}/3/invoices`) and OAuth (`${url}/oauth-v1/token`). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** The in-memory companies and their registers; tests may read them and set stock (`state.setStock`). */
  state: FortnoxState;
  faults: FortnoxFaults;
  control: FortnoxSandboxControl;
  /** Stops the server, dropping hanging connections (timeout-after-store) and pending fault timers. */
  close(): Promise<void>;
}

/**
 * Starts a stand-in Fortnox on 127.0.0.1 (port 0 by default) and returns its URL, credentials, state and
 * controls. Each call is an independent sandbox. Close it in `afterAll`.
 */
export function startFortnoxSandbox(opts: FortnoxSandboxOptions = {}): Promise<FortnoxSandbox> {
  return bootFortnoxSandbox(opts, { observability: false });
}

/** Boots a sandbox; the standalone process adds /health and /metrics. */
export async function bootFortnoxSandbox(opts: FortnoxSandboxOptions, extras: { observability: boolean }): Promise<FortnoxSandbox> {
  const now = opts.now ?? Date.now;
  const clientId = opts.clientId ?? 'sandbox-fortnox-client';
  const clientSecret = opts.clientSecret ?? 'sandbox-fortnox-secret';
  const rateLimit = opts.rateLimit ?? { requests: 25, windowMs: 5000 };
  const ctx: SandboxContext = {
    clientId,
    clientSecret,
    now,
    state: new FortnoxState(now),
    tokens: new TokenStore(clientId, now, opts.accessTokenTtlMs ?? 3_600_000),
    rateLimiter: new SlidingWindowRateLimiter(rateLimit.requests, rateLimit.windowMs, now),
    counters: new RequestCounters(),
    faults: new SandboxFaults(),
    baseUrl: '',
    timers: new Set(),
  };

  const app = await NestFactory.create(AppModule.forRoot(ctx, extras), { logger: false, bodyParser: false });
  app.use(readBody);
  const host = opts.host ?? '127.0.0.1';
  await app.listen(opts.port ?? 0, host);
  const server = app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  ctx.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: ctx.baseUrl,
    clientId,
    clientSecret,
    state: ctx.state,
    faults: ctx.faults,
    control: createSandboxControl(ctx),
    async close() {
      for (const timer of ctx.timers) clearTimeout(timer);
      ctx.timers.clear();
      // A timeout-after-store request never answers; without this, close would wait for its client.
      server.closeAllConnections();
      await app.close();
    },
  };
}
