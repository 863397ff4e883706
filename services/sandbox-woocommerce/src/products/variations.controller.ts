import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { runBatch } from '../http/batch-runner';
import { byMethod, created, idParam, listResult, permit, route, SANDBOX_RUNTIME, type RouteResult } from '../http/route';
import { DELETE_PARAMS, ITEM_PARAMS, VARIATION_BODY, VARIATION_LIST_PARAMS } from '../http/route-params';
import { requestParams, type SandboxRequest, type SandboxResponse } from '../http/sandbox-request';
import type { SandboxRuntime } from '../sandbox-runtime';
import type { ProductRecord } from '../store/woo-records';
import { isObject, type Json } from '../wp/json-values';
import { invalidId } from '../wp/wp-error';
import { validateParams } from '../wp/wp-params.validator';
import { variationToRest } from './product-rest.mapper';

/** `/wp-json/wc/v3/products/<id>/variations`: list, create, batch, read, update, delete (force only). */
@Controller('wp-json/wc/v3/products/:productId/variations')
export class VariationsController {
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
    const parentId = idParam(req.params['productId']);
    permit(req, 'list');
    const params = validateParams(req.wp.query, VARIATION_LIST_PARAMS);
    return listResult(this.rt, req, `products/${parentId}/variations`, this.rt.products.list(params, parentId), params, (v) => this.toRest(v));
  }

  private create(req: SandboxRequest): RouteResult {
    const parentId = idParam(req.params['productId']);
    permit(req, 'create');
    const v = this.rt.products.create(this.body(req), req.wp.hooks, parentId);
    return created(this.rt, `products/${parentId}/variations/${v.id}`, this.toRest(v));
  }

  private async batch(req: SandboxRequest): Promise<RouteResult> {
    const parentId = idParam(req.params['productId']);
    permit(req, 'batch');
    const body = await runBatch(req.wp.body, req.wp.hooks, this.rt.counters.batch('products/{id}/variations/batch'), {
      create: (item, hooks) => this.toRest(this.rt.products.create(item, hooks, parentId)),
      update: (item, hooks) => this.toRest(this.rt.products.update(Number(item['id'] ?? 0), item, hooks, parentId)),
      delete: (id, hooks) => {
        const before = this.variation(parentId, id);
        if (!before) throw invalidId('product_variation');
        const previous = this.toRest(before);
        this.rt.products.delete(id, true, hooks, parentId);
        return previous;
      },
    });
    return { body };
  }

  private get(req: SandboxRequest): RouteResult {
    const v = this.variation(idParam(req.params['productId']), idParam(req.params['id']));
    permit(req, 'read', v !== undefined);
    if (!v) throw invalidId('product_variation');
    validateParams(req.wp.query, ITEM_PARAMS);
    return { body: this.toRest(v) };
  }

  private update(req: SandboxRequest): RouteResult {
    const parentId = idParam(req.params['productId']);
    const id = idParam(req.params['id']);
    permit(req, 'edit', this.variation(parentId, id) !== undefined);
    return { body: this.toRest(this.rt.products.update(id, this.body(req), req.wp.hooks, parentId)) };
  }

  private remove(req: SandboxRequest): RouteResult {
    const parentId = idParam(req.params['productId']);
    const id = idParam(req.params['id']);
    const v = this.variation(parentId, id);
    permit(req, 'delete', v !== undefined);
    if (!v) throw invalidId('product_variation');
    const { force } = validateParams(req.wp.query, DELETE_PARAMS);
    const previous = this.toRest(v);
    this.rt.products.delete(id, force === true, req.wp.hooks, parentId);
    return { body: previous };
  }

  private variation(parentId: number, id: number): ProductRecord | undefined {
    const v = this.rt.products.get(id);
    return v && v.type === 'variation' && v.parent_id === parentId ? v : undefined;
  }

  private toRest(v: ProductRecord): unknown {
    return variationToRest(v, this.rt.state, this.rt.restContext());
  }

  private body(req: SandboxRequest): Json {
    const body = isObject(req.wp.body) ? req.wp.body : {};
    return { ...body, ...validateParams(requestParams(req), VARIATION_BODY) };
  }
}
