import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { runBatch } from '../http/batch-runner';
import { byMethod, created, idParam, listResult, permit, route, SANDBOX_RUNTIME, type RouteResult } from '../http/route';
import { DELETE_PARAMS, ITEM_PARAMS, ORDER_BODY, ORDER_LIST_PARAMS } from '../http/route-params';
import { requestParams, type SandboxRequest, type SandboxResponse } from '../http/sandbox-request';
import type { SandboxRuntime } from '../sandbox-runtime';
import { isObject, type Json } from '../wp/json-values';
import { invalidId } from '../wp/wp-error';
import { validateParams } from '../wp/wp-params.validator';
import { orderToRest } from './order-rest.mapper';

/** `/wp-json/wc/v3/orders`: list, create, batch, read, update (POST/PUT/PATCH), delete. */
@Controller('wp-json/wc/v3/orders')
export class OrdersController {
  constructor(@Inject(SANDBOX_RUNTIME) private readonly rt: SandboxRuntime) {}

  @All()
  collection(@Req() req: SandboxRequest, @Res() res: SandboxResponse): Promise<void> {
    return route(this.rt, req, res, byMethod(req, { GET: () => this.list(req), POST: () => this.create(req) }));
  }

  @All('batch')
  batchRoute(@Req() req: SandboxRequest, @Res() res: SandboxResponse): Promise<void> {
    return route(this.rt, req, res, byMethod(req, { POST: () => this.batch(req), PUT: () => this.batch(req), PATCH: () => this.batch(req) }));
  }

  @All(':id')
  item(@Req() req: SandboxRequest, @Res() res: SandboxResponse): Promise<void> {
    return route(this.rt, req, res, byMethod(req, { GET: () => this.get(req), POST: () => this.update(req), PUT: () => this.update(req), PATCH: () => this.update(req), DELETE: () => this.remove(req) }));
  }

  private list(req: SandboxRequest): RouteResult {
    permit(req, 'list');
    const params = validateParams(req.wp.query, ORDER_LIST_PARAMS);
    const ctx = this.rt.restContext(params['dp'] as number);
    return listResult(this.rt, req, 'orders', this.rt.orders.list(params), params, (o) => orderToRest(o, ctx));
  }

  private create(req: SandboxRequest): RouteResult {
    permit(req, 'create');
    const order = this.rt.orders.create(this.body(req), req.wp.hooks);
    return created(this.rt, `orders/${order.id}`, orderToRest(order, this.rt.restContext()));
  }

  private async batch(req: SandboxRequest): Promise<RouteResult> {
    permit(req, 'batch');
    const ctx = this.rt.restContext();
    const body = await runBatch(req.wp.body, req.wp.hooks, this.rt.counters.batch('orders/batch'), {
      create: (item, hooks) => orderToRest(this.rt.orders.create(item, hooks), ctx),
      update: (item, hooks) => orderToRest(this.rt.orders.update(Number(item['id'] ?? 0), item, hooks), ctx),
      delete: (id, hooks) => {
        const before = this.rt.orders.get(id);
        if (!before) throw invalidId('shop_order');
        const previous = orderToRest(before, ctx);
        this.rt.orders.delete(id, true, hooks);
        return previous;
      },
    });
    return { body };
  }

  private get(req: SandboxRequest): RouteResult {
    const order = this.rt.orders.get(idParam(req.params['id']));
    permit(req, 'read', order !== undefined);
    if (!order) throw invalidId('shop_order');
    const params = validateParams(req.wp.query, ITEM_PARAMS);
    return { body: orderToRest(order, this.rt.restContext(params['dp'] as number)) };
  }

  private update(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    permit(req, 'edit', this.rt.orders.get(id) !== undefined);
    const order = this.rt.orders.update(id, this.body(req), req.wp.hooks);
    return { body: orderToRest(order, this.rt.restContext()) };
  }

  private remove(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    const order = this.rt.orders.get(id);
    permit(req, 'delete', order !== undefined);
    if (!order) throw invalidId('shop_order');
    const { force } = validateParams(req.wp.query, DELETE_PARAMS);
    // WooCommerce answers with the order as it was before the delete.
    const previous = orderToRest(order, this.rt.restContext());
    this.rt.orders.delete(id, force === true, req.wp.hooks);
    return { body: previous };
  }

  private body(req: SandboxRequest): Json {
    const body = isObject(req.wp.body) ? req.wp.body : {};
    return { ...body, ...validateParams(requestParams(req), ORDER_BODY) };
  }
}
