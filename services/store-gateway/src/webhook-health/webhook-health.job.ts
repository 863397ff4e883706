import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createLogger } from '@ledgerline/observability';
import type { StoreGatewayConfig } from '../config/store-gateway.config';
import { CONFIG } from '../config/tokens';
import { webhooksRepaired } from '../metrics';
import { StoreClients } from '../stores/store-clients';
import type { Store } from '../stores/store';
import { StoresRepository } from '../stores/stores.repository';

/** The topics every store must deliver to store-gateway. */
export const REQUIRED_TOPICS = [
  'order.created',
  'order.updated',
  'order.deleted',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'product.created',
  'product.updated',
  'product.deleted',
] as const;

/** What one check of one store found and did. */
export interface WebhookHealthReport {
  storeId: string;
  deliveryUrl: string;
  /** Topics whose webhook was active already. */
  healthy: string[];
  /** Topics a webhook was created for. */
  created: string[];
  /** Webhook ids switched back to active (they were `disabled` or `paused`). */
  reenabled: number[];
}

const log = createLogger('webhook-health');

/**
 * Keeps each store's webhooks registered, pointed at this service and active. WooCommerce disables a webhook
 * silently after repeated failed deliveries and never retries (webhook-delivery.md §4), so this runs at start
 * and on a schedule. Re-enabling also re-sends our secret; WooCommerce keeps its failure counter (§4).
 */
@Injectable()
export class WebhookHealthJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: StoreGatewayConfig,
    private readonly stores: StoresRepository,
    private readonly clients: StoreClients,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => {
      this.running ??= this.checkAll().finally(() => (this.running = undefined));
    };
    // After start, not during it: creating a webhook makes WooCommerce ping us, so the server must be listening.
    if (this.config.webhookHealthAtStart) this.timers.push(setTimeout(run, 2000));
    if (this.config.webhookHealthIntervalMs > 0) this.timers.push(setInterval(run, this.config.webhookHealthIntervalMs));
    for (const t of this.timers) t.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await this.running;
  }

  async checkAll(): Promise<void> {
    for (const store of await this.stores.all()) {
      try {
        await this.checkStore(store);
      } catch (err) {
        log.error({ err, tenantId: store.tenantId, storeId: store.storeId }, `webhook check of store "${store.storeId}" failed: ${(err as { operatorMessage?: string }).operatorMessage ?? (err as Error).message}`);
      }
    }
  }

  async checkStore(store: Store): Promise<WebhookHealthReport> {
    const client = this.clients.for(store);
    const deliveryUrl = `${this.config.publicUrl}/webhooks/woocommerce/${store.storeId}`;
    const report: WebhookHealthReport = { storeId: store.storeId, deliveryUrl, healthy: [], created: [], reenabled: [] };
    const hooks = await client.listWebhooks();
    for (const topic of REQUIRED_TOPICS) {
      const ours = hooks.filter((h) => h.topic === topic && h.delivery_url.replace(/\/+$/, '') === deliveryUrl);
      if (ours.length === 0) {
        await client.createWebhook({ name: `Ledgerline ${topic}`, topic, delivery_url: deliveryUrl, secret: store.webhookSecret, status: 'active' });
        webhooksRepaired.inc({ action: 'created' });
        report.created.push(topic);
        continue;
      }
      let healthy = true;
      for (const hook of ours) {
        if (hook.status === 'active') continue;
        healthy = false;
        await client.updateWebhook(hook.id, { status: 'active', secret: store.webhookSecret });
        webhooksRepaired.inc({ action: 'reenabled' });
        report.reenabled.push(hook.id);
        log.warn({ tenantId: store.tenantId, storeId: store.storeId, webhookId: hook.id, topic }, `webhook ${hook.id} (${topic}) of store "${store.storeId}" was ${hook.status}; re-enabled`);
      }
      if (healthy) report.healthy.push(topic);
    }
    return report;
  }
}
