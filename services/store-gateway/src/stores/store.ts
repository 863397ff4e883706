/** A registered store with its secrets decrypted; lives in memory only and is never logged or returned over HTTP. */
export interface Store {
  tenantId: string;
  storeId: string;
  siteUrl: string;
  /** ISO 4217 code of the store's prices (WooCommerce › Settings › General › Currency). */
  currency: string;
  consumerKey: string;
  consumerSecret: string;
  webhookSecret: string;
}

/** What the admin API shows of a store: never a secret. */
export interface StoreView {
  tenantId: string;
  storeId: string;
  siteUrl: string;
  currency: string;
  webhookUrl: string;
  createdAt: string;
  updatedAt: string;
}
