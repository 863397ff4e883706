import { createHmac } from 'node:crypto';
import type { SandboxFaults } from '../faults/fault-injector';
import type { WebhookRecord, WebhookStatus } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import { wpJsonEncode } from '../wp/wp-json.encoder';
import { postHttp10, type HookshotResponse } from './hookshot.client';
import { RequestHooks } from './request-hooks';
import { signWebhookBody } from './webhook-signature';
import { topicParts, type HookEvent, type HookResource } from './webhook-topics';

/** One entry of a webhook's delivery log (control API). */
export interface DeliveryLogEntry {
  kind: 'ping' | 'delivery';
  webhookId: number;
  topic: string;
  /** Resource id the delivery is about; null for a ping. */
  arg: number | null;
  /** `X-WC-Webhook-Delivery-ID`; null for a ping. */
  deliveryId: string | null;
  startedAt: string;
  durationMs: number;
  /** What was sent; for a dropped delivery, what would have been sent. */
  request: { url: string; method: 'POST'; httpVersion: '1.0'; headers: Record<string, string>; body: string };
  /** Null when nothing was sent (dropped). */
  response: HookshotResponse | null;
  outcome: 'success' | 'failure' | 'dropped';
  /** The injected fault that shaped this entry, if any. */
  fault: 'duplicate' | 'out-of-order' | 'dropped' | null;
  failureCountAfter: number;
  webhookStatusAfter: WebhookStatus;
}

export interface WebhookDeliveryOptions {
  /** `woocommerce_max_webhook_delivery_failures` (default 5): disabled on the failure after the count exceeds it. */
  maxDeliveryFailures: number;
  /** Delivery timeout; WooCommerce uses 60 s (`MINUTE_IN_SECONDS`). */
  timeoutMs: number;
  /** Ping timeout; WordPress's default HTTP timeout is 5 s. */
  pingTimeoutMs: number;
  /** How long queued deliveries wait before the queue runner picks them up (Action Scheduler). */
  delayMs: number;
  /** HMAC salt standing in for `wp_salt()` in delivery ids. */
  salt: string;
}

/** Builds a delivery body's payload at send time: the REST representation, `{id}` for deletions. */
export type PayloadBuilder = (resource: HookResource, event: HookEvent, id: number) => unknown;

interface Queued {
  webhookId: number;
  arg: number;
  /** Body captured when the change happened; only for out-of-order faults. */
  staleBody?: string;
}

const DRAFT_ORDER_STATUSES = ['draft', 'auto-draft', 'new', 'checkout-draft'];

/**
 * Delivers webhooks the way WooCommerce does: queued at the end of the request that made the
 * change, coalesced with a pending delivery for the same webhook and resource, sent one at a
 * time by a single queue runner with the body built at send time, signed, never retried; failures
 * are counted and the webhook is disabled past the threshold (webhook-delivery.md §1, §4; contract
 * read 2026-11-26).
 */
export class WebhookDeliveryWorker {
  private readonly queue: Queued[] = [];
  /** Queued and not yet started, by `webhookId:arg`: a new change for these is coalesced. */
  private readonly pending = new Map<string, Queued>();
  /** Stale deliveries waiting for a newer delivery of the same key (out-of-order fault). */
  private held: Array<Queued & { key: string; timer: NodeJS.Timeout }> = [];
  private readonly log: DeliveryLogEntry[] = [];
  private running = false;
  private kickTimer: NodeJS.Timeout | null = null;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;
  /** Requests still running: what they owe is not queued yet, so the worker is not idle. */
  private openRequests = 0;
  /** Aborts requests in flight when the sandbox closes, so no socket outlives it. */
  private readonly abort = new AbortController();

  constructor(
    private readonly state: WooStoreState,
    private readonly payload: PayloadBuilder,
    private readonly faults: SandboxFaults,
    private readonly options: WebhookDeliveryOptions,
  ) {}

  /** Starts collecting the deliveries one request owes; pass the result to {@link shutdown} when it ends. */
  openRequest(): RequestHooks {
    this.openRequests++;
    return new RequestHooks((resource, event, id) => this.interestedWebhooks(resource, event, id));
  }

