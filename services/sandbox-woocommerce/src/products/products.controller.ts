import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { runBatch } from '../http/batch-runner';
import { byMethod, created, idParam, listResult, permit, route, SANDBOX_RUNTIME, type RouteResult } from '../http/route';
import { DELETE_PARAMS, ITEM_PARAMS, PRODUCT_BODY, PRODUCT_LIST_PARAMS } from '../http/route-params';
import { requestParams, type SandboxRequest, type SandboxResponse } from '../http/sandbox-request';
import type { SandboxRuntime } from '../sandbox-runtime';
import type { ProductRecord } from '../store/woo-records';
import { isObject, type Json } from '../wp/json-values';
import { invalidId } from '../wp/wp-error';
import { validateParams } from '../wp/wp-params.validator';
import { productToRest } from './product-rest.mapper';

/** `/wp-json/wc/v3/products`: list (with `sku`, which also finds variations), create, batch, read, update, delete. */
@Controller('wp-json/wc/v3/products')
export class ProductsController {
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
    const params = validateParams(req.wp.query, PRODUCT_LIST_PARAMS);
    return listResult(this.rt, req, 'products', this.rt.products.list(params), params, (p) => this.toRest(p));
  }

  private create(req: SandboxRequest): RouteResult {
    permit(req, 'create');
    const product = this.rt.products.create(this.body(req), req.wp.hooks);
    return created(this.rt, `products/${product.id}`, this.toRest(product));
  }

  private async batch(req: SandboxRequest): Promise<RouteResult> {
    permit(req, 'batch');
    const body = await runBatch(req.wp.body, req.wp.hooks, this.rt.counters.batch('products/batch'), {
      create: (item, hooks) => this.toRest(this.rt.products.create(item, hooks)),
      update: (item, hooks) => this.toRest(this.rt.products.update(Number(item['id'] ?? 0), item, hooks)),
      delete: (id, hooks) => {
        const before = this.product(id);
        if (!before) throw invalidId('product');
        const previous = this.toRest(before);
        this.rt.products.delete(id, true, hooks);
        return previous;
      },
    });
    return { body };
  }

  /** A variation id is answered too, in the product shape with `type: "variation"`. */
  private get(req: SandboxRequest): RouteResult {
    const product = this.rt.products.get(idParam(req.params['id']));
    permit(req, 'read', product !== undefined);
    if (!product) throw invalidId('product');
    validateParams(req.wp.query, ITEM_PARAMS);
    return { body: this.toRest(product) };
  }

  private update(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    permit(req, 'edit', this.rt.products.get(id) !== undefined);
    return { body: this.toRest(this.rt.products.update(id, this.body(req), req.wp.hooks)) };
  }

  private remove(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    const product = this.product(id);
    permit(req, 'delete', product !== undefined);
    if (!product) throw invalidId('product');
    const { force } = validateParams(req.wp.query, DELETE_PARAMS);
    const previous = this.toRest(product);
    this.rt.products.delete(id, force === true, req.wp.hooks);
    return { body: previous };
  }

  private product(id: number): ProductRecord | undefined {
    const p = this.rt.products.get(id);
    return p && p.type !== 'variation' ? p : undefined;
  }

  private toRest(p: ProductRecord): unknown {
    return productToRest(p, this.rt.state, this.rt.restContext());
  }

  private body(req: SandboxRequest): Json {
    const body = isObject(req.wp.body) ? req.wp.body : {};
    return { ...body, ...validateParams(requestParams(req), PRODUCT_BODY) };
  }
}
