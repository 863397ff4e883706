import type { Prng } from '../generate/prng';
import { sortRecords } from '../http/collection';
import type { WebhookRecord, WebhookStatus } from '../store/woo-records';
import type { WooStoreState } from '../store/woo-store.state';
import type { Json } from '../wp/json-values';
import { WpError } from '../wp/wp-error';
import type { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { isValidTopic } from './webhook-topics';

/** `wp_generate_password(50, true, true)`'s alphabet: letters, digits, special and extra special characters. */
const PASSWORD_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_ []{}<>~`+=,.;:/?|';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Webhooks as WooCommerce's REST webhooks controller (v1 code behind v3) keeps them: topic and
 * URL validation, a 50-character generated secret when none is given, a ping after creation,
 * no trash.
 */
export class WebhooksService {
  constructor(
    private readonly state: WooStoreState,
    private readonly worker: WebhookDeliveryWorker,
    private readonly random: Prng,
  ) {}

  get(id: number): WebhookRecord | undefined {
    return this.state.webhooks.get(id);
  }

  list(params: Json): WebhookRecord[] {
    const status = params['status'] ?? 'all';
    const include = params['include'] as number[] | undefined;
    const exclude = params['exclude'] as number[] | undefined;
    const search = typeof params['search'] === 'string' ? params['search'].toLowerCase() : undefined;
    const matches = [...this.state.webhooks.values()].filter(
      (w) =>
        (status === 'all' || w.status === status) &&
        (!include || include.length === 0 || include.includes(w.id)) &&
        (!exclude || !exclude.includes(w.id)) &&
        (!search || w.name.toLowerCase().includes(search)),
    );
    const orderby = params['orderby'] ?? 'date';
    const key = (w: WebhookRecord): number | string => (orderby === 'id' ? w.id : orderby === 'title' ? w.name.toLowerCase() : w.dateCreated.getTime());
    return sortRecords(matches, key, params['order'], orderby === 'include' ? include : undefined);
  }

  /** `POST /webhooks`: saves the webhook, then pings its URL and waits for the answer, as WooCommerce does. */
  async create(input: Json): Promise<WebhookRecord> {
    if (input['id'] !== undefined && input['id'] !== 0) throw new WpError(400, 'woocommerce_rest_shop_webhook_exists', 'Cannot create existing shop_webhook.');
    const topic = typeof input['topic'] === 'string' ? input['topic'].toLowerCase() : '';
    if (!isValidTopic(topic)) throw invalidTopic();
    const url = typeof input['delivery_url'] === 'string' ? input['delivery_url'] : '';
    if (!isValidUrl(url)) throw invalidUrl();
    const now = this.state.clock.now();
    const webhook: WebhookRecord = {
      id: this.state.nextWebhookId(),
      name: typeof input['name'] === 'string' && input['name'] !== '' ? input['name'] : `Webhook created on ${this.createdOn(now)}`,
      status: statusOf(input['status']) ?? 'active',
      topic,
      delivery_url: url,
      secret: typeof input['secret'] === 'string' && input['secret'] !== '' ? input['secret'] : this.random.chars(50, PASSWORD_CHARS),
      api_version: 'wp_api_v3',
      user_id: 1,
      failure_count: 0,
      pending_delivery: true,
      dateCreated: now,
      dateModified: now,
    };
    this.state.webhooks.set(webhook.id, webhook);
    await this.worker.ping(webhook);
    return webhook;
  }

  /**
   * `PUT /webhooks/<id>`: topic, URL, secret, status, name. Re-activating does not reset the failure
   * counter, so one more failure disables it again (webhook-delivery.md §4).
   */
  update(id: number, input: Json): WebhookRecord {
    const webhook = this.state.webhooks.get(id);
    if (!webhook) throw new WpError(400, 'woocommerce_rest_shop_webhook_invalid_id', 'Invalid ID.');
    if (typeof input['topic'] === 'string' && input['topic'] !== '') {
      if (!isValidTopic(input['topic'].toLowerCase())) throw invalidTopic();
      webhook.topic = input['topic'].toLowerCase();
    }
    if (typeof input['delivery_url'] === 'string' && input['delivery_url'] !== '') {
      if (!isValidUrl(input['delivery_url'])) throw invalidUrl();
      webhook.delivery_url = input['delivery_url'];
    }
    if (typeof input['secret'] === 'string' && input['secret'] !== '') webhook.secret = input['secret'];
    // WC_Webhook::set_status turns an unknown status into 'disabled' (only batch items get that far).
    if (typeof input['status'] === 'string' && input['status'] !== '') webhook.status = statusOf(input['status']) ?? 'disabled';
    if (typeof input['name'] === 'string' && input['name'] !== '') webhook.name = input['name'];
    webhook.dateModified = this.state.clock.now();
    return webhook;
  }

  /** `DELETE /webhooks/<id>?force=true`; webhooks cannot be trashed (501 without `force`). */
  delete(id: number, force: boolean): WebhookRecord {
    const webhook = this.state.webhooks.get(id);
    if (!webhook) throw new WpError(404, 'woocommerce_rest_shop_webhook_invalid_id', 'Invalid ID.');
    if (!force) throw new WpError(501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
    this.state.webhooks.delete(id);
    return webhook;
  }

  /** `M d, Y @ h:i A` in site time, as in "Webhook created on May 24, 2016 @ 03:20 AM". */
  private createdOn(d: Date): string {
    const local = new Date(d.getTime() + this.state.clock.utcOffsetMinutes * 60_000);
    const h = local.getUTCHours();
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `${MONTHS[local.getUTCMonth()]} ${pad(local.getUTCDate())}, ${local.getUTCFullYear()} @ ${pad(h % 12 === 0 ? 12 : h % 12)}:${pad(local.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
  }
}

function statusOf(v: unknown): WebhookStatus | undefined {
  return v === 'active' || v === 'paused' || v === 'disabled' ? v : undefined;
}

/** `wc_is_valid_url`: an http or https URL with a host. */
function isValidUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

function invalidTopic(): WpError {
  return new WpError(400, 'woocommerce_rest_shop_webhook_invalid_topic', 'Webhook topic is required and must be valid.');
}

function invalidUrl(): WpError {
  return new WpError(400, 'woocommerce_rest_shop_webhook_invalid_delivery_url', 'Webhook delivery URL must be a valid URL starting with http:// or https://.');
}
