import { ErpDocumentRecorded } from '../erp-documents/erp-document-recorded.v1';
import { StoreStockApplied } from '../inventory/store-stock-applied.v1';
import { StoreStockRequested } from '../inventory/store-stock-requested.v1';
import { PayoutBookingRequested } from '../payouts/payout-booking-requested.v1';

/** Invoice 1001 of order 727 of store `us-store`, recorded by a Fortnox connection. */
export const erpInvoice = (): ErpDocumentRecorded =>
  new ErpDocumentRecorded({
    orderRef: { tenantId: 'acme', storeId: 'us-store', orderId: '727', orderNumber: '727' },
    kind: 'invoice',
    sourceId: '727',
    erp: 'fortnox',
    erpConnectionId: 'fortnox-1',
    documentNumber: '1001',
    creditsDocumentNumber: null,
    externalReference: 'ledgerline:acme:us-store:727',
    total: { amount: '125.00', currency: 'SEK' },
    currency: 'SEK',
    recordedAt: '2026-11-26T09:00:00.000Z',
  });

/** A one-part stock request for store `us-store`. */
export const stockRequest = (items: Array<{ sku: string; quantity: string }> = [{ sku: 'TS-1', quantity: '12' }]): StoreStockRequested =>
  new StoreStockRequested({ tenantId: 'acme', storeId: 'us-store', requestId: 'r-1', reason: 'change', part: 1, parts: 1, complete: false, items, computedAt: '2026-11-26T09:00:00.000Z' });

/** store-gateway's report on {@link stockRequest}. */
export const stockReport = (): StoreStockApplied =>
  new StoreStockApplied({
    tenantId: 'acme',
    storeId: 'us-store',
    requestId: 'r-1',
    part: 1,
    parts: 1,
    written: [{ sku: 'TS-1', was: '7', now: '12' }],
    unchangedCount: '3',
    unknownSkus: ['TS-404'],
    failed: [],
    storeOnlySkus: [],
    appliedAt: '2026-11-26T09:00:01.000Z',
  });

/** Stripe's fee booking for payout po_1. */
export const feeBooking = (): PayoutBookingRequested =>
  new PayoutBookingRequested({
    bookingId: 'stripe:po_1:fee',
    payoutRef: { tenantId: 'acme', provider: 'stripe', merchantAccount: 'acct_1', payoutId: 'po_1' },
    kind: 'fee',
    amount: { amount: '-12.40', currency: 'SEK' },
    currency: 'SEK',
    document: null,
    accounts: { clearing: '1580', counter: '6570', modeOfPayment: null },
    erp: 'fortnox',
    erpConnectionId: 'fortnox-1',
    bookingDate: '2026-11-26',
    providerReference: 'po_1',
    description: 'Stripe fees, payout po_1',
    requestedAt: '2026-11-26T09:00:00.000Z',
  });