  /** Queues what the request owes, as `wc_webhook_execute_queue` does at PHP shutdown. */
  shutdown(hooks: RequestHooks): void {
    this.openRequests = Math.max(0, this.openRequests - 1);
    if (this.stopped) return;
    for (const { webhookId, arg } of hooks.owed) {
      const webhook = this.state.webhooks.get(webhookId);
      if (!webhook) continue;
      const key = `${webhookId}:${arg}`;
      const reorder = this.faults.forScheduling(webhookId, webhook.topic);
      if (reorder) {
        const entry = { webhookId, arg, staleBody: this.body(webhook, arg), key, timer: setTimeout(() => this.release(key, true), reorder.maxHoldMs) };
        this.held.push(entry);
        continue;
      }
      // Only one pending action per {webhook_id, arg}: later changes ride on it and, since the
      // body is built at send time, arrive as one delivery with the latest state.
      if (this.pending.has(key)) continue;
      const entry: Queued = { webhookId, arg };
      this.pending.set(key, entry);
      this.queue.push(entry);
    }
    this.kick();
  }

  /**
   * Sends the ping WooCommerce sends when a webhook is created over REST: a form POST with body
   * `webhook_id=<id>`, no X-WC-* headers, no signature; only an exact 200 clears `pending_delivery`
   * (webhook-delivery.md §2). Failures do not count towards disabling.
   */
  async ping(webhook: WebhookRecord): Promise<DeliveryLogEntry> {
    const body = `webhook_id=${webhook.id}`;
    // Content-Type is WordPress/cURL's default for a string body (a guess in the contract).
    const headers: Array<[string, string]> = [
      ['User-Agent', this.userAgent()],
      ['Accept', '*/*'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ];
    const started = Date.now();
    const response = await postHttp10(webhook.delivery_url, headers, Buffer.from(body), this.options.pingTimeoutMs, this.abort.signal);
    if (response.status === 200) webhook.pending_delivery = false;
    const entry: DeliveryLogEntry = {
      kind: 'ping',
      webhookId: webhook.id,
      topic: webhook.topic,
      arg: null,
      deliveryId: null,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      request: { url: webhook.delivery_url, method: 'POST', httpVersion: '1.0', headers: Object.fromEntries(headers), body },
      response,
      outcome: response.status === 200 ? 'success' : 'failure',
      fault: null,
      failureCountAfter: webhook.failure_count,
      webhookStatusAfter: webhook.status,
    };
    this.log.push(entry);
    return entry;
  }

  /** The delivery log, oldest first; only one webhook's when `webhookId` is given. */
  deliveries(webhookId?: number): DeliveryLogEntry[] {
    return this.log.filter((e) => webhookId === undefined || e.webhookId === webhookId);
  }

  /** Resolves once no request is still running and nothing is queued, held back or in flight. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets queued and held deliveries and the log (sandbox reset). */
  clear(): void {
    this.queue.length = 0;
    this.pending.clear();
    for (const h of this.held) clearTimeout(h.timer);
    this.held = [];
    this.log.length = 0;
    this.notifyIdle();
  }

  /** Stops delivering; queued deliveries are dropped. */
  stop(): void {
    this.stopped = true;
    this.abort.abort();
    if (this.kickTimer) clearTimeout(this.kickTimer);
    this.clear();
  }

  /** `WC_Webhook::should_deliver`: active, topic matches, and the resource is not a draft. */
  private interestedWebhooks(resource: HookResource, event: HookEvent, id: number): number[] {
    const topic = `${resource}.${event}`;
    const ids: number[] = [];
    for (const w of this.state.webhooks.values()) {
      if (w.status !== 'active' || w.topic !== topic) continue;
      if (resource === 'order') {
        const order = this.state.orders.get(id);
        if (!order || DRAFT_ORDER_STATUSES.includes(order.status)) continue;
      }
      ids.push(w.id);
    }
    return ids;
  }

  private kick(): void {
    if (this.running || this.kickTimer || this.queue.length === 0 || this.stopped) {
      this.notifyIdle();
      return;
    }
    this.kickTimer = setTimeout(() => {
      this.kickTimer = null;
      void this.run();
    }, this.options.delayMs);
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (let entry = this.queue.shift(); entry !== undefined && !this.stopped; entry = this.queue.shift()) {
        const key = `${entry.webhookId}:${entry.arg}`;
        if (this.pending.get(key) === entry) this.pending.delete(key);
        await this.deliver(entry);
        if (entry.staleBody === undefined) this.release(key, false);
      }
    } finally {
      this.running = false;
      this.notifyIdle();
    }
  }

