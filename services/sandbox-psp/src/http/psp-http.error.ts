import { randomUUID } from 'node:crypto';
import type { Provider } from '../ledger/psp-types';

/** An HTTP answer in a provider's own error format, thrown from a handler and rendered by the exception filter. */
export class PspHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** Stripe's error object: `{ error: { type, message, code?, param? } }` (docs.stripe.com/api/errors). */
export function stripeError(status: number, message: string, extra: { code?: string; param?: string; type?: string } = {}, headers: Record<string, string> = {}): PspHttpError {
  const { type = 'invalid_request_error', ...rest } = extra;
  return new PspHttpError(status, { error: { type, message, ...rest } }, headers);
}

/** Klarna's `ErrorResponse` (settlements-api-openapi.yml): `{ error_code, error_messages[], correlation_id }`. */
export function klarnaError(status: number, errorCode: string, messages: string[], headers: Record<string, string> = {}): PspHttpError {
  return new PspHttpError(status, { error_code: errorCode, error_messages: messages, correlation_id: randomUUID() }, headers);
}

/** Adyen's API error object `{ status, errorCode, message, errorType }` (guessed for the report download host). */
export function adyenError(status: number, errorCode: string, message: string, errorType: string, headers: Record<string, string> = {}): PspHttpError {
  return new PspHttpError(status, { status, errorCode, message, errorType }, headers);
}

/** A provider's "not found" for an unknown path, and its "internal error". */
export function providerError(provider: Provider, status: 404 | 500, path: string): PspHttpError {
  if (provider === 'stripe') return status === 404 ? stripeError(404, `Unrecognized request URL (GET: ${path}).`) : stripeError(500, 'An unknown error occurred', { type: 'api_error' });
  if (provider === 'klarna') return status === 404 ? klarnaError(404, 'NOT_FOUND', [`No resource at ${path}`]) : klarnaError(500, 'INTERNAL_ERROR', ['An internal error occurred']);
  return status === 404 ? adyenError(404, '000', `No resource at ${path}`, 'validation') : adyenError(500, '000', 'Internal error', 'internal');
}
