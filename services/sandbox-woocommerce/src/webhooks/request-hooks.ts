import type { HookEvent, HookResource } from './webhook-topics';

/** Where services report the WooCommerce hooks a change fires. */
export interface HookSink {
  fire(resource: HookResource, event: HookEvent, id: number): void;
}

/** One delivery a request owes: webhook and resource id (`arg` in WooCommerce). */
export interface OwedDelivery {
  webhookId: number;
  arg: number;
}

/**
 * The deliveries one PHP request owes. `WC_Webhook::process()` remembers what it processed in the
 * request, so a webhook fires once per resource per request however many saves happened; the list
 * is handed to the queue at `shutdown` (webhook-delivery.md §1, "Queueing").
 */
export class RequestHooks implements HookSink {
  readonly owed: OwedDelivery[] = [];
  private readonly seen = new Set<string>();

  /** @param interested returns the ids of the webhooks that should deliver this change now. */
  constructor(private readonly interested: (resource: HookResource, event: HookEvent, id: number) => number[]) {}

  fire(resource: HookResource, event: HookEvent, id: number): void {
    for (const webhookId of this.interested(resource, event, id)) {
      const key = `${webhookId}:${id}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.owed.push({ webhookId, arg: id });
    }
  }
}
