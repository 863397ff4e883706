import type { PoolClient } from 'pg';
import type { ErpDocumentRecorded, EventEnvelope, OrderPlaced, OrderRefunded, OrderUpdated } from '@ledgerline/contracts';

/**
 * Keeps what matching needs from the store and ERP streams in this service's own tables: orders (number, gateway,
 * transaction id, currency), refunds, and the ERP documents recorded for them. Runs inside the InboxGuard
 * transaction, so a redelivered event changes nothing. `onChange` wakes the matcher: a settlement that arrived before
 * its order or invoice is matched as soon as they are here.
 */
export class SourceEventsHandler {
  constructor(
    private readonly schema: string,
    private readonly onChange: () => void,
  ) {}

  async orderPlacedOrUpdated(event: EventEnvelope<OrderPlaced | OrderUpdated>, tx: PoolClient): Promise<void> {
    const o = event.payload.order;
    // A snapshot older than the one applied is ignored (webhooks arrive late and twice; canonical-order.v1 modifiedAt).
    await tx.query(
      `INSERT INTO ${this.schema}.orders (tenant_id, store_id, order_id, order_number, gateway, transaction_id, currency, total, modified_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
       ON CONFLICT (tenant_id, store_id, order_id) DO UPDATE SET order_number = EXCLUDED.order_number, gateway = EXCLUDED.gateway,
         transaction_id = EXCLUDED.transaction_id, currency = EXCLUDED.currency, total = EXCLUDED.total, modified_at = EXCLUDED.modified_at
       WHERE ${this.schema}.orders.modified_at <= EXCLUDED.modified_at`,
      [
        o.orderRef.tenantId,
        o.orderRef.storeId,
        o.orderRef.orderId,
        o.orderRef.orderNumber,
        o.paymentMethod?.id ?? null,
        o.paymentMethod?.transactionId ?? null,
        o.currency,
        o.totals.total.amount,
        o.modifiedAt,
      ],
    );
    this.onChange();
  }

  async orderRefunded(event: EventEnvelope<OrderRefunded>, tx: PoolClient): Promise<void> {
    const r = event.payload;
    await tx.query(
      `INSERT INTO ${this.schema}.order_refunds (tenant_id, store_id, order_id, refund_id, amount, currency, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
      [r.orderRef.tenantId, r.orderRef.storeId, r.orderRef.orderId, r.refundId, r.amount.amount, r.currency, r.createdAt],
    );
    this.onChange();
  }

  async erpDocumentRecorded(event: EventEnvelope<ErpDocumentRecorded>, tx: PoolClient): Promise<void> {
    const d = event.payload;
    await tx.query(
      `INSERT INTO ${this.schema}.erp_documents (tenant_id, store_id, order_id, kind, source_id, document_number, credits_document_number, erp, erp_connection_id, total, currency, recorded_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
       ON CONFLICT (tenant_id, store_id, kind, source_id) DO UPDATE SET document_number = EXCLUDED.document_number,
         credits_document_number = EXCLUDED.credits_document_number, total = EXCLUDED.total, recorded_at = EXCLUDED.recorded_at`,
      [d.orderRef.tenantId, d.orderRef.storeId, d.orderRef.orderId, d.kind, d.sourceId, d.documentNumber, d.creditsDocumentNumber, d.erp, d.erpConnectionId, d.total.amount, d.currency, d.recordedAt],
    );
    this.onChange();
  }
}
