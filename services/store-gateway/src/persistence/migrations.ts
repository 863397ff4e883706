import type { Migration } from '@ledgerline/persistence';

/**
 * The schema of store-gateway, in order. The messaging tables (outbox) are created by `ensureMessagingSchema`.
 * Versions (`modified_gmt`) are WooCommerce's `date_modified_gmt` to the second: the contract's idempotency key is
 * (store, resource, id, date_modified_gmt) (../shared/contracts/woocommerce/webhook-delivery.md §6).
 */
export const storeGatewayMigrations: Migration[] = [
  {
    id: '1764200000000-create-store-tables',
    sql: `
CREATE TABLE {{schema}}.stores (
  store_id                 text        PRIMARY KEY,
  tenant_id                text        NOT NULL,
  site_url                 text        NOT NULL,
  -- The store's currency (WooCommerce › Settings › General); product payloads do not carry it.
  currency                 text        NOT NULL,
  -- AES-256-GCM ciphertexts (iv | tag | data, base64); the key comes from STORE_GATEWAY_SECRETS_KEY.
  consumer_key_enc         text        NOT NULL,
  consumer_secret_enc      text        NOT NULL,
  webhook_secret_enc       text        NOT NULL,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);

-- The order aggregate: locked first in every transaction that appends an order event (docs/adr/0003-outbox-ordering.md).
CREATE TABLE {{schema}}.store_orders (
  tenant_id     text        NOT NULL,
  store_id      text        NOT NULL,
  order_id      text        NOT NULL,
  modified_gmt  timestamptz,
  content_hash  text,
  status        text,
  order_number  text,
  total         text,
  currency      text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_store_orders PRIMARY KEY (store_id, order_id)
);

CREATE TABLE {{schema}}.store_refunds (
  tenant_id   text        NOT NULL,
  store_id    text        NOT NULL,
  order_id    text        NOT NULL,
  refund_id   text        NOT NULL,
  amount      text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_store_refunds PRIMARY KEY (store_id, refund_id)
);

CREATE TABLE {{schema}}.store_customers (
  tenant_id     text        NOT NULL,
  store_id      text        NOT NULL,
  customer_id   text        NOT NULL,
  modified_gmt  timestamptz,
  content_hash  text,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_store_customers PRIMARY KEY (store_id, customer_id)
);

CREATE TABLE {{schema}}.store_products (
  tenant_id     text        NOT NULL,
  store_id      text        NOT NULL,
  product_id    text        NOT NULL,
  modified_gmt  timestamptz,
  content_hash  text,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_store_products PRIMARY KEY (store_id, product_id)
);

-- Deliveries we could not map: kept whole so a person can fix the cause and replay (POST /parked-deliveries/:id/replay).
CREATE TABLE {{schema}}.parked_deliveries (
  id                bigserial   PRIMARY KEY,
  tenant_id         text        NOT NULL,
  store_id          text        NOT NULL,
  resource          text        NOT NULL,
  resource_id       text,
  topic             text        NOT NULL,
  source            text        NOT NULL,
  payload           jsonb       NOT NULL,
  code              text        NOT NULL,
  operator_message  text        NOT NULL,
  status            text        NOT NULL DEFAULT 'parked',
  parked_at         timestamptz NOT NULL DEFAULT now(),
  resolved_at       timestamptz,
  CONSTRAINT ck_parked_deliveries_status CHECK (status IN ('parked', 'replayed', 'discarded'))
);
CREATE INDEX ix_parked_deliveries_store_id_status ON {{schema}}.parked_deliveries (store_id, status);

CREATE TABLE {{schema}}.sweep_cursors (
  store_id    text        NOT NULL,
  resource    text        NOT NULL,
  cursor      timestamptz NOT NULL,
  swept_at    timestamptz,
  CONSTRAINT pk_sweep_cursors PRIMARY KEY (store_id, resource)
);
`,
  },
];
