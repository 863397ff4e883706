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
  {
    id: '1764300000000-create-stock-write-tables',
    sql: `
-- Requests of inventory-sync (store-stock.requested), one row per request; applied strictly in arrival order per store.
CREATE TABLE {{schema}}.stock_requests (
  seq               bigserial   NOT NULL,
  store_id          text        NOT NULL,
  request_id        text        NOT NULL,
  tenant_id         text        NOT NULL,
  reason            text        NOT NULL,
  parts             integer     NOT NULL,
  complete          boolean     NOT NULL,
  computed_at       timestamptz NOT NULL,
  -- open: parts to apply or report (retried with backoff while the store cannot take them); done: every part reported.
  status            text        NOT NULL DEFAULT 'open',
  attempts          integer     NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  last_error_code   text,
  last_error        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_stock_requests PRIMARY KEY (store_id, request_id),
  CONSTRAINT ck_stock_requests_status CHECK (status IN ('open', 'done'))
);
CREATE INDEX ix_stock_requests_status_store_id_seq ON {{schema}}.stock_requests (status, store_id, seq);

-- The parts' items, kept until the request's last part is reported (storeOnlySkus needs every SKU of the request).
CREATE TABLE {{schema}}.stock_request_parts (
  store_id        text        NOT NULL,
  request_id      text        NOT NULL,
  part            integer     NOT NULL,
  event_id        text        NOT NULL,
  correlation_id  text        NOT NULL,
  items           jsonb       NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  reported_at     timestamptz,
  CONSTRAINT pk_stock_request_parts PRIMARY KEY (store_id, request_id, part)
);

-- What happened to each SKU of an open request, written right after each store call, so a retry after a store
-- outage writes only what is still owed and the reports are built from what really happened.
CREATE TABLE {{schema}}.stock_item_outcomes (
  store_id    text    NOT NULL,
  request_id  text    NOT NULL,
  part        integer NOT NULL,
  sku         text    NOT NULL,
  outcome     text    NOT NULL,
  was         text,
  now_qty     text,
  code        text,
  message     text,
  CONSTRAINT pk_stock_item_outcomes PRIMARY KEY (store_id, request_id, sku),
  CONSTRAINT ck_stock_item_outcomes_outcome CHECK (outcome IN ('written', 'unchanged', 'unknown', 'failed'))
);

-- SKU -> product id (parent_id 0) or variation id under parent_id, per store: filled by catalogue crawls, ?sku=
-- look-ups, product webhooks and our own writes. stock_quantity is what the store last showed us (a cache).
CREATE TABLE {{schema}}.sku_index (
  store_id        text        NOT NULL,
  sku             text        NOT NULL,
  item_id         bigint      NOT NULL,
  parent_id       bigint      NOT NULL,
  manage_stock    boolean     NOT NULL,
  stock_quantity  integer,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_sku_index PRIMARY KEY (store_id, sku)
);
CREATE INDEX ix_sku_index_store_id_item_id ON {{schema}}.sku_index (store_id, item_id);

CREATE TABLE {{schema}}.sku_index_crawls (
  store_id    text        PRIMARY KEY,
  crawled_at  timestamptz NOT NULL,
  items       integer     NOT NULL
);

-- Our last stock write per product/variation: the product.updated webhook it causes is recognised by it
-- (same quantity, same fingerprint as the store's answer) and not published as product.upserted.
CREATE TABLE {{schema}}.stock_echo_guards (
  store_id     text        NOT NULL,
  item_id      bigint      NOT NULL,
  quantity     integer     NOT NULL,
  fingerprint  text,
  written_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_stock_echo_guards PRIMARY KEY (store_id, item_id)
);

-- Hash of the product's published content without its stock and date: tells a stock-only change from an edit.
ALTER TABLE {{schema}}.store_products ADD COLUMN base_hash text;
`,
  },
];
