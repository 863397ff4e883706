import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { runBatch } from '../http/batch-runner';
import { byMethod, created, idParam, listResult, permit, route, SANDBOX_RUNTIME, type RouteResult } from '../http/route';
import { CUSTOMER_BODY, CUSTOMER_LIST_PARAMS, DELETE_PARAMS, ITEM_PARAMS } from '../http/route-params';
import { requestParams, type SandboxRequest, type SandboxResponse } from '../http/sandbox-request';
import type { SandboxRuntime } from '../sandbox-runtime';
import type { CustomerRecord } from '../store/woo-records';
import { isObject, type Json } from '../wp/json-values';
import { WpError } from '../wp/wp-error';
import { validateParams } from '../wp/wp-params.validator';
import { customerToRest } from './customer-rest.mapper';

/** `/wp-json/wc/v3/customers`: list (`email` filter), create, batch, read, update, delete (force only). */
@Controller('wp-json/wc/v3/customers')
export class CustomersController {
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

  // The customers controller checks user capabilities without looking the customer up first, so
  // an anonymous request is 401 whether or not the id exists.
  private list(req: SandboxRequest): RouteResult {
    permit(req, 'list');
    const params = validateParams(req.wp.query, CUSTOMER_LIST_PARAMS);
    return listResult(this.rt, req, 'customers', this.rt.customers.list(params), params, (c) => this.toRest(c));
  }

  private create(req: SandboxRequest): RouteResult {
    permit(req, 'create');
    const customer = this.rt.customers.create(this.body(req), req.wp.hooks);
    return created(this.rt, `customers/${customer.id}`, this.toRest(customer));
  }

  private async batch(req: SandboxRequest): Promise<RouteResult> {
    permit(req, 'batch');
    const body = await runBatch(req.wp.body, req.wp.hooks, this.rt.counters.batch('customers/batch'), {
      create: (item, hooks) => this.toRest(this.rt.customers.create(item, hooks)),
      update: (item, hooks) => this.toRest(this.rt.customers.update(Number(item['id'] ?? 0), item, hooks)),
      delete: (id, hooks) => {
        const before = this.rt.customers.get(id);
        if (!before) throw notFound();
        const previous = this.toRest(before);
        this.rt.customers.delete(id, true, hooks);
        return previous;
      },
    });
    return { body };
  }

  private get(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    permit(req, 'read');
    const customer = this.rt.customers.get(id);
    if (!customer) throw notFound();
    validateParams(req.wp.query, ITEM_PARAMS);
    return { body: this.toRest(customer) };
  }

  private update(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    permit(req, 'edit');
    return { body: this.toRest(this.rt.customers.update(id, this.body(req), req.wp.hooks)) };
  }

  private remove(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    permit(req, 'delete');
    const { force } = validateParams(req.wp.query, DELETE_PARAMS);
    const customer = this.rt.customers.get(id);
    const previous = customer ? this.toRest(customer) : null;
    this.rt.customers.delete(id, force === true, req.wp.hooks);
    return { body: previous };
  }

  private toRest(c: CustomerRecord): unknown {
    return customerToRest(c, this.rt.restContext());
  }

  private body(req: SandboxRequest): Json {
    const body = isObject(req.wp.body) ? req.wp.body : {};
    return { ...body, ...validateParams(requestParams(req), CUSTOMER_BODY) };
  }
}

function notFound(): WpError {
  return new WpError(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.');
}
