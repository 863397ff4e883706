import type { EventEnvelope, OrderCancelled, OrderPlaced, OrderRefunded } from '@ledgerline/contracts';
import { LedgerlineError, type DocumentIntents } from '@ledgerline/erp-kit';
import type { Tx } from '@ledgerline/messaging';
import type { StoreRepository } from '../persistence/store.repository';
import { externalRefOf, type CancelIntentPayload, type CreditIntentPayload, type InvoiceIntentPayload } from './invoice.mapper';

/** The tenant has no Fortnox connection yet: permanent until someone connects it. */
function noConnection(tenantId: string, storeId: string, orderNumber: string): LedgerlineError {
  return new LedgerlineError({
    code: 'ERP_CONNECTION_MISSING',
    kind: 'permanent',
    operatorMessage: `Order #${orderNumber} (store "${storeId}") cannot go to Fortnox: tenant "${tenantId}" has no Fortnox connection. Connect it under Connections → Fortnox, then replay.`,
    context: { tenantId, storeId, orderRef: orderNumber, erp: 'Fortnox' },
    notApplied: true,
  });
}

/**
 * The intent source id of an order: WooCommerce order ids are per store (every store counts from its own start), and
 * erp-kit's source key (tenant, connection, source kind, source id, document kind) has no store, so the store is part
 * of the id; without it the second store's order 1001 of a tenant was taken for the first store's and never invoiced.
 */
export const orderSourceId = (ref: { storeId: string; orderId: string }): string => `${ref.storeId}:${ref.orderId}`;

/**
 * Consumes order.placed, order.refunded and order.cancelled inside the InboxGuard transaction: records the Fortnox document owed
 * (an invoice, or a credit invoice linked to it) as a document intent. No Fortnox call happens here (STYLE.md §4).
 */
export class OrderPlacedHandler {
  constructor(
    private readonly intents: DocumentIntents,
    private readonly store: StoreRepository,
  ) {}

  async handle(event: EventEnvelope<OrderPlaced>, tx: Tx): Promise<void> {
    const { order } = event.payload;
    const ref = order.orderRef;
    const connectionId = await this.store.connectionOf(tx, ref.tenantId);
    if (!connectionId) throw noConnection(ref.tenantId, ref.storeId, ref.orderNumber);
    const payload: InvoiceIntentPayload = { order };
    await this.intents.open(tx, {
      tenantId: ref.tenantId,
      connectionId,
      storeId: ref.storeId,
      sourceKind: 'order',
      sourceId: orderSourceId(ref),
      sourceLabel: ref.orderNumber,
      documentKind: 'invoice',
      externalRef: externalRefOf(ref),
      payload,
      causedBy: event,
    });
  }

  async handleRefund(event: EventEnvelope<OrderRefunded>, tx: Tx): Promise<void> {
    const refund = event.payload;
    const ref = refund.orderRef;
    const connectionId = await this.store.connectionOf(tx, ref.tenantId);
    if (!connectionId) throw noConnection(ref.tenantId, ref.storeId, ref.orderNumber);
    const payload: CreditIntentPayload = { refund, creditFor: { sourceId: orderSourceId(ref) } };
    await this.intents.open(tx, {
      tenantId: ref.tenantId,
      connectionId,
      storeId: ref.storeId,
      sourceKind: 'refund',
      sourceId: `${orderSourceId(ref)}:${refund.refundId}`,
      sourceLabel: ref.orderNumber,
      documentKind: 'credit-invoice',
      externalRef: externalRefOf(ref, `R${refund.refundId}`),
      payload,
      causedBy: event,
    });
  }

  /** order.cancelled: voids the invoice if Fortnox has not booked it yet, else credits it in full (decided at delivery). */
  async handleCancel(event: EventEnvelope<OrderCancelled>, tx: Tx): Promise<void> {
    const ref = event.payload.orderRef;
    const connectionId = await this.store.connectionOf(tx, ref.tenantId);
    if (!connectionId) throw noConnection(ref.tenantId, ref.storeId, ref.orderNumber);
    const payload: CancelIntentPayload = { cancel: event.payload, creditFor: { sourceId: orderSourceId(ref) } };
    // sourceKind 'order' + credit-invoice: one cancellation per order (refunds use sourceKind 'refund').
    await this.intents.open(tx, {
      tenantId: ref.tenantId,
      connectionId,
      storeId: ref.storeId,
      sourceKind: 'order',
      sourceId: orderSourceId(ref),
      sourceLabel: ref.orderNumber,
      documentKind: 'credit-invoice',
      externalRef: externalRefOf(ref, 'C'),
      payload,
      causedBy: event,
    });
  }
}
