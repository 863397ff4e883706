import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthRegistry, type HealthCheck } from './health.registry';
import { isObservabilityPath, observabilityResponse } from './observability.endpoints';

/** Options for {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Interface to bind; Node's default (all interfaces) when omitted, which Prometheus needs in a pod. */
  host?: string;
  checks?: HealthCheck[];
  /** Time each readiness check gets; defaults to `DEFAULT_READY_TIMEOUT_MS` (2 s). */
  readyTimeoutMs?: number;
}

/** A running {@link startMetricsServer}. */
export interface MetricsServer {
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** This server's readiness checks; add more at runtime. */
  readonly health: HealthRegistry;
  /** Stops listening and drops idle keep-alive connections. */
  close(): Promise<void>;
}

/**
 * Starts a node:http server with the same `/health/live`, `/health/ready` and `/metrics` as
 * `ObservabilityModule`, for processes that are not Nest HTTP apps (workers, benchmarks), and
 * resolves once it listens. Other paths get 404, other methods than GET/HEAD 405. Call
 * `setServiceName` first so the metrics carry the `service` label.
 */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const health = new HealthRegistry();
  for (const check of opts.checks ?? []) health.add(check);

  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const answer = req.method === 'GET' || req.method === 'HEAD' ? observabilityResponse(url, health, opts.readyTimeoutMs) : undefined;
    if (answer === undefined) {
      res.writeHead(isObservabilityPath(url) ? 405 : 404, { 'Content-Type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    answer.then(
      (a) => {
        res.writeHead(a.statusCode, { 'Content-Type': a.contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : a.body);
      },
      (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${err instanceof Error ? err.message : String(err)}\n`),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const host = address.address === '::' || address.address === '0.0.0.0' ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    port: address.port,
    url: `http://${host}:${address.port}`,
    health,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
