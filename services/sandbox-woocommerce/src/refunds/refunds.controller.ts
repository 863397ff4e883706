import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { byMethod, created, idParam, listResult, permit, route, SANDBOX_RUNTIME, type RouteResult } from '../http/route';
import { DELETE_PARAMS, ITEM_PARAMS, REFUND_BODY, REFUND_LIST_PARAMS } from '../http/route-params';
import { requestParams, type SandboxRequest, type SandboxResponse } from '../http/sandbox-request';
import { dateFilter, sortRecords } from '../http/collection';
import type { SandboxRuntime } from '../sandbox-runtime';
import { isObject } from '../wp/json-values';
import { invalidId, WpError } from '../wp/wp-error';
import { validateParams } from '../wp/wp-params.validator';
import { refundToRest } from './refund-rest.mapper';

/** `/wp-json/wc/v3/orders/<id>/refunds`: list, create, read, delete. */
@Controller('wp-json/wc/v3/orders/:orderId/refunds')
export class RefundsController {
  constructor(@Inject(SANDBOX_RUNTIME) private readonly rt: SandboxRuntime) {}

  @All()
  collection(@Req() req: SandboxRequest, @Res() res: SandboxResponse): Promise<void> {
    return route(this.rt, req, res, byMethod(req, { GET: () => this.list(req), POST: () => this.create(req) }));
  }

  @All(':id')
  item(@Req() req: SandboxRequest, @Res() res: SandboxResponse): Promise<void> {
    return route(this.rt, req, res, byMethod(req, { GET: () => this.get(req), DELETE: () => this.remove(req) }));
  }

  /** An unknown order lists no refunds (the query only filters by parent), as WooCommerce does. */
  private list(req: SandboxRequest): RouteResult {
    const orderId = idParam(req.params['orderId']);
    permit(req, 'list');
    const params = validateParams(req.wp.query, REFUND_LIST_PARAMS);
    const inDates = dateFilter(params, this.rt.clock);
    const refunds = (this.rt.state.orders.get(orderId)?.refunds ?? []).filter((r) => inDates(r.dateCreated, r.dateCreated));
    const sorted = sortRecords(refunds, (r) => (params['orderby'] === 'id' ? r.id : r.dateCreated.getTime()), params['order']);
    const ctx = this.rt.restContext(params['dp'] as number);
    return listResult(this.rt, req, `orders/${orderId}/refunds`, sorted, params, (r) => refundToRest(r, ctx));
  }

  private create(req: SandboxRequest): RouteResult {
    const orderId = idParam(req.params['orderId']);
    permit(req, 'create');
    const body = isObject(req.wp.body) ? req.wp.body : {};
    const input = { ...body, ...validateParams(requestParams(req), REFUND_BODY) };
    const refundedBy = typeof input['refunded_by'] === 'number' ? input['refunded_by'] : (req.wp.user?.userId ?? 1);
    const refund = this.rt.refunds.create(orderId, this.rt.refunds.fromRest(input, refundedBy), req.wp.hooks);
    return created(this.rt, `orders/${orderId}/refunds/${refund.id}`, refundToRest(refund, this.rt.restContext()));
  }

  private get(req: SandboxRequest): RouteResult {
    const refund = this.rt.refunds.get(idParam(req.params['orderId']), idParam(req.params['id']));
    permit(req, 'read', refund !== undefined);
    // Guess: the contract has no example of the error for a refund of another order.
    if (!refund) throw invalidId('shop_order_refund');
    const params = validateParams(req.wp.query, ITEM_PARAMS);
    return { body: refundToRest(refund, this.rt.restContext(params['dp'] as number)) };
  }

  private remove(req: SandboxRequest): RouteResult {
    const orderId = idParam(req.params['orderId']);
    const refund = this.rt.refunds.get(orderId, idParam(req.params['id']));
    permit(req, 'delete', refund !== undefined);
    if (!refund) throw invalidId('shop_order_refund');
    const { force } = validateParams(req.wp.query, DELETE_PARAMS);
    if (force !== true) throw new WpError(501, 'woocommerce_rest_trash_not_supported', 'Refunds do not support trashing.');
    const previous = refundToRest(refund, this.rt.restContext());
    this.rt.refunds.delete(orderId, refund.id, req.wp.hooks);
    return { body: previous };
  }
}
