import type { Pool } from 'pg';
import { schemaIdent } from '@ledgerline/messaging';

/**
 * Returns the DDL that creates erp-kit's tables in a connector's `schema`: `document_intents` (the exactly-once
 * ledger), `erp_rate_limit_slots` / `erp_rate_limit_blocks` and the function `erp_rate_limit_acquire` (the
 * cross-replica rate limiter), and `erp_oauth_tokens` (encrypted OAuth tokens). Idempotent, so a service's migration
 * can run it as one step (TypeORM: `queryRunner.query(erpKitSchemaSql(s))`), next to `messagingSchemaSql(s)`.
 */
export function erpKitSchemaSql(schema: string): string {
  const s = schemaIdent(schema);
  // The advisory-lock key of the rate limiter: schema-qualified, so two connectors in one database never share it.
  const rateLockKey = `ledgerline.erp-kit.rate:${schema}`;
  return `
CREATE SCHEMA IF NOT EXISTS ${s};

-- One row per ERP document Ledgerline owes: written in the handler's inbox transaction, settled by a worker after
-- the ERP call. The unique source key makes open() idempotent; the unique external reference is what a worker
-- searches the ERP by when an earlier call's outcome is unknown, so two intents must never share one.
CREATE TABLE IF NOT EXISTS ${s}.document_intents (
  id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            text        NOT NULL,
  connection_id        text        NOT NULL,
  store_id             text,
  source_kind          text        NOT NULL,
  source_id            text        NOT NULL,
  source_label         text,
  document_kind        text        NOT NULL,
  external_ref         text        NOT NULL,
  payload              jsonb       NOT NULL,
  correlation_id       text        NOT NULL,
  causation_id         text        NOT NULL,
  trace_headers        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  status               text        NOT NULL DEFAULT 'open',
  outcome_unknown      boolean     NOT NULL DEFAULT false,
  attempts             integer     NOT NULL DEFAULT 0,
  failures             integer     NOT NULL DEFAULT 0,
  next_attempt_at      timestamptz NOT NULL DEFAULT now(),
  claim_token          uuid,
  claimed_by           text,
  lease_expires_at     timestamptz,
  document_number      text,
  erp_response_summary jsonb,
  error_code           text,
  error_kind           text,
  operator_message     text,
  error_detail         text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  last_attempt_at      timestamptz,
  settled_at           timestamptz,
  parked_at            timestamptz,
  CONSTRAINT ck_document_intents_status CHECK (status IN ('open', 'settled', 'parked')),
  CONSTRAINT ck_document_intents_source_kind CHECK (source_kind IN ('order', 'refund', 'payout')),
  CONSTRAINT ck_document_intents_document_kind CHECK (document_kind IN ('invoice', 'credit-invoice', 'sales-order', 'voucher', 'payment')),
  CONSTRAINT uq_document_intents_source UNIQUE (tenant_id, connection_id, source_kind, source_id, document_kind),
  CONSTRAINT uq_document_intents_external_ref UNIQUE (connection_id, document_kind, external_ref)
);
CREATE INDEX IF NOT EXISTS ix_document_intents_due ON ${s}.document_intents (next_attempt_at) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS ix_document_intents_tenant_source_id ON ${s}.document_intents (tenant_id, source_id);
CREATE INDEX IF NOT EXISTS ix_document_intents_tenant_source_label ON ${s}.document_intents (tenant_id, source_label) WHERE source_label IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_document_intents_connection_document_number ON ${s}.document_intents (connection_id, document_number) WHERE document_number IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_document_intents_parked ON ${s}.document_intents (tenant_id, error_code) WHERE status = 'parked';

-- Requests taken per ERP connection in the current window, shared by every replica.
CREATE TABLE IF NOT EXISTS ${s}.erp_rate_limit_slots (
  connection_id text        NOT NULL,
  taken_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_erp_rate_limit_slots_connection_id_taken_at ON ${s}.erp_rate_limit_slots (connection_id, taken_at);

-- A connection the ERP answered 429 for: nobody sends before blocked_until.
CREATE TABLE IF NOT EXISTS ${s}.erp_rate_limit_blocks (
  connection_id text        PRIMARY KEY,
  blocked_until timestamptz NOT NULL
);

-- Takes a slot and returns 0, or returns how many ms to wait before asking again. One statement, so the per-connection
-- lock is held for microseconds, not across round trips; the clock is the database's, shared by every replica.
CREATE OR REPLACE FUNCTION ${s}.erp_rate_limit_acquire(p_connection_id text, p_requests integer, p_window_ms integer)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  v_now     timestamptz;
  v_window  interval := make_interval(secs => p_window_ms / 1000.0);
  v_blocked timestamptz;
  v_count   integer;
  v_oldest  timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('${rateLockKey}'), hashtext(p_connection_id));
  v_now := clock_timestamp();
  SELECT blocked_until INTO v_blocked FROM ${s}.erp_rate_limit_blocks WHERE connection_id = p_connection_id;
  IF v_blocked IS NOT NULL AND v_blocked > v_now THEN
    RETURN GREATEST(1, ceil(extract(epoch FROM v_blocked - v_now) * 1000)::integer);
  END IF;
  DELETE FROM ${s}.erp_rate_limit_slots WHERE connection_id = p_connection_id AND taken_at <= v_now - v_window;
  SELECT count(*), min(taken_at) INTO v_count, v_oldest FROM ${s}.erp_rate_limit_slots WHERE connection_id = p_connection_id;
  IF v_count < p_requests THEN
    INSERT INTO ${s}.erp_rate_limit_slots (connection_id, taken_at) VALUES (p_connection_id, v_now);
    RETURN 0;
  END IF;
  RETURN GREATEST(1, ceil(extract(epoch FROM v_oldest + v_window - v_now) * 1000)::integer);
END
$fn$;

-- OAuth tokens per ERP connection, sealed with AES-256-GCM: key_id names the key, sealed is iv || tag || ciphertext
-- of both tokens, authenticated with the connection id. access_fingerprint (SHA-256 of the access token) lets a
-- caller that got a 401 invalidate exactly the token it used without decrypting anything.
CREATE TABLE IF NOT EXISTS ${s}.erp_oauth_tokens (
  connection_id      text        PRIMARY KEY,
  tenant_id          text        NOT NULL,
  key_id             text        NOT NULL,
  sealed             bytea       NOT NULL,
  access_fingerprint bytea       NOT NULL,
  access_expires_at  timestamptz NOT NULL,
  refresh_expires_at timestamptz,
  status             text        NOT NULL DEFAULT 'active',
  revoked_reason     text,
  generation         integer     NOT NULL DEFAULT 1,
  refreshed_at       timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ck_erp_oauth_tokens_status CHECK (status IN ('active', 'revoked'))
);
`;
}

/**
 * Creates erp-kit's tables in `schema` if they are missing (see {@link erpKitSchemaSql}).
 * Serialised by an advisory lock so replicas starting together do not race on DDL.
 */
export async function ensureErpKitSchema(pool: Pool, schema: string): Promise<void> {
  const sql = erpKitSchemaSql(schema);
  const key = `ledgerline.erp-kit.ddl:${schema}`;
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      await client.query(sql);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    client.release();
  }
}
