import type { Pool } from 'pg';
import { schemaIdent } from './sql';

/**
 * Returns the DDL that creates the messaging tables (outbox_messages, inbox_messages, parked_events) in `schema`.
 * Idempotent, so a service's migration can run it as one step (TypeORM: `queryRunner.query(messagingSchemaSql(s))`).
 */
export function messagingSchemaSql(schema: string): string {
  const s = schemaIdent(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};

-- tx_id is the first column on purpose: defaults are evaluated in column order, so the writing
-- transaction's id is assigned before nextval() hands out the row id. The relay publishes only rows
-- whose tx_id is below the oldest running transaction (see docs/adr/0003-outbox-ordering.md).
CREATE TABLE IF NOT EXISTS ${s}.outbox_messages (
  tx_id        xid8        NOT NULL DEFAULT pg_current_xact_id(),
  id           bigserial   PRIMARY KEY,
  event_id     uuid        NOT NULL,
  event_type   text        NOT NULL,
  topic        text        NOT NULL,
  message_key  text        NOT NULL,
  envelope     jsonb       NOT NULL,
  headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  CONSTRAINT uq_outbox_messages_event_id UNIQUE (event_id)
);
CREATE INDEX IF NOT EXISTS ix_outbox_messages_unsent ON ${s}.outbox_messages (tx_id, id) WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_outbox_messages_sent_at ON ${s}.outbox_messages (sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS ${s}.inbox_messages (
  consumer_group text        NOT NULL,
  event_id       uuid        NOT NULL,
  event_type     text        NOT NULL,
  topic          text        NOT NULL,
  processed_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_inbox_messages PRIMARY KEY (consumer_group, event_id)
);
CREATE INDEX IF NOT EXISTS ix_inbox_messages_processed_at ON ${s}.inbox_messages (processed_at);

CREATE TABLE IF NOT EXISTS ${s}.parked_events (
  id               bigserial   PRIMARY KEY,
  consumer_group   text        NOT NULL,
  topic            text        NOT NULL,
  kafka_partition  integer     NOT NULL,
  kafka_offset     bigint      NOT NULL,
  message_key      text,
  event_id         uuid,
  event_type       text,
  tenant_id        text,
  store_id         text,
  raw_value        text        NOT NULL,
  headers          jsonb       NOT NULL DEFAULT '{}'::jsonb,
  code             text        NOT NULL,
  kind             text        NOT NULL,
  operator_message text        NOT NULL,
  error_detail     text,
  attempts         integer     NOT NULL DEFAULT 1,
  held_behind      bigint,
  status           text        NOT NULL DEFAULT 'parked',
  parked_at        timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at      timestamptz,
  CONSTRAINT ck_parked_events_status CHECK (status IN ('parked', 'replayed', 'discarded')),
  CONSTRAINT uq_parked_events_position UNIQUE (consumer_group, topic, kafka_partition, kafka_offset)
);
CREATE INDEX IF NOT EXISTS ix_parked_events_open_key ON ${s}.parked_events (consumer_group, message_key) WHERE status = 'parked';
CREATE INDEX IF NOT EXISTS ix_parked_events_code ON ${s}.parked_events (code, status);
`;
}

/**
 * Creates the messaging tables in `schema` if they are missing.
 * Serialised by an advisory lock so replicas starting together do not race on DDL.
 */
export async function ensureMessagingSchema(pool: Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`ledgerline.messaging.ddl:${schema}`]);
    try {
      await client.query(messagingSchemaSql(schema));
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`ledgerline.messaging.ddl:${schema}`]);
    }
  } finally {
    client.release();
  }
}
