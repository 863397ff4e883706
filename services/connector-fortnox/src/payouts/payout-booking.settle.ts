import type { PoolClient } from 'pg';
import type { DeliveredDocument, DocumentIntent } from '@ledgerline/erp-kit';
import type { StoreRepository } from '../persistence/store.repository';
import { documentKindOf, type PayoutBookingIntentPayload } from './payout-booking.mapper';

/** In the settle transaction of a payout booking: records what the booking became (`payout_bookings`). */
export async function settlePayoutBooking(tx: PoolClient, store: StoreRepository, intent: DocumentIntent<PayoutBookingIntentPayload>, doc: DeliveredDocument): Promise<void> {
  const b = intent.payload.booking;
  await store.recordPayoutBooking(tx, {
    booking: b,
    documentKind: documentKindOf(b.kind),
    documentNumber: doc.documentNumber,
    externalRef: intent.externalRef,
    intentId: intent.id,
    summary: doc.erpResponseSummary ?? {},
  });
}
