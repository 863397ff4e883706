import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { PspAppModule } from './app.module';
import type { NotificationDelivery } from './adyen/report-notifier';
import type { RateLimit } from './common/rate-limiter';
import type { CaptureOrder, CaptureResult, GroundTruth, Provider, PspFaults, SettleMonthOptions } from './ledger/psp-types';
import { PspRuntime, type CredentialsByProvider } from './psp-runtime';

export interface PspSandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Requests per window allowed on each face before it answers 429; omitted or null: no limit. */
  rateLimits?: Partial<Record<Provider, RateLimit | null>>;
  /** Adyen company account (SDR column 1); default `LedgerlineSandboxCo`. */
  adyenCompanyAccount?: string;
  /** Serve /health/live, /health/ready and /metrics (the standalone process does). */
  observability?: boolean;
}

/** One provider face: where its API lives. */
export interface PspFace {
  url: string;
}

export interface AdyenFace extends PspFace {
  /** Where REPORT_AVAILABLE notifications are POSTed from now on; null stops them. */
  notifyTo(url: string | null): void;
  /** Every notification attempt so far, in order. */
  readonly deliveries: readonly NotificationDelivery[];
  /** Resolves when every queued notification has been attempted. */
  flushNotifications(): Promise<void>;
}

/**
 * A stand-in for Stripe, Klarna and Adyen settlements on one HTTP server (`/stripe`, `/klarna`, `/adyen`),
 * built from ../shared/contracts/psp. Payments are captured for WooCommerce orders, a month is settled into
 * payouts deterministically per seed, and each face serves them in its provider's own API shape and report
 * format. State is in memory and belongs to this instance. See README.md.
 */
export class PspSandbox {
  readonly stripe: PspFace;
  readonly klarna: PspFace;
  readonly adyen: AdyenFace;

  private constructor(
    /** Root URL, e.g. `http://127.0.0.1:41234`. */
    readonly url: string,
    /** The state behind the faces, for tests that need more than the API below. */
    readonly runtime: PspRuntime,
    private readonly server: Server,
    private readonly closeApp: () => Promise<void>,
  ) {
    this.stripe = { url: runtime.faceUrl('stripe') };
    this.klarna = { url: runtime.faceUrl('klarna') };
    const notifier = runtime.notifier;
    this.adyen = {
      url: runtime.faceUrl('adyen'),
      notifyTo: (to) => {
        notifier.url = to;
      },
      get deliveries() {
        return notifier.deliveries;
      },
      flushNotifications: () => notifier.flush(),
    };
  }

  /** Starts a sandbox; close it in `afterAll`. */
  static async start(opts: PspSandboxOptions = {}): Promise<PspSandbox> {
    const problems = checkOptions(opts);
    if (problems.length > 0) throw new Error(`PspSandbox.start: invalid options:\n- ${problems.join('\n- ')}`);
    const runtime = new PspRuntime({
      rateLimits: { stripe: opts.rateLimits?.stripe ?? null, klarna: opts.rateLimits?.klarna ?? null, adyen: opts.rateLimits?.adyen ?? null },
      adyenCompanyAccount: opts.adyenCompanyAccount ?? 'LedgerlineSandboxCo',
    });
    const app = await NestFactory.create(PspAppModule.forRoot(runtime, opts.observability ?? false), { logger: false, abortOnError: false });
    const host = opts.host ?? '127.0.0.1';
    await app.listen(opts.port ?? 0, host);
    const server = app.getHttpServer() as Server;
    const { port } = server.address() as AddressInfo;
    runtime.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return new PspSandbox(runtime.baseUrl, runtime, server, () => app.close());
  }

  /** What a client sends; see {@link PspRuntime.credentials}. */
  credentials<P extends Provider>(provider: P, merchantAccount?: string): CredentialsByProvider[P] {
    return this.runtime.credentials(provider, merchantAccount);
  }

  /** Records payments for WooCommerce orders; returns the provider's transaction id per order (idempotent per order). */
  capture(provider: Provider, merchantAccount: string, orders: readonly CaptureOrder[]): CaptureResult[] {
    return this.runtime.capture(provider, merchantAccount, orders);
  }

  /** Settles the month's captured payments into payouts and returns what they contain. */
  settleMonth(provider: Provider, merchantAccount: string, options: SettleMonthOptions): GroundTruth {
    return this.runtime.settleMonth(provider, merchantAccount, options);
  }

  /** The report file of one payout, the same bytes a merchant downloads (faults included). */
  reportCsv(provider: Provider, merchantAccount: string, payoutId: string): string {
    return this.runtime.reportCsv(provider, merchantAccount, payoutId);
  }

  /** Replaces the provider's report faults. */
  faults(provider: Provider, faults: PspFaults): void {
    this.runtime.setFaults(provider, faults);
  }

  /** Limits a face to `requestsPerWindow` per `windowMs` from now on; null lifts the limit. */
  rateLimit(provider: Provider, limit: RateLimit | null): void {
    this.runtime.limiters[provider].set(limit);
  }

  async close(): Promise<void> {
    this.runtime.notifier.url = null;
    await this.runtime.notifier.flush();
    this.server.closeIdleConnections();
    await this.closeApp();
  }
}

function checkOptions(o: PspSandboxOptions): string[] {
  const problems: string[] = [];
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) problems.push(`port must be a whole number 0-65535, got ${o.port}`);
  for (const [provider, limit] of Object.entries(o.rateLimits ?? {})) {
    if (limit && !(Number.isInteger(limit.requestsPerWindow) && limit.requestsPerWindow >= 1 && Number.isInteger(limit.windowMs) && limit.windowMs >= 1)) {
      problems.push(`rateLimits.${provider} needs whole numbers requestsPerWindow >= 1 and windowMs >= 1`);
    }
  }
  if (o.adyenCompanyAccount !== undefined && !/^[A-Za-z0-9_.-]{1,80}$/.test(o.adyenCompanyAccount)) problems.push(`adyenCompanyAccount must be 1-80 letters, digits, "_", "." or "-"`);
  return problems;
}
