import { Inject, Injectable } from '@nestjs/common';
import type { ControlPlaneConfig } from '../config/control-plane.config';
import { CONFIG } from '../config/tokens';

/** A service the control plane calls over HTTP. */
export type RemoteService = 'store-gateway' | 'connector-fortnox';

/** What a remote call answered; `error` says in words what failed (never the token). */
export type Remote<T> = { ok: true; status: number; body: T } | { ok: false; status: number | null; error: string };

/**
 * Calls the other services' admin APIs with their admin tokens (store-gateway's parked deliveries, connector-fortnox's
 * sync log and document replay). A service without a configured URL is reported as not configured, never guessed.
 */
@Injectable()
export class ServiceClients {
  constructor(@Inject(CONFIG) private readonly config: ControlPlaneConfig) {}

  configured(service: RemoteService): boolean {
    return !!this.target(service).url;
  }

  async call<T>(service: RemoteService, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Remote<T>> {
    const { url, token, variable } = this.target(service);
    if (!url) return { ok: false, status: null, error: `${service} is not configured (${variable}).` };
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.requestTimeoutMs),
      });
    } catch (err) {
      return { ok: false, status: null, error: `${service} could not be reached at ${url} (${(err as Error).message}).` };
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // a non-JSON answer is reported as text
    }
    if (!res.ok) {
      const message = typeof parsed === 'object' && parsed && 'message' in parsed ? String((parsed as { message: unknown }).message) : text.slice(0, 300);
      return { ok: false, status: res.status, error: `${service} answered ${res.status} to ${method} ${path}: ${message}` };
    }
    return { ok: true, status: res.status, body: parsed as T };
  }

  private target(service: RemoteService): { url: string; token: string; variable: string } {
    return service === 'store-gateway'
      ? { url: this.config.storeGatewayUrl, token: this.config.storeGatewayAdminToken, variable: 'STORE_GATEWAY_URL' }
      : { url: this.config.connectorFortnoxUrl, token: this.config.connectorFortnoxAdminToken, variable: 'CONNECTOR_FORTNOX_URL' };
  }
}
