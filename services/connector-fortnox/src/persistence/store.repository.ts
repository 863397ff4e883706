import type { PayoutBookingRequested } from '@ledgerline/contracts';
import type { Tx } from '@ledgerline/messaging';

/**
 * A tenant's tax-code mapping entry: WooCommerce rate (country + percent) → Fortnox VAT percent and sales account.
 * A Swedish rate (25/12/6/0) goes on the row as `VAT`. A foreign EU OSS rate (e.g. DE 19 %) cannot (Fortnox rows
 * take 25/12/6/0, sandbox error 2999002): its rows go out at VAT 0 on `account` (net), and the store's VAT of that
 * rate becomes one row of its own on `vatAccount` (the tenant's OSS output-VAT liability account, e.g. 2616).
 */
export interface TaxCodeMapping {
  vat: number;
  account: number;
  vatAccount?: number;
}

/** A currency other than SEK → the rate put on the invoice (`CurrencyRate` SEK per `CurrencyUnit` units). */
export interface CurrencyMapping {
  rate: number;
  unit?: number;
}

/** A payment method → how Fortnox records the payment. */
export interface PaymentMethodMapping {
  /** Fortnox mode of payment code (`KORT`, `BG`), used when payments are booked. */
  modeOfPayment: string;
  /** Fortnox terms of payment code put on the invoice, if the tenant wants one. */
  termsOfPayment?: string;
  /** Register a Fortnox invoice payment when the store reports the order paid (`paidAt`); default off. */
  registerPayment?: boolean;
  /** The account the payment is booked to (Fortnox `ModeOfPaymentAccount`); Fortnox's default when absent. */
  modeOfPaymentAccount?: number;
}

/** A shipping method → the sales account (and optionally article) its row is booked on. */
export interface ShippingMethodMapping {
  account?: number;
  articleNumber?: string;
}

/** Everything one tenant mapped, as the mappers read it. */
export interface TenantMappings {
  taxCodes: Record<string, TaxCodeMapping>;
  paymentMethods: Record<string, PaymentMethodMapping>;
  shippingMethods: Record<string, ShippingMethodMapping>;
  /** By ISO 4217 code; optional so older callers and stored tenants without currencies keep working. */
  currencies?: Record<string, CurrencyMapping>;
}

export type MappingKindColumn = 'tax-code' | 'payment-method' | 'shipping-method' | 'currency';

/** One record of the sync log: a document this connector created for an order. */
export interface DocumentRecord {
  tenantId: string;
  storeId: string | null;
  orderId: string;
  orderNumber: string | null;
  recordType: string;
  documentKind: string;
  documentNumber: string;
  externalRef: string;
  intentId: string;
  summary: Record<string, unknown>;
}

// Pool and Tx overloads of query() do not unify; every caller passes one or the other, both have query(text, params).
type Db = Tx;

/** SQL for this service's own tables: connections, tenant mappings and the documents log. */
export class StoreRepository {
  private readonly s: string;

  constructor(schema: string) {
    this.s = schema;
  }

  async connectionOf(db: Db, tenantId: string): Promise<string | null> {
    const { rows } = await db.query<{ connection_id: string }>(`SELECT connection_id FROM ${this.s}.fortnox_connections WHERE tenant_id = $1`, [tenantId]);
    return rows[0]?.connection_id ?? null;
  }

  async saveConnection(db: Db, tenantId: string, connectionId: string): Promise<void> {
    await db.query(
      `INSERT INTO ${this.s}.fortnox_connections (tenant_id, connection_id) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET connection_id = EXCLUDED.connection_id, updated_at = now()`,
      [tenantId, connectionId],
    );
  }

