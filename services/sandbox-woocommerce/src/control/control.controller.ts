import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxFaults } from '../faults/fault-injector';
import { readBody } from '../http/rest-pipeline.middleware';
import { SANDBOX_RUNTIME } from '../http/route';
import type { SandboxRuntime } from '../sandbox-runtime';
import type { KeyPermissions, OrderStatus } from '../store/woo-records';
import { isObject, toInt, type Json } from '../wp/json-values';
import type { SandboxControl } from './sandbox-control';

/** Injection token for the sandbox's {@link SandboxControl}. */
export const SANDBOX_CONTROL = Symbol('SANDBOX_CONTROL');

type Handler = (body: Json, params: string[], query: URLSearchParams) => unknown | Promise<unknown>;

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `/__sandbox/*`: the control API over HTTP for the demo and for a person with curl. Not part of
 * WooCommerce: no authentication, JSON in and out, errors as `{ "error": "..." }`. See README.md.
 */
@Controller('__sandbox')
export class ControlController {
  private readonly routes: Array<[method: string, pattern: RegExp, handler: Handler]>;

  constructor(
    @Inject(SANDBOX_RUNTIME) private readonly rt: SandboxRuntime,
    @Inject(SANDBOX_CONTROL) private readonly control: SandboxControl,
  ) {
    const faults: SandboxFaults = rt.faults;
    this.routes = [
      ['GET', /^$/, () => this.info()],
      ['POST', /^generate\/products$/, (b) => this.control.generateProducts(count(b), b)],
      ['POST', /^generate\/orders$/, (b) => summary(this.control.generateOrders(count(b), b))],
      ['POST', /^generate\/customers$/, (b) => ({ customerIds: this.control.generateCustomers(count(b), b) })],
      ['GET', /^counters$/, () => this.control.counters()],
      ['DELETE', /^counters$/, () => (this.control.resetCounters(), this.control.counters())],
      ['GET', /^faults$/, () => faults.active()],
      ['DELETE', /^faults$/, () => (faults.reset(), faults.active())],
      ['POST', /^faults\/slow-responses$/, (b) => (faults.slowResponses({ ms: Number(b['ms'] ?? 0), ...b }), faults.active())],
      ['POST', /^faults\/fail-responses$/, (b) => (faults.failResponses(b), faults.active())],
      ['POST', /^faults\/duplicate-deliveries$/, (b) => (faults.duplicateDeliveries(b), faults.active())],
      ['POST', /^faults\/reorder-deliveries$/, (b) => (faults.reorderDeliveries(b), faults.active())],
      ['POST', /^faults\/drop-deliveries$/, (b) => (faults.dropDeliveries(b), faults.active())],
      ['GET', /^deliveries$/, (_b, _p, q) => this.control.deliveries(q.has('webhook_id') ? Number(q.get('webhook_id')) : undefined)],
      ['GET', /^webhooks\/(\d+)$/, (_b, [id]) => this.control.webhook(Number(id)) ?? notFound(`no webhook ${id}`)],
      ['POST', /^webhooks\/idle$/, async () => (await this.control.webhooksIdle(), { idle: true })],
      ['POST', /^orders\/(\d+)\/trash$/, (_b, [id]) => (this.control.trashOrder(Number(id)), { id: Number(id), status: 'trash' })],
      ['POST', /^orders\/(\d+)\/restore$/, (_b, [id]) => (this.control.restoreOrder(Number(id)), { id: Number(id), status: this.rt.state.orders.get(Number(id))?.status })],
      ['POST', /^orders\/(\d+)\/status$/, (b, [id]) => (this.control.setOrderStatus(Number(id), String(b['status']) as OrderStatus), { id: Number(id), status: b['status'] })],
      ['POST', /^products\/(\d+)\/stock$/, (b, [id]) => (this.control.setStock(Number(id), stockQuantity(b)), { id: Number(id), stock_quantity: stockQuantity(b) })],
      ['POST', /^products\/(\d+)\/edit$/, (b, [id]) => (this.control.editProduct(Number(id), b), { id: Number(id) })],
      ['POST', /^api-keys$/, (b) => this.control.addApiKey((b['permissions'] as KeyPermissions) ?? 'read_write')],
      ['POST', /^reset$/, () => (this.control.reset(), { reset: true })],
    ];
  }

  @All()
  root(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.dispatch(req, res, '');
  }

  @All('*path')
  any(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0].replace(/^\/__sandbox\/?/, '').replace(/\/+$/, '');
    return this.dispatch(req, res, path);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    try {
      const raw = await readBody(req);
      let body: Json = {};
      if (raw.length > 0) {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (!isObject(parsed)) throw new ControlError(400, 'the body must be a JSON object');
        body = parsed;
      }
      for (const [method, pattern, handler] of this.routes) {
        const m = pattern.exec(path);
        if (!m || method !== req.method) continue;
        send(res, 200, await handler(body, m.slice(1), query));
        return;
      }
      throw new ControlError(404, `no control route ${req.method} /__sandbox/${path}; see services/sandbox-woocommerce/README.md`);
    } catch (err) {
      const status = err instanceof ControlError ? err.status : 400;
      send(res, status, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private info(): Json {
    const s = this.rt.state.settings;
    return {
      url: s.siteUrl,
      apiUrl: `${s.siteUrl}/wp-json/wc/v3`,
      consumerKey: this.rt.options.consumerKey,
      consumerSecret: this.rt.options.consumerSecret,
      seed: this.rt.options.seed,
      currency: s.currency,
      pricesIncludeTax: s.pricesIncludeTax,
      assumeHttps: s.isSsl,
      utcOffsetMinutes: this.rt.clock.utcOffsetMinutes,
      rateLimit: this.rt.options.rateLimit,
      webhookMaxDeliveryFailures: this.rt.options.webhookMaxDeliveryFailures,
      counts: { orders: this.rt.state.orders.size, products: this.rt.state.products.size, customers: this.rt.state.customers.size, webhooks: this.rt.state.webhooks.size },
    };
  }
}

function count(body: Json): number {
  const n = toInt(body['n']);
  if (n === undefined || n < 0) throw new ControlError(400, 'give "n", a whole number >= 0, in the JSON body');
  return n;
}

function stockQuantity(body: Json): number {
  const n = toInt(body['quantity']);
  if (n === undefined) throw new ControlError(400, 'give "quantity", a whole number, in the JSON body');
  return n;
}

function summary(r: { orderIds: number[]; refundIds: number[] }): Json {
  return { orders: r.orderIds.length, refunds: r.refundIds.length, orderIds: r.orderIds, refundIds: r.refundIds };
}

function notFound(message: string): never {
  throw new ControlError(404, message);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body ?? null));
}
