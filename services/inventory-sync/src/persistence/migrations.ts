import type { Migration } from '@ledgerline/persistence';

/**
 * This service's own tables (docs/adr/0005). The messaging tables (outbox, inbox, parked events) come from
 * @ledgerline/messaging's idempotent DDL at boot. Quantities are `numeric` (ERPs report fractional units for goods
 * sold by weight); only the quantity sent to a store is whole. A null ERP warehouse is stored as warehouse_key ''.
 */
export const inventorySyncMigrations: Migration[] = [
  {
    id: '1764170000000-create-store-settings',
    sql: `CREATE TABLE {{schema}}.stores (
      tenant_id text NOT NULL,
      store_id text NOT NULL,
      warehouses text[] NOT NULL,
      safety_buffer numeric NOT NULL DEFAULT 0 CHECK (safety_buffer >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, store_id)
    );
    CREATE TABLE {{schema}}.sku_buffers (
      tenant_id text NOT NULL,
      store_id text NOT NULL,
      sku text NOT NULL,
      safety_buffer numeric NOT NULL CHECK (safety_buffer >= 0),
      PRIMARY KEY (tenant_id, store_id, sku),
      CONSTRAINT fk_sku_buffers_stores FOREIGN KEY (tenant_id, store_id) REFERENCES {{schema}}.stores (tenant_id, store_id) ON DELETE CASCADE
    )`,
  },
  {
    id: '1764170000001-create-stock-levels',
    sql: `CREATE TABLE {{schema}}.stock_levels (
      tenant_id text NOT NULL,
      sku text NOT NULL,
      warehouse_key text NOT NULL,
      quantity numeric NOT NULL CHECK (quantity >= 0),
      reserved numeric CHECK (reserved >= 0),
      erp text NOT NULL,
      erp_connection_id text NOT NULL,
      read_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, sku, warehouse_key)
    );
    CREATE INDEX ix_stock_levels_tenant_id_warehouse_key ON {{schema}}.stock_levels (tenant_id, warehouse_key)`,
  },
  {
    id: '1764170000002-create-store-stock',
    sql: `CREATE TABLE {{schema}}.store_stock (
      tenant_id text NOT NULL,
      store_id text NOT NULL,
      sku text NOT NULL,
      requested_quantity numeric,
      requested_at timestamptz,
      request_id text,
      dirty boolean NOT NULL DEFAULT false,
      dirty_since timestamptz,
      last_changed_at timestamptz,
      change_occurred_at timestamptz,
      changes integer NOT NULL DEFAULT 0,
      store_has boolean,
      PRIMARY KEY (tenant_id, store_id, sku)
    );
    CREATE INDEX ix_store_stock_due ON {{schema}}.store_stock (dirty_since) WHERE dirty;
    CREATE INDEX ix_store_stock_tenant_id_sku ON {{schema}}.store_stock (tenant_id, sku)`,
  },
  {
    id: '1764170000003-create-order-stock',
    sql: `CREATE TABLE {{schema}}.order_stock (
      tenant_id text NOT NULL,
      store_id text NOT NULL,
      order_id text NOT NULL,
      order_number text,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'released')),
      modified_at timestamptz,
      document_recorded_at timestamptz,
      lines_without_sku integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, store_id, order_id)
    );
    CREATE TABLE {{schema}}.order_stock_lines (
      tenant_id text NOT NULL,
      store_id text NOT NULL,
      order_id text NOT NULL,
      sku text NOT NULL,
      quantity numeric NOT NULL CHECK (quantity >= 0),
      absorbed_at timestamptz,
      absorbed_by_read_at timestamptz,
      PRIMARY KEY (tenant_id, store_id, order_id, sku),
      CONSTRAINT fk_order_stock_lines_order_stock FOREIGN KEY (tenant_id, store_id, order_id) REFERENCES {{schema}}.order_stock (tenant_id, store_id, order_id) ON DELETE CASCADE
    );
    CREATE INDEX ix_order_stock_lines_open ON {{schema}}.order_stock_lines (tenant_id, store_id, sku) WHERE absorbed_at IS NULL;
    CREATE INDEX ix_order_stock_lines_open_sku ON {{schema}}.order_stock_lines (tenant_id, sku) WHERE absorbed_at IS NULL;
    CREATE TABLE {{schema}}.order_stock_refunds (
      tenant_id text NOT NULL,
      store_id text NOT NULL,
      order_id text NOT NULL,
      refund_id text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, store_id, order_id, refund_id)
    )`,
  },
  {
    id: '1764170000004-create-requests-and-reports',
    sql: `CREATE TABLE {{schema}}.reconciliations (
      id text PRIMARY KEY,
      tenant_id text NOT NULL,
      store_id text,
      trigger text NOT NULL CHECK (trigger IN ('operator', 'schedule')),
      reason text NOT NULL CHECK (reason IN ('reconciliation', 'full-sync')),
      requested_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ix_reconciliations_tenant_id_requested_at ON {{schema}}.reconciliations (tenant_id, requested_at);
    CREATE TABLE {{schema}}.stock_requests (
      request_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      store_id text NOT NULL,
      reason text NOT NULL,
      parts integer NOT NULL,
      items integer NOT NULL,
      reconciliation_id text REFERENCES {{schema}}.reconciliations (id),
      computed_at timestamptz NOT NULL
    );
    CREATE INDEX ix_stock_requests_reconciliation_id ON {{schema}}.stock_requests (reconciliation_id) WHERE reconciliation_id IS NOT NULL;
    CREATE TABLE {{schema}}.stock_reports (
      request_id text NOT NULL,
      part integer NOT NULL,
      parts integer NOT NULL,
      tenant_id text NOT NULL,
      store_id text NOT NULL,
      written jsonb NOT NULL,
      unchanged_count numeric NOT NULL,
      unknown_skus jsonb NOT NULL,
      failed jsonb NOT NULL,
      store_only_skus jsonb NOT NULL,
      applied_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (request_id, part)
    )`,
  },
  {
    id: '1764170000005-create-sku-findings',
    sql: `CREATE TABLE {{schema}}.unknown_erp_skus (
      tenant_id text NOT NULL,
      sku text NOT NULL,
      stores text[] NOT NULL,
      operator_message text NOT NULL,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      readings bigint NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, sku)
    );
    CREATE TABLE {{schema}}.store_only_skus (
      tenant_id text NOT NULL,
      store_id text NOT NULL,
      sku text NOT NULL,
      request_id text NOT NULL,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, store_id, sku)
    )`,
  },
  {
    id: '1764170000006-create-reconciliation-skipped',
    sql: `CREATE TABLE {{schema}}.reconciliation_skipped (
      reconciliation_id text NOT NULL REFERENCES {{schema}}.reconciliations (id),
      store_id text NOT NULL,
      reason text NOT NULL,
      PRIMARY KEY (reconciliation_id, store_id)
    )`,
  },
];
