import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { runBatch } from '../http/batch-runner';
import { byMethod, created, idParam, listResult, permit, route, SANDBOX_RUNTIME, type RouteResult } from '../http/route';
import { DELETE_PARAMS, ITEM_PARAMS, WEBHOOK_CREATE_BODY, WEBHOOK_LIST_PARAMS, WEBHOOK_UPDATE_BODY } from '../http/route-params';
import { requestParams, type SandboxRequest, type SandboxResponse } from '../http/sandbox-request';
import type { SandboxRuntime } from '../sandbox-runtime';
import type { WebhookRecord } from '../store/woo-records';
import { isObject } from '../wp/json-values';
import { WpError } from '../wp/wp-error';
import { validateParams } from '../wp/wp-params.validator';
import { webhookToRest } from './webhook-rest.mapper';

/** `/wp-json/wc/v3/webhooks`: list, create (pings), batch, read, update, delete (force only). */
@Controller('wp-json/wc/v3/webhooks')
export class WebhooksController {
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
    const params = validateParams(req.wp.query, WEBHOOK_LIST_PARAMS);
    return listResult(this.rt, req, 'webhooks', this.rt.webhooks.list(params), params, (w) => this.toRest(w));
  }

  private async create(req: SandboxRequest): Promise<RouteResult> {
    permit(req, 'create');
    const body = isObject(req.wp.body) ? req.wp.body : {};
    const webhook = await this.rt.webhooks.create({ ...body, ...validateParams(requestParams(req), WEBHOOK_CREATE_BODY) });
    return created(this.rt, `webhooks/${webhook.id}`, this.toRest(webhook));
  }

  private async batch(req: SandboxRequest): Promise<RouteResult> {
    permit(req, 'batch');
    const body = await runBatch(req.wp.body, req.wp.hooks, this.rt.counters.batch('webhooks/batch'), {
      create: async (item) => this.toRest(await this.rt.webhooks.create(item)),
      update: (item) => this.toRest(this.rt.webhooks.update(Number(item['id'] ?? 0), item)),
      delete: (id) => this.toRest(this.rt.webhooks.delete(id, true)),
    });
    return { body };
  }

  private get(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    permit(req, 'read');
    const webhook = this.rt.webhooks.get(id);
    if (!webhook) throw new WpError(404, 'woocommerce_rest_shop_webhook_invalid_id', 'Invalid ID.');
    validateParams(req.wp.query, ITEM_PARAMS);
    return { body: this.toRest(webhook) };
  }

  private update(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    permit(req, 'edit');
    const body = isObject(req.wp.body) ? req.wp.body : {};
    return { body: this.toRest(this.rt.webhooks.update(id, { ...body, ...validateParams(requestParams(req), WEBHOOK_UPDATE_BODY) })) };
  }

  private remove(req: SandboxRequest): RouteResult {
    const id = idParam(req.params['id']);
    permit(req, 'delete');
    const { force } = validateParams(req.wp.query, DELETE_PARAMS);
    return { body: this.toRest(this.rt.webhooks.delete(id, force === true)) };
  }

  private toRest(w: WebhookRecord): unknown {
    return webhookToRest(w, this.rt.restContext());
  }
}
