/** Resources whose changes the sandbox reports to webhooks. */
export type HookResource = 'order' | 'product' | 'customer' | 'coupon';
export type HookEvent = 'created' | 'updated' | 'deleted' | 'restored';

/** Hooks per topic, from `WC_Webhook::get_default_topic_hooks()` (webhook-delivery.md §1, trunk). */
const TOPIC_HOOKS: Record<string, string[]> = {
  'coupon.created': ['woocommerce_process_shop_coupon_meta', 'woocommerce_new_coupon'],
  'coupon.updated': ['woocommerce_process_shop_coupon_meta', 'woocommerce_update_coupon'],
  'coupon.deleted': ['wp_trash_post'],
  'coupon.restored': ['untrashed_post'],
  'customer.created': ['user_register', 'woocommerce_created_customer', 'woocommerce_new_customer'],
  'customer.updated': ['profile_update', 'woocommerce_update_customer'],
  'customer.deleted': ['delete_user'],
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_update_order', 'woocommerce_order_refunded', 'woocommerce_delete_order_refund'],
  'order.deleted': ['wp_trash_post', 'woocommerce_trash_order'],
  'order.restored': ['untrashed_post', 'woocommerce_untrash_order'],
  'product.created': ['woocommerce_process_product_meta', 'woocommerce_new_product', 'woocommerce_new_product_variation'],
  'product.updated': ['woocommerce_process_product_meta', 'woocommerce_update_product', 'woocommerce_update_product_variation'],
  'product.deleted': ['wp_trash_post'],
  'product.restored': ['untrashed_post'],
};

const VALID_RESOURCES = ['coupon', 'customer', 'order', 'product'];
const VALID_EVENTS = ['created', 'updated', 'deleted', 'restored'];
const INVALID_TOPICS = ['action.woocommerce_login_credentials', 'action.woocommerce_product_csv_importer_check_import_file_path', 'action.woocommerce_webhook_should_deliver'];

/**
 * `wc_is_webhook_valid_topic`: resource.event from the valid lists, or a custom
 * `action.woocommerce_*` / `action.wc_*` topic. `product.published` has hooks but is not in the
 * valid events list, so the REST API refuses it (webhook-delivery.md §1).
 */
export function isValidTopic(topic: string): boolean {
  if (INVALID_TOPICS.includes(topic)) return false;
  if (/^action\.(woocommerce_|wc_)/.test(topic)) return true;
  const [resource, event, ...rest] = topic.split('.');
  return rest.length === 0 && VALID_RESOURCES.includes(resource) && VALID_EVENTS.includes(event ?? '');
}

/** `resource`, `event` and `hooks` as the REST API prints them for a topic. */
export function topicParts(topic: string): { resource: string; event: string; hooks: string[] } {
  const dot = topic.indexOf('.');
  const resource = dot < 0 ? topic : topic.slice(0, dot);
  const event = dot < 0 ? '' : topic.slice(dot + 1);
  const hooks = resource === 'action' ? [event] : (TOPIC_HOOKS[topic] ?? []);
  return { resource, event, hooks };
}
