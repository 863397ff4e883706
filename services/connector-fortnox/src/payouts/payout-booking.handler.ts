import type { EventEnvelope, PayoutBookingRequested } from '@ledgerline/contracts';
import { LedgerlineError, type DocumentIntents } from '@ledgerline/erp-kit';
import type { Tx } from '@ledgerline/messaging';
import { Decimal } from '@ledgerline/money';
import type { StoreRepository } from '../persistence/store.repository';
import { bookingContext, describeBooking, documentKindOf, externalRefOfBooking, validateBooking, type PayoutBookingIntentPayload } from './payout-booking.mapper';
import { payoutBookings } from './payout-booking.port';

/**
 * Consumes payout-booking.requested inside the InboxGuard transaction: checks the booking (sign, currency, accounts,
 * connection) and opens one document intent per booking id (a payment or a voucher). No Fortnox call happens here;
 * a redelivered or re-sent booking finds its intent and opens nothing (erp-kit's source key). A zero amount is
 * recorded as skipped: Fortnox refuses empty vouchers and payments, and there is nothing to book.
 */
export class PayoutBookingHandler {
  constructor(
    private readonly intents: DocumentIntents,
    private readonly store: StoreRepository,
  ) {}

  async handle(event: EventEnvelope<PayoutBookingRequested>, tx: Tx): Promise<void> {
    const b = event.payload;
    const tenantId = b.payoutRef.tenantId;
    const connectionId = await this.store.connectionOf(tx, tenantId);
    if (!connectionId) {
      throw this.refuse(b, 'ERP_CONNECTION_MISSING', `tenant "${tenantId}" has no Fortnox connection`, 'Connect it under Connections → Fortnox, then replay.');
    }
    if (b.erp !== 'fortnox' || b.erpConnectionId !== connectionId) {
      throw this.refuse(
        b,
        'PAYOUT_BOOKING_CONNECTION_MISMATCH',
        `it is addressed to ${b.erp} connection "${b.erpConnectionId}", but this tenant's Fortnox connection is "${connectionId}"`,
        "Check the tenant's ERP connection in the payout mapping, then replay.",
      );
    }
    validateBooking(b, connectionId);
    const externalRef = externalRefOfBooking(tenantId, b.bookingId);
    if (Decimal.of(b.amount.amount).isZero()) {
      await this.store.recordPayoutBooking(tx, { booking: b, documentKind: 'none', documentNumber: null, externalRef, intentId: null, summary: { skipped: 'zero amount' } });
      payoutBookings.inc({ kind: b.kind, outcome: 'skipped' });
      return;
    }
    const payload: PayoutBookingIntentPayload = { booking: b };
    await this.intents.open(tx, {
      tenantId,
      connectionId,
      storeId: b.document?.orderRef.storeId ?? null,
      sourceKind: 'payout',
      sourceId: b.bookingId,
      sourceLabel: b.payoutRef.payoutId,
      documentKind: documentKindOf(b.kind),
      externalRef,
      payload,
      causedBy: event,
    });
  }

  private refuse(b: PayoutBookingRequested, code: string, problem: string, fix: string): LedgerlineError {
    return new LedgerlineError({ code, kind: 'permanent', operatorMessage: `Cannot book the ${describeBooking(b)} in Fortnox: ${problem}. ${fix}`, context: bookingContext(b), notApplied: true });
  }
}
