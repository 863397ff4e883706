import { setImmediate as nextTurn } from 'node:timers/promises';
import { metricsRegistry } from '../metrics/metrics.registry';
import type { HealthRegistry } from './health.registry';

/**
 * The three endpoints, written once and served both by the Nest controller and by the plain
 * node:http server, so the two can never answer differently.
 */
export const OBSERVABILITY_PATHS = { live: '/health/live', ready: '/health/ready', metrics: '/metrics' } as const;

/** A framework-neutral HTTP answer. */
export interface EndpointResponse {
  statusCode: number;
  contentType: string;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** 200 `{status:'ok'}` once the event loop has turned: answering at all is the liveness signal. */
export async function liveResponse(): Promise<EndpointResponse> {
  await nextTurn();
  return { statusCode: 200, contentType: JSON_TYPE, body: JSON.stringify({ status: 'ok' }) };
}

/** 200 `{status:'ok',checks}` when every check passes, else 503 `{status:'error',checks}` with each failure's message. */
export async function readyResponse(health: HealthRegistry, timeoutMs?: number): Promise<EndpointResponse> {
  const report = await health.run(timeoutMs);
  return {
    statusCode: report.ok ? 200 : 503,
    contentType: JSON_TYPE,
    body: JSON.stringify({ status: report.ok ? 'ok' : 'error', checks: report.checks }),
  };
}

/** Prometheus text exposition of `metricsRegistry`; 500 with the reason when a collect callback throws. */
export async function metricsResponse(): Promise<EndpointResponse> {
  try {
    return { statusCode: 200, contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
  } catch (err) {
    return { statusCode: 500, contentType: 'text/plain; charset=utf-8', body: `collecting metrics failed: ${err instanceof Error ? err.message : String(err)}\n` };
  }
}

const pathOf = (url: string): string => url.split('?', 1)[0] as string;

/** True when `url` (query string ignored) is one of the three endpoints. */
export function isObservabilityPath(url: string): boolean {
  return (Object.values(OBSERVABILITY_PATHS) as string[]).includes(pathOf(url));
}

/** The answer for `url` (query string ignored), or undefined when it is not one of the three. */
export function observabilityResponse(url: string, health: HealthRegistry, readyTimeoutMs?: number): Promise<EndpointResponse> | undefined {
  switch (pathOf(url)) {
    case OBSERVABILITY_PATHS.live:
      return liveResponse();
    case OBSERVABILITY_PATHS.ready:
      return readyResponse(health, readyTimeoutMs);
    case OBSERVABILITY_PATHS.metrics:
      return metricsResponse();
    default:
      return undefined;
  }
}
