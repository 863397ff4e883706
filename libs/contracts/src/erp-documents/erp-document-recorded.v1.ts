import { EventTypes } from '../event-types';
import { Money, MONEY_EXPECTATION } from '../money';
import { OrderRef } from '../orders/order-ref';
import { IsCurrencyCode, IsOneOf, IsSlug, IsText, IsUtcTimestamp, NestedObject } from '../validation/rules';

/** The kinds of ERP document a connector records for an order. */
export const ErpDocumentKinds = ['invoice', 'credit-invoice', 'sales-order'] as const;
/** One of {@link ErpDocumentKinds}. */
export type ErpDocumentKind = (typeof ErpDocumentKinds)[number];

/**
 * `erp-document.recorded` v1: a connector created (or found, after an uncertain call) the ERP document for an order
 * or a refund, and knows its number. Payout reconciliation matches settlements to invoices with it, inventory-sync
 * learns when the ERP has absorbed an order's stock, and the control plane shows it in the order's sync log.
 * Keyed like the order, so it follows the order's own events in order.
 */
export class ErpDocumentRecorded {
  static readonly type = EventTypes.erpDocumentRecorded;
  static readonly schemaVersion = 1;

  @NestedObject(() => OrderRef, 'an order reference like {"tenantId": "acme", "storeId": "se", "orderId": "727", "orderNumber": "727"}')
  orderRef!: OrderRef;
  @IsOneOf(ErpDocumentKinds) kind!: ErpDocumentKind;
  /** The store object the document was made from: the order id for an invoice, the refund id for a credit invoice. */
  @IsText() sourceId!: string;
  /** The ERP, as its connector is named: `fortnox`, `visma-net`, ... */
  @IsSlug('fortnox') erp!: string;
  @IsText() erpConnectionId!: string;
  /** The ERP's own number for the document (Fortnox `DocumentNumber`). */
  @IsText() documentNumber!: string;
  /** For a credit invoice, the number of the invoice it credits; null otherwise. */
  @IsText({ nullable: true }) creditsDocumentNumber!: string | null;
  /** The reference Ledgerline stamped on the document (how an uncertain create is found again). */
  @IsText() externalReference!: string;
  /** The document's total including tax, positive for invoices and credit invoices alike, in `currency`. */
  @NestedObject(() => Money, MONEY_EXPECTATION) total!: Money;
  @IsCurrencyCode() currency!: string;
  /** When the connector learned the document number. */
  @IsUtcTimestamp() recordedAt!: string;

  /** Gives the event built from `fields`. */
  constructor(fields: ErpDocumentRecorded) {
    if (fields) Object.assign(this, fields);
  }
}
