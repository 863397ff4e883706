import 'reflect-metadata';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { SandboxAppModule } from './app.module';
import { RuntimeControl, type SandboxControl } from './control/sandbox-control';
import type { FaultInjector } from './faults/fault-injector';
import { restPipeline } from './http/rest-pipeline.middleware';
import { WpExceptionFilter } from './http/wp-exception.filter';
import { SandboxRuntime } from './sandbox-runtime';
import type { WooStoreState } from './store/woo-store.state';

/** How to start a sandbox store; everything is optional. */
export interface WooSandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** `home_url()`: what the store calls itself in links, webhook sources and OAuth base strings. Default `http://<host>:<port>`. */
  siteUrl?: string;
  /** Default `ck_` + 40 hex digits derived from the seed. */
  consumerKey?: string;
  /** Default `cs_` + 40 hex digits derived from the seed. */
  consumerSecret?: string;
  /** Seed for generated data, keys, order keys and rate-based faults (default 1). */
  seed?: number;
  /** Store currency (default SEK). */
  currency?: string;
  /** "Prices entered with tax" (default false, WooCommerce's default). */
  pricesIncludeTax?: boolean;
  /** A host's rate limit in front of the store; null or omitted: none (WooCommerce itself has none). */
  rateLimit?: { requestsPerWindow: number; windowMs: number } | null;
  /**
   * Must be 0 or omitted. WooCommerce never retries a failed webhook delivery
   * (webhook-delivery.md §1 "No retry"), so the sandbox does not either; any other value is refused
   * at start. The disable threshold is {@link webhookMaxDeliveryFailures}.
   */
  webhookMaxRetries?: number;
  /** Clock for stored dates (`date_created`, `date_modified`, ...); default the system clock. */
  now?: () => Date;

  // Beyond the agreed interface; all optional.
  /** `woocommerce_max_webhook_delivery_failures` (default 5): the webhook is disabled on the failure after the counter exceeds it (the 7th in a row by default). */
  webhookMaxDeliveryFailures?: number;
  /** Webhook delivery timeout (default 60000, WooCommerce's `MINUTE_IN_SECONDS`). */
  webhookTimeoutMs?: number;
  /** Delay before queued deliveries are sent, standing in for Action Scheduler's pickup (default 0). */
  webhookDelayMs?: number;
  /** Behave as a store behind a TLS-terminating proxy (`is_ssl()` true): HTTP Basic and query-string keys accepted, OAuth signed with https (default false). */
  assumeHttps?: boolean;
  /** Fixed offset of the site's time zone from UTC in minutes, no daylight saving (default 60). */
  utcOffsetMinutes?: number;
  /** Store base country (default SE). */
  baseCountry?: string;
  /** Logger for sandbox defects (default: none). */
  logger?: Logger;
  /** Serve /health/live, /health/ready and /metrics too (the standalone process does). */
  observability?: boolean;
}

/** A running sandbox store. */
export interface WooSandbox {
  /** The site URL (`home_url()`), e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `${url}/wp-json/wc/v3`. */
  apiUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Direct access to the store's data, for assertions (changes here fire no webhooks). */
  state: WooStoreState;
  faults: FaultInjector;
  control: SandboxControl;
  /** Where the HTTP server accepts connections; equals `url` unless `siteUrl` was given. */
  listenUrl: string;
  /** Stops webhook delivery and the HTTP server. */
  close(): Promise<void>;
}

/**
 * Starts a WooCommerce stand-in on its own HTTP server: REST API v3 under `/wp-json/wc/v3`,
 * webhooks delivered as WooCommerce sends them, seeded data generation, fault injection, and the
 * `/__sandbox` control API. State is in memory and belongs to this instance.
 */
