import type { Migration } from '@ledgerline/persistence';

/**
 * The schema of the control plane, in order. The messaging tables (outbox, inbox, parked_events) are created by
 * `ensureMessagingSchema`. Secrets are stored only as `*_enc` columns: AES-256-GCM ciphertexts (iv | tag | data,
 * base64) under CONTROL_PLANE_SECRETS_KEY; API tokens only as SHA-256 hashes.
 */
export const controlPlaneMigrations: Migration[] = [
  {
    id: '1764300000000-create-control-plane-tables',
    sql: `
CREATE TABLE {{schema}}.tenants (
  tenant_id   text        PRIMARY KEY,
  name        text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE {{schema}}.erp_connections (
  connection_id      text        PRIMARY KEY,
  tenant_id          text        NOT NULL REFERENCES {{schema}}.tenants (tenant_id),
  erp                text        NOT NULL,
  status             text        NOT NULL DEFAULT 'pending',
  access_token_enc   text,
  refresh_token_enc  text,
  expires_at         timestamptz,
  connected_at       timestamptz,
  last_error         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ck_erp_connections_status CHECK (status IN ('pending', 'connected', 'failed'))
);

CREATE TABLE {{schema}}.stores (
  store_id             text        PRIMARY KEY,
  tenant_id            text        NOT NULL REFERENCES {{schema}}.tenants (tenant_id),
  name                 text        NOT NULL,
  site_url             text        NOT NULL,
  currency             text        NOT NULL,
  consumer_key_enc     text        NOT NULL,
  consumer_secret_enc  text        NOT NULL,
  webhook_secret_enc   text        NOT NULL,
  erp_connection_id    text        REFERENCES {{schema}}.erp_connections (connection_id),
  flows                jsonb       NOT NULL,
  last_test_at         timestamptz,
  last_test_ok         boolean,
  last_test_message    text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- One-time OAuth states: the callback finds the connection by the state's hash, once, before it expires.
CREATE TABLE {{schema}}.oauth_states (
  state_hash     text        PRIMARY KEY,
  connection_id  text        NOT NULL REFERENCES {{schema}}.erp_connections (connection_id),
  started_by     text        NOT NULL,
  started_by_kind text       NOT NULL,
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz
);

CREATE TABLE {{schema}}.mappings (
  connection_id  text        PRIMARY KEY REFERENCES {{schema}}.erp_connections (connection_id),
  tenant_id      text        NOT NULL,
  body           jsonb       NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- The last version published per config key (docs/adr/0006-configuration-distribution.md).
CREATE TABLE {{schema}}.config_versions (
  tenant_id   text    NOT NULL,
  kind        text    NOT NULL,
  subject_id  text    NOT NULL,
  version     integer NOT NULL,
  CONSTRAINT pk_config_versions PRIMARY KEY (tenant_id, kind, subject_id)
);

CREATE TABLE {{schema}}.api_tokens (
  id            bigserial   PRIMARY KEY,
  name          text        NOT NULL,
  role          text        NOT NULL,
  token_hash    text        NOT NULL,
  created_by    text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  CONSTRAINT uq_api_tokens_token_hash UNIQUE (token_hash),
  CONSTRAINT ck_api_tokens_role CHECK (role IN ('admin', 'operator', 'viewer'))
);

CREATE TABLE {{schema}}.audit_log (
  id            bigserial   PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor         text        NOT NULL,
  actor_kind    text        NOT NULL,
  action        text        NOT NULL,
  tenant_id     text,
  subject_kind  text        NOT NULL,
  subject_id    text        NOT NULL,
  changes       jsonb       NOT NULL
);
CREATE INDEX ix_audit_log_subject ON {{schema}}.audit_log (subject_kind, subject_id);

-- Every step of an order across services, as the streams told it (sync-log/timeline.handler.ts).
CREATE TABLE {{schema}}.order_timeline (
  id               bigserial   PRIMARY KEY,
  tenant_id        text        NOT NULL,
  store_id         text        NOT NULL,
  order_id         text        NOT NULL,
  order_number     text,
  email            text,
  document_number  text,
  step             text        NOT NULL,
  source           text        NOT NULL,
  summary          text        NOT NULL,
  event_id         text        NOT NULL,
  occurred_at      timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_order_timeline_event_id_step UNIQUE (event_id, step)
);
CREATE INDEX ix_order_timeline_order ON {{schema}}.order_timeline (tenant_id, store_id, order_id);
CREATE INDEX ix_order_timeline_order_number ON {{schema}}.order_timeline (order_number);
CREATE INDEX ix_order_timeline_email ON {{schema}}.order_timeline (lower(email));
CREATE INDEX ix_order_timeline_document_number ON {{schema}}.order_timeline (document_number);

CREATE TABLE {{schema}}.alerts (
  id              bigserial   PRIMARY KEY,
  rule            text        NOT NULL,
  subject         text        NOT NULL,
  tenant_id       text,
  message         text        NOT NULL,
  status          text        NOT NULL DEFAULT 'firing',
  first_fired_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  notified_at     timestamptz,
  notify_error    text,
  CONSTRAINT ck_alerts_status CHECK (status IN ('firing', 'resolved'))
);
-- Deduplication: one firing alert per rule and subject.
CREATE UNIQUE INDEX uq_alerts_rule_subject_firing ON {{schema}}.alerts (rule, subject) WHERE status = 'firing';
`,
  },
];