  async mappings(db: Db, tenantId: string): Promise<TenantMappings> {
    const { rows } = await db.query<{ kind: MappingKindColumn; key: string; value: unknown }>(`SELECT kind, key, value FROM ${this.s}.tenant_mappings WHERE tenant_id = $1`, [tenantId]);
    const out: TenantMappings = { taxCodes: {}, paymentMethods: {}, shippingMethods: {}, currencies: {} };
    const currencies: Record<string, CurrencyMapping> = {};
    out.currencies = currencies;
    for (const r of rows) {
      if (r.kind === 'tax-code') out.taxCodes[r.key] = r.value as TaxCodeMapping;
      else if (r.kind === 'payment-method') out.paymentMethods[r.key] = r.value as PaymentMethodMapping;
      else if (r.kind === 'currency') currencies[r.key] = r.value as CurrencyMapping;
      else out.shippingMethods[r.key] = r.value as ShippingMethodMapping;
    }
    return out;
  }

  /**
   * Replaces the given kinds of the tenant's mapping wholesale (kinds not given are kept). Replacements of one tenant
   * are serialised by a transaction lock: a PUT and a control-plane record arriving together would otherwise both
   * delete, then both insert the same keys, and one would fail on the primary key.
   */
  async replaceMappings(db: Tx, tenantId: string, mappings: Partial<TenantMappings>): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.s}.tenant_mappings:${tenantId}`]);
    const kinds: [MappingKindColumn, Record<string, unknown> | undefined][] = [
      ['tax-code', mappings.taxCodes],
      ['payment-method', mappings.paymentMethods],
      ['shipping-method', mappings.shippingMethods],
      ['currency', mappings.currencies],
    ];
    for (const [kind, entries] of kinds) {
      if (!entries) continue;
      await db.query(`DELETE FROM ${this.s}.tenant_mappings WHERE tenant_id = $1 AND kind = $2`, [tenantId, kind]);
      for (const [key, value] of Object.entries(entries)) {
        await db.query(`INSERT INTO ${this.s}.tenant_mappings (tenant_id, kind, key, value) VALUES ($1, $2, $3, $4)`, [tenantId, kind, key, JSON.stringify(value)]);
      }
    }
  }

  /** Must be called inside the settle transaction, so the log and the intent agree. */
  async recordDocument(tx: Tx, d: DocumentRecord): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.documents (tenant_id, store_id, order_id, order_number, record_type, document_kind, document_number, external_ref, intent_id, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (intent_id) DO NOTHING`,
      [d.tenantId, d.storeId, d.orderId, d.orderNumber, d.recordType, d.documentKind, d.documentNumber, d.externalRef, d.intentId, JSON.stringify(d.summary)],
    );
  }

  /** Documents recorded for an order, by its id or the number the customer sees. */
  async documentsOf(db: Db, tenantId: string, orderRef: string): Promise<(DocumentRecord & { recordedAt: Date })[]> {
    const { rows } = await db.query(
      `SELECT tenant_id, store_id, order_id, order_number, record_type, document_kind, document_number, external_ref, intent_id, summary, recorded_at
       FROM ${this.s}.documents WHERE tenant_id = $1 AND (order_id = $2 OR order_number = $2) ORDER BY id`,
      [tenantId, orderRef],
    );
    return rows.map((r: Record<string, unknown>) => ({
      tenantId: r.tenant_id as string,
      storeId: r.store_id as string | null,
      orderId: r.order_id as string,
      orderNumber: r.order_number as string | null,
      recordType: r.record_type as string,
      documentKind: r.document_kind as string,
      documentNumber: r.document_number as string,
      externalRef: r.external_ref as string,
      intentId: r.intent_id as string,
      summary: r.summary as Record<string, unknown>,
      recordedAt: r.recorded_at as Date,
    }));
  }

  /** Records what a payout booking became (or that it was skipped); once per booking. Must run in the settle (or inbox) transaction. */
  async recordPayoutBooking(tx: Tx, r: PayoutBookingRecord): Promise<void> {
    const b = r.booking;
    await tx.query(
      `INSERT INTO ${this.s}.payout_bookings (tenant_id, booking_id, provider, payout_id, kind, amount, currency, booking_date, document_kind, document_number, external_ref, intent_id, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (tenant_id, booking_id) DO NOTHING`,
      [b.payoutRef.tenantId, b.bookingId, b.payoutRef.provider, b.payoutRef.payoutId, b.kind, b.amount.amount, b.currency, b.bookingDate, r.documentKind, r.documentNumber, r.externalRef, r.intentId, JSON.stringify(r.summary)],
    );
  }

  /** The recorded bookings of one payout, in booking order. */
  async payoutBookingsOf(db: Db, tenantId: string, payoutId: string): Promise<Record<string, unknown>[]> {
    const { rows } = await db.query(
      `SELECT booking_id, kind, amount::text AS amount, currency, to_char(booking_date, 'YYYY-MM-DD') AS booking_date, document_kind, document_number, external_ref, intent_id, summary, recorded_at
       FROM ${this.s}.payout_bookings WHERE tenant_id = $1 AND payout_id = $2 ORDER BY recorded_at, booking_id`,
      [tenantId, payoutId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      bookingId: r.booking_id,
      kind: r.kind,
      amount: r.amount,
      currency: r.currency,
      bookingDate: r.booking_date,
      documentKind: r.document_kind,
      documentNumber: r.document_number,
      externalRef: r.external_ref,
      intentId: r.intent_id,
      summary: r.summary,
      recordedAt: r.recorded_at,
    }));
  }

  /** Every connected tenant with its connection. */
  async connections(db: Db): Promise<{ tenantId: string; connectionId: string }[]> {
    const { rows } = await db.query<{ tenant_id: string; connection_id: string }>(`SELECT tenant_id, connection_id FROM ${this.s}.fortnox_connections ORDER BY tenant_id`);
    return rows.map((r) => ({ tenantId: r.tenant_id, connectionId: r.connection_id }));
  }

  /** Holds the tenant's stock rows until the transaction ends, so two polls of one tenant compare one after the other. */
  async lockStock(tx: Tx, tenantId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.s}.stock_levels:${tenantId}`]);
  }

  /** The last reported level per `sku|stockPoint`. */
  async stockLevels(tx: Tx, tenantId: string): Promise<Map<string, StockLevelRecord>> {
    const { rows } = await tx.query<{ sku: string; stock_point: string; quantity: string; reserved: string; read_at: Date }>(
      `SELECT sku, stock_point, quantity, reserved, read_at FROM ${this.s}.stock_levels WHERE tenant_id = $1`,
      [tenantId],
    );
    return new Map(rows.map((r) => [`${r.sku}|${r.stock_point}`, { sku: r.sku, stockPoint: r.stock_point, quantity: r.quantity, reserved: r.reserved, readAt: r.read_at }]));
  }

  async saveStockLevel(tx: Tx, tenantId: string, level: StockLevelRecord & { erpInStock: number }): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.stock_levels (tenant_id, sku, stock_point, quantity, reserved, erp_in_stock, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, sku, stock_point) DO UPDATE SET quantity = EXCLUDED.quantity, reserved = EXCLUDED.reserved,
         erp_in_stock = EXCLUDED.erp_in_stock, read_at = EXCLUDED.read_at, updated_at = now()`,
      [tenantId, level.sku, level.stockPoint, level.quantity, level.reserved, level.erpInStock, level.readAt],
    );
  }
}

/** The stock level last reported for one SKU at one Fortnox stock point. */
export interface StockLevelRecord {
  sku: string;
  stockPoint: string;
  quantity: string;
  reserved: string;
  readAt: Date;
}

/** What a payout booking became in Fortnox (`payout_bookings`). */
export interface PayoutBookingRecord {
  booking: PayoutBookingRequested;
  documentKind: 'payment' | 'voucher' | 'none';
  documentNumber: string | null;
  externalRef: string;
  intentId: string | null;
  summary: Record<string, unknown>;
}
