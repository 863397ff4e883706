import type { Migration } from '@ledgerline/persistence';

/**
 * The schema of payout-reconciliation, in order. The messaging tables (outbox, inbox, parked events) are created by
 * `ensureMessagingSchema`. Amounts are decimal strings in `numeric` columns; nothing here is ever a float.
 */
export const migrations: Migration[] = [
  {
    id: '1764200000000-create-payout-tables',
    sql: `
-- merchant account → tenant, ERP connection, accounts and the WooCommerce gateways the provider settles.
CREATE TABLE {{schema}}.provider_mappings (
  provider           text        NOT NULL,
  merchant_account   text        NOT NULL,
  tenant_id          text        NOT NULL,
  erp                text        NOT NULL,
  erp_connection_id  text        NOT NULL,
  accounts           jsonb       NOT NULL,
  mode_of_payment    text        NOT NULL,
  gateways           text[]      NOT NULL,
  -- AES-256-GCM sealed JSON of the provider credentials; key from PAYOUT_RECONCILIATION_SECRETS_KEY.
  credentials_enc    text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_provider_mappings PRIMARY KEY (provider, merchant_account)
);
CREATE INDEX ix_provider_mappings_tenant_id ON {{schema}}.provider_mappings (tenant_id);

-- The orders, refunds and ERP documents matching needs, kept from order.* and erp-document.recorded.
CREATE TABLE {{schema}}.orders (
  tenant_id       text        NOT NULL,
  store_id        text        NOT NULL,
  order_id        text        NOT NULL,
  order_number    text        NOT NULL,
  gateway         text,
  transaction_id  text,
  currency        text        NOT NULL,
  total           numeric     NOT NULL,
  modified_at     timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_orders PRIMARY KEY (tenant_id, store_id, order_id)
);
CREATE INDEX ix_orders_tenant_id_transaction_id ON {{schema}}.orders (tenant_id, transaction_id) WHERE transaction_id IS NOT NULL;
CREATE INDEX ix_orders_tenant_id_order_number ON {{schema}}.orders (tenant_id, order_number);
CREATE INDEX ix_orders_tenant_id_order_id ON {{schema}}.orders (tenant_id, order_id);

CREATE TABLE {{schema}}.order_refunds (
  tenant_id    text        NOT NULL,
  store_id     text        NOT NULL,
  order_id     text        NOT NULL,
  refund_id    text        NOT NULL,
  amount       numeric     NOT NULL,
  currency     text        NOT NULL,
  created_at   timestamptz NOT NULL,
  CONSTRAINT pk_order_refunds PRIMARY KEY (tenant_id, store_id, refund_id)
);
CREATE INDEX ix_order_refunds_order ON {{schema}}.order_refunds (tenant_id, store_id, order_id);

CREATE TABLE {{schema}}.erp_documents (
  tenant_id                text        NOT NULL,
  store_id                 text        NOT NULL,
  order_id                 text        NOT NULL,
  kind                     text        NOT NULL,
  source_id                text        NOT NULL,
  document_number          text        NOT NULL,
  credits_document_number  text,
  erp                      text        NOT NULL,
  erp_connection_id        text        NOT NULL,
  total                    numeric     NOT NULL,
  currency                 text        NOT NULL,
  recorded_at              timestamptz NOT NULL,
  CONSTRAINT pk_erp_documents PRIMARY KEY (tenant_id, store_id, kind, source_id)
);
CREATE INDEX ix_erp_documents_order ON {{schema}}.erp_documents (tenant_id, store_id, order_id);

-- Every report file received, by content hash: the same bytes twice are "already received".
CREATE TABLE {{schema}}.report_files (
  id             bigserial   PRIMARY KEY,
  provider       text        NOT NULL,
  file_name      text        NOT NULL,
  sha256         text        NOT NULL,
  source         text        NOT NULL,
  size_bytes     integer     NOT NULL,
  lines_read     integer     NOT NULL,
  lines_stored   integer     NOT NULL,
  rows_refused   integer     NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_report_files_provider_sha256 UNIQUE (provider, sha256)
);

CREATE TABLE {{schema}}.payouts (
  provider          text        NOT NULL,
  merchant_account  text        NOT NULL,
  payout_id         text        NOT NULL,
  tenant_id         text,
  currency          text        NOT NULL,
  -- null when the source states no total (Stripe and Klarna reports): the sum of the lines is then the amount.
  amount            numeric,
  arrival_date      date        NOT NULL,
  status            text        NOT NULL DEFAULT 'waiting',
  -- why a waiting payout cannot be booked although its lines may all match (sum mismatch, refused rows).
  hold_code         text,
  hold_reason       text,
  first_seen_at     timestamptz NOT NULL DEFAULT now(),
  booked_at         timestamptz,
  CONSTRAINT pk_payouts PRIMARY KEY (provider, merchant_account, payout_id),
  CONSTRAINT ck_payouts_status CHECK (status IN ('waiting', 'booked'))
);
CREATE INDEX ix_payouts_status ON {{schema}}.payouts (status, tenant_id);

CREATE TABLE {{schema}}.settlement_lines (
  provider               text        NOT NULL,
  line_id                text        NOT NULL,
  merchant_account       text        NOT NULL,
  payout_id              text        NOT NULL,
  tenant_id              text,
  kind                   text        NOT NULL,
  currency               text        NOT NULL,
  gross                  numeric     NOT NULL,
  fee                    numeric     NOT NULL,
  net                    numeric     NOT NULL,
  presentment_amount     numeric,
  presentment_currency   text,
  exchange_rate          text,
  order_number           text,
  order_ref_id           text,
  transaction_id         text,
  alt_transaction_id     text,
  refund_reference       text,
  provider_reference     text        NOT NULL,
  description            text        NOT NULL,
  occurred_at            text,
  -- unmapped (no mapping for the merchant account) → waiting (needs a match) → matched → booked; resolved by hand.
  status                 text        NOT NULL,
  reason_code            text,
  reason                 text,
  matched_store_id       text,
  matched_order_id       text,
  matched_order_number   text,
  matched_refund_id      text,
  document_number        text,
  resolution_account     text,
  resolution_note        text,
  file_id                bigint,
  received_at            timestamptz NOT NULL DEFAULT now(),
  matched_at             timestamptz,
  CONSTRAINT pk_settlement_lines PRIMARY KEY (provider, line_id),
  CONSTRAINT ck_settlement_lines_status CHECK (status IN ('unmapped', 'waiting', 'matched', 'resolved', 'booked'))
);
CREATE INDEX ix_settlement_lines_payout ON {{schema}}.settlement_lines (provider, merchant_account, payout_id);
CREATE INDEX ix_settlement_lines_status ON {{schema}}.settlement_lines (status, tenant_id) WHERE status IN ('unmapped', 'waiting');
CREATE INDEX ix_settlement_lines_matched_refund ON {{schema}}.settlement_lines (tenant_id, matched_refund_id) WHERE matched_refund_id IS NOT NULL;

-- Report rows that could not be read: kept with the file, line and column so a person can correct and re-upload.
CREATE TABLE {{schema}}.refused_rows (
  id                bigserial   PRIMARY KEY,
  file_id           bigint      NOT NULL,
  provider          text        NOT NULL,
  merchant_account  text,
  payout_id         text,
  row_number        integer     NOT NULL,
  column_name       text,
  message           text        NOT NULL,
  raw               text        NOT NULL,
  status            text        NOT NULL DEFAULT 'open',
  created_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ck_refused_rows_status CHECK (status IN ('open', 'superseded'))
);
CREATE INDEX ix_refused_rows_payout ON {{schema}}.refused_rows (provider, payout_id) WHERE status = 'open';

-- Polling cursors per provider account (the newest payout already read).
CREATE TABLE {{schema}}.poll_cursors (
  provider          text        NOT NULL,
  merchant_account  text        NOT NULL,
  polled_at         timestamptz NOT NULL,
  CONSTRAINT pk_poll_cursors PRIMARY KEY (provider, merchant_account)
);
`,
  },
];
