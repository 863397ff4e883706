import { link, restUrl, type RestContext } from '../store/rest-context';
import type { WebhookRecord } from '../store/woo-records';
import { topicParts } from './webhook-topics';

/**
 * Returns the webhook as `GET /wc/v3/webhooks/<id>` prints it (webhook.json). The secret is not
 * in the response, as in WooCommerce: a secret the store generated cannot be read back over REST.
 */
export function webhookToRest(w: WebhookRecord, ctx: RestContext): Record<string, unknown> {
  const { resource, event, hooks } = topicParts(w.topic);
  return {
    id: w.id,
    name: w.name,
    status: w.status,
    topic: w.topic,
    resource,
    event,
    hooks,
    delivery_url: w.delivery_url,
    date_created: ctx.clock.local(w.dateCreated),
    date_created_gmt: ctx.clock.gmt(w.dateCreated),
    date_modified: ctx.clock.local(w.dateModified),
    date_modified_gmt: ctx.clock.gmt(w.dateModified),
    _links: { self: link(restUrl(ctx, `webhooks/${w.id}`)), collection: link(restUrl(ctx, 'webhooks')) },
  };
}