  /** Puts held stale deliveries for `key` at the front of the queue. */
  private release(key: string, timedOut: boolean): void {
    const ready = this.held.filter((h) => h.key === key);
    if (ready.length === 0) return;
    this.held = this.held.filter((h) => h.key !== key);
    for (const h of ready) clearTimeout(h.timer);
    this.queue.unshift(...ready.map(({ webhookId, arg, staleBody }) => ({ webhookId, arg, staleBody })));
    if (timedOut) this.kick();
  }

  private async deliver(entry: Queued): Promise<void> {
    // Action Scheduler runs the action even if the webhook was paused since (wc_deliver_webhook_async
    // does not check the status); a deleted webhook makes the action fail without a request.
    const webhook = this.state.webhooks.get(entry.webhookId);
    if (!webhook) return;
    const { drop, duplicate } = this.faults.forDelivery(webhook.id, webhook.topic);
    const started = Date.now();
    const body = entry.staleBody ?? this.body(webhook, entry.arg);
    const deliveryId = createHmac('md5', this.options.salt).update(`${webhook.id}${Math.floor(Date.now() / 1000)}`).digest('hex');
    const { resource, event } = topicParts(webhook.topic);
    const headers: Array<[string, string]> = [
      ['User-Agent', this.userAgent()],
      ['Accept', '*/*'],
      ['Content-Type', 'application/json'],
      ['X-WC-Webhook-Source', `${this.state.settings.siteUrl}/`],
      ['X-WC-Webhook-Topic', webhook.topic],
      ['X-WC-Webhook-Resource', resource],
      ['X-WC-Webhook-Event', event],
      ['X-WC-Webhook-Signature', signWebhookBody(body, webhook.secret)],
      ['X-WC-Webhook-ID', String(webhook.id)],
      ['X-WC-Webhook-Delivery-ID', deliveryId],
    ];
    const request = { url: webhook.delivery_url, method: 'POST' as const, httpVersion: '1.0' as const, headers: Object.fromEntries(headers), body };
    const base = { kind: 'delivery' as const, webhookId: webhook.id, topic: webhook.topic, arg: entry.arg, deliveryId, request };
    if (drop) {
      this.log.push({ ...base, startedAt: new Date(started).toISOString(), durationMs: 0, response: null, outcome: 'dropped', fault: 'dropped', failureCountAfter: webhook.failure_count, webhookStatusAfter: webhook.status });
      return;
    }
    const copies = duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const t0 = Date.now();
      const response = await postHttp10(webhook.delivery_url, headers, Buffer.from(body), this.options.timeoutMs, this.abort.signal);
      const success = this.account(webhook, response.status);
      const fault = entry.staleBody !== undefined ? 'out-of-order' : i === 1 ? 'duplicate' : null;
      this.log.push({ ...base, startedAt: new Date(t0).toISOString(), durationMs: Date.now() - t0, response, outcome: success ? 'success' : 'failure', fault, failureCountAfter: webhook.failure_count, webhookStatusAfter: webhook.status });
    }
  }

  /**
   * `WC_Webhook::log_delivery` / `failed_delivery`: 200–302 is success and resets the counter;
   * anything else (including no answer) increments it, or disables the webhook once the counter
   * already exceeds the threshold, so with the default 5 the 7th consecutive failure disables.
   */
  private account(webhook: WebhookRecord, status: number): boolean {
    if (status >= 200 && status < 303) {
      webhook.failure_count = 0;
      return true;
    }
    if (webhook.failure_count > this.options.maxDeliveryFailures) webhook.status = 'disabled';
    else webhook.failure_count++;
    return false;
  }

  private body(webhook: WebhookRecord, arg: number): string {
    const { resource, event } = topicParts(webhook.topic);
    return wpJsonEncode(this.payload(resource as HookResource, event as HookEvent, arg)).trim();
  }

  private userAgent(): string {
    const { wcVersion, wpVersion } = this.state.settings;
    return `WooCommerce/${wcVersion} Hookshot (WordPress/${wpVersion})`;
  }

  private isIdle(): boolean {
    return this.openRequests === 0 && !this.running && this.kickTimer === null && this.queue.length === 0 && this.held.length === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