export async function startWooSandbox(opts: WooSandboxOptions = {}): Promise<WooSandbox> {
  const problems = checkOptions(opts);
  if (problems.length > 0) throw new Error(`startWooSandbox: invalid options:\n- ${problems.join('\n- ')}`);
  const seed = opts.seed ?? 1;
  const host = opts.host ?? '127.0.0.1';
  const runtime = new SandboxRuntime({
    siteUrl: opts.siteUrl ?? 'http://pending',
    consumerKey: opts.consumerKey ?? `ck_${derivedHex('consumer-key', seed)}`,
    consumerSecret: opts.consumerSecret ?? `cs_${derivedHex('consumer-secret', seed)}`,
    seed,
    currency: opts.currency ?? 'SEK',
    pricesIncludeTax: opts.pricesIncludeTax ?? false,
    baseCountry: opts.baseCountry ?? 'SE',
    utcOffsetMinutes: opts.utcOffsetMinutes ?? 60,
    assumeHttps: opts.assumeHttps ?? false,
    rateLimit: opts.rateLimit ?? null,
    webhookMaxDeliveryFailures: opts.webhookMaxDeliveryFailures ?? 5,
    webhookTimeoutMs: opts.webhookTimeoutMs ?? 60_000,
    webhookDelayMs: opts.webhookDelayMs ?? 0,
    now: opts.now ?? (() => new Date()),
  });
  runtime.log = opts.logger;
  const control = new RuntimeControl(runtime);

  const app = await NestFactory.create(SandboxAppModule.forRoot(runtime, control, opts.observability ?? false), { bodyParser: false, logger: false, abortOnError: false });
  app.use(restPipeline(runtime));
  app.useGlobalFilters(new WpExceptionFilter());
  await app.listen(opts.port ?? 0, host);
  const server = app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  const listenUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = (opts.siteUrl ?? listenUrl).replace(/\/+$/, '');
  runtime.state.settings.siteUrl = url;

  let closed: Promise<void> | null = null;
  return {
    url,
    apiUrl: `${url}/wp-json/wc/v3`,
    listenUrl,
    consumerKey: runtime.options.consumerKey,
    consumerSecret: runtime.options.consumerSecret,
    state: runtime.state,
    faults: runtime.faults,
    control,
    close() {
      closed ??= (async () => {
        runtime.worker.stop();
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 200).unref();
        await app.close();
      })();
      return closed;
    },
  };
}

function checkOptions(o: WooSandboxOptions): string[] {
  const problems: string[] = [];
  const wholeAtLeast = (name: string, v: number | undefined, min: number): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) problems.push(`${name} must be a whole number >= ${min}, got ${v}`);
  };
  wholeAtLeast('port', o.port, 0);
  if (o.port !== undefined && o.port > 65535) problems.push(`port must be at most 65535, got ${o.port}`);
  wholeAtLeast('seed', o.seed, 0);
  wholeAtLeast('webhookMaxDeliveryFailures', o.webhookMaxDeliveryFailures, 0);
  wholeAtLeast('webhookTimeoutMs', o.webhookTimeoutMs, 1);
  wholeAtLeast('webhookDelayMs', o.webhookDelayMs, 0);
  if (o.webhookMaxRetries !== undefined && o.webhookMaxRetries !== 0) {
    problems.push(
      `webhookMaxRetries=${o.webhookMaxRetries}: WooCommerce does not retry failed webhook deliveries (contracts/woocommerce/webhook-delivery.md §1), so the sandbox only accepts 0; use webhookMaxDeliveryFailures for the disable threshold`,
    );
  }
  if (o.currency !== undefined && !/^[A-Z]{3}$/.test(o.currency)) problems.push(`currency must be an ISO 4217 code like SEK, got ${o.currency}`);
  if (o.siteUrl !== undefined) {
    try {
      const u = new URL(o.siteUrl);
      if (u.pathname !== '/' && u.pathname !== '') problems.push(`siteUrl must be an origin without a path (the sandbox serves at /), got ${o.siteUrl}`);
    } catch {
      problems.push(`siteUrl must be an absolute URL, got ${o.siteUrl}`);
    }
  }
  if (o.rateLimit) {
    wholeAtLeast('rateLimit.requestsPerWindow', o.rateLimit.requestsPerWindow, 1);
    wholeAtLeast('rateLimit.windowMs', o.rateLimit.windowMs, 1);
  }
  if (o.utcOffsetMinutes !== undefined && !(Number.isInteger(o.utcOffsetMinutes) && Math.abs(o.utcOffsetMinutes) <= 14 * 60)) problems.push(`utcOffsetMinutes must be a whole number within ±840, got ${o.utcOffsetMinutes}`);
  return problems;
}

function derivedHex(label: string, seed: number): string {
  return createHash('sha1').update(`${label}:${seed}`).digest('hex');
}
