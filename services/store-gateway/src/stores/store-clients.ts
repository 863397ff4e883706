import { Injectable } from '@nestjs/common';
import { WooCommerceClient } from '@ledgerline/woocommerce';
import type { Store } from './store';

/** One WooCommerce REST client per store, rebuilt when the store's registration changes. */
@Injectable()
export class StoreClients {
  private readonly clients = new Map<string, { fingerprint: string; client: WooCommerceClient }>();

  for(store: Store): WooCommerceClient {
    const fingerprint = `${store.siteUrl}\n${store.consumerKey}\n${store.consumerSecret}`;
    const known = this.clients.get(store.storeId);
    if (known && known.fingerprint === fingerprint) return known.client;
    const client = new WooCommerceClient({ siteUrl: store.siteUrl, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret });
    this.clients.set(store.storeId, { fingerprint, client });
    return client;
  }
}
