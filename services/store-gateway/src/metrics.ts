import { counter } from '@ledgerline/observability';

/** Webhook requests answered with an error status, by why (`too_large`, `unknown_store`, `bad_signature`, `malformed`, `not_a_delivery`). */
export const webhooksRefused = counter({ name: 'ledgerline_webhooks_refused_total', help: 'WooCommerce webhook requests refused, by reason', labelNames: ['reason'] });

/** Accepted webhook deliveries by resource and what they changed (`placed`, `updated`, `cancelled`, `upserted`, `duplicate`, `stale`, `parked`, `ignored`, `ping`). */
export const webhooksReceived = counter({ name: 'ledgerline_webhooks_received_total', help: 'WooCommerce webhook deliveries accepted, by resource and outcome', labelNames: ['resource', 'outcome'] });

/** Payloads that could not be mapped and wait in parked_deliveries for a person. */
export const deliveriesParked = counter({ name: 'ledgerline_store_deliveries_parked_total', help: 'WooCommerce payloads parked because they cannot be mapped, by resource and code', labelNames: ['resource', 'code'] });

/** Orders a sweep read: `missed` (webhooks had not brought this version) or `already_known`. */
export const sweepOrdersFound = counter({ name: 'ledgerline_sweep_orders_found_total', help: 'Orders found by modified_after sweeps, by whether webhooks had missed them', labelNames: ['outcome'] });

/** Sweeps by outcome (`completed`, `failed`, `skipped` when another replica holds the store). */
export const sweepRuns = counter({ name: 'ledgerline_sweep_runs_total', help: 'Store sweeps by outcome', labelNames: ['outcome'] });

/** Webhooks the health check switched back to active, and ones it created. */
export const webhooksRepaired = counter({ name: 'ledgerline_webhooks_repaired_total', help: 'Store webhooks re-enabled or created by the health check, by action', labelNames: ['action'] });
