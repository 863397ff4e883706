/**
 * @ledgerline/sandbox-psp: a stand-in for Stripe, Klarna and Adyen payouts/settlements for tests, the demo
 * and benchmarks, built from ../shared/contracts/psp. See README.md.
 */
export { PspSandbox, type PspSandboxOptions, type PspFace, type AdyenFace } from './psp-sandbox';
export type { CredentialsByProvider, StripeCredentials, KlarnaCredentials, AdyenCredentials } from './psp-runtime';
export type { Provider, CaptureOrder, CaptureResult, SettleMonthOptions, GroundTruth, GroundTruthPayout, GroundTruthLine, GroundTruthLineType, PspFaults } from './ledger/psp-types';
export type { NotificationDelivery, ReportAvailableItem } from './adyen/report-notifier';
export { adyenHmac } from './adyen/report-notifier';
export { STRIPE_REPORT_COLUMNS } from './stripe/stripe.render';
export { KLARNA_REPORT_COLUMNS } from './klarna/klarna.render';
export { ADYEN_REPORT_COLUMNS } from './adyen/adyen.render';
export type { RateLimit } from './common/rate-limiter';
