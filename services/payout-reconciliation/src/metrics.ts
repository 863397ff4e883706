import { counter, gauge, histogram } from '@ledgerline/observability';

/** Settlement lines read from reports and APIs, by provider and outcome (`stored`, `duplicate_line`, `duplicate_file`). */
export const linesIngested = counter({ name: 'ledgerline_payouts_lines_ingested_total', help: 'Settlement lines read, by provider and outcome', labelNames: ['provider', 'outcome'] });

/** Lines matched to an order and its ERP document (or needing none). */
export const linesMatched = counter({ name: 'ledgerline_payouts_lines_matched_total', help: 'Settlement lines matched to an order document, by provider', labelNames: ['provider'] });

/** Booking instructions appended to the outbox, by provider and booking kind. */
export const bookingsEmitted = counter({ name: 'ledgerline_payouts_bookings_emitted_total', help: 'payout-booking.requested events emitted, by provider and kind', labelNames: ['provider', 'kind'] });

/** Payouts booked, or refused because their bookings would not sum to the payout amount. */
export const payoutsBooked = counter({ name: 'ledgerline_payouts_payouts_booked_total', help: 'Payouts booked or refused, by provider and outcome', labelNames: ['provider', 'outcome'] });

/** Seconds from a line being stored to it being matched (includes waiting for orders and invoices). */
export const matchLatency = histogram({
  name: 'ledgerline_payouts_match_latency_seconds',
  help: 'Seconds from storing a settlement line to matching it, by provider',
  labelNames: ['provider'],
  buckets: [0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600, 86400],
});

/** Report files received, by provider and outcome (`received`, `already_received`, `refused`). */
export const reportsReceived = counter({ name: 'ledgerline_payouts_reports_received_total', help: 'Settlement report files received, by provider and outcome', labelNames: ['provider', 'outcome'] });

/** Lines waiting for a person or for data, by provider and code; set by the reconciler after each pass. */
export const exceptionsOpen = gauge({ name: 'ledgerline_payouts_exceptions', help: 'Settlement lines and payouts waiting in the exception list, by provider and code', labelNames: ['provider', 'code'] });
