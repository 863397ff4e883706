import type { Migration } from '@ledgerline/persistence';

/**
 * This service's own tables (docs/adr/0005). The erp-kit tables (intents, rate limit, tokens) and the messaging tables
 * (outbox, inbox, parked events) come from their libs' idempotent DDL at boot.
 */
export const migrations: Migration[] = [
  {
    id: '1764150000000-create-connections',
    sql: `CREATE TABLE {{schema}}.fortnox_connections (
      tenant_id text PRIMARY KEY,
      connection_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_fortnox_connections_connection_id UNIQUE (connection_id)
    )`,
  },
  {
    id: '1764150000001-create-tenant-mappings',
    sql: `CREATE TABLE {{schema}}.tenant_mappings (
      tenant_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('tax-code', 'payment-method', 'shipping-method')),
      key text NOT NULL,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, kind, key)
    )`,
  },
  {
    id: '1764150000002-create-documents',
    sql: `CREATE TABLE {{schema}}.documents (
      id bigserial PRIMARY KEY,
      tenant_id text NOT NULL,
      store_id text,
      order_id text NOT NULL,
      order_number text,
      record_type text NOT NULL,
      document_kind text NOT NULL,
      document_number text NOT NULL,
      external_ref text NOT NULL,
      intent_id text NOT NULL,
      summary jsonb NOT NULL DEFAULT '{}'::jsonb,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_documents_intent_id UNIQUE (intent_id)
    );
    CREATE INDEX ix_documents_tenant_id_order_id ON {{schema}}.documents (tenant_id, order_id);
    CREATE INDEX ix_documents_tenant_id_order_number ON {{schema}}.documents (tenant_id, order_number)`,
  },
  {
    id: '1764150000003-add-currency-to-tenant-mappings',
    sql: `ALTER TABLE {{schema}}.tenant_mappings DROP CONSTRAINT tenant_mappings_kind_check,
      ADD CONSTRAINT ck_tenant_mappings_kind CHECK (kind IN ('tax-code', 'payment-method', 'shipping-method', 'currency'))`,
  },
  {
    id: '1764150000004-create-stock-levels',
    sql: `CREATE TABLE {{schema}}.stock_levels (
      tenant_id text NOT NULL,
      sku text NOT NULL,
      stock_point text NOT NULL,
      quantity text NOT NULL,
      reserved text NOT NULL,
      erp_in_stock numeric NOT NULL,
      read_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, sku, stock_point)
    )`,
  },
  {
    id: '1764150000005-create-payout-bookings',
    sql: `CREATE TABLE {{schema}}.payout_bookings (
      tenant_id text NOT NULL,
      booking_id text NOT NULL,
      provider text NOT NULL,
      payout_id text NOT NULL,
      kind text NOT NULL,
      amount numeric NOT NULL,
      currency text NOT NULL,
      booking_date date NOT NULL,
      document_kind text NOT NULL CHECK (document_kind IN ('payment', 'voucher', 'none')),
      document_number text,
      external_ref text NOT NULL,
      intent_id text,
      summary jsonb NOT NULL DEFAULT '{}'::jsonb,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, booking_id)
    );
    CREATE INDEX ix_payout_bookings_tenant_id_payout_id ON {{schema}}.payout_bookings (tenant_id, payout_id)`,
  },
  {
    // Order and refund intents are keyed <store>:<order id>[:<refund id>] since two stores of one tenant can both have
    // order 1005 (order-placed.handler.ts, orderSourceId). Intents written before carry the bare order id; they get
    // their store here, and so does the original a pending credit points at, so refunds still find their invoice.
    id: '1764150000006-qualify-order-source-ids-with-store',
    // The table is erp-kit's (ensureErpKitSchema runs after these migrations): on a new database there is nothing to do.
    sql: `DO $$ BEGIN
      IF to_regclass('{{schema}}.document_intents') IS NOT NULL THEN
        UPDATE {{schema}}.document_intents
           SET source_id = store_id || ':' || source_id
         WHERE store_id IS NOT NULL AND source_kind = 'order' AND position(':' in source_id) = 0;
        UPDATE {{schema}}.document_intents
           SET source_id = store_id || ':' || source_id
         WHERE store_id IS NOT NULL AND source_kind = 'refund' AND source_id ~ '^[^:]+:[^:]+$';
        UPDATE {{schema}}.document_intents
           SET payload = jsonb_set(payload, '{creditFor,sourceId}', to_jsonb(store_id || ':' || (payload #>> '{creditFor,sourceId}')))
         WHERE store_id IS NOT NULL AND position(':' in coalesce(payload #>> '{creditFor,sourceId}', ':')) = 0;
      END IF;
    END $$`,
  },
];
