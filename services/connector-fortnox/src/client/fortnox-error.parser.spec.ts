import { parseFortnoxError } from './fortnox-error.parser';

const ctx = { tenantId: 'acme', storeId: 'nordic-shop', orderRef: '1234', documentKind: 'invoice' };
const failure = (status: number, body: unknown, method = 'POST') => parseFortnoxError({ method, path: '/3/invoices', status, body: typeof body === 'string' ? body : JSON.stringify(body), context: ctx });

describe('parseFortnoxError', () => {
  it('turns a validation error into a permanent ERP_DOCUMENT_REJECTED with Fortnox message and code, in either key spelling', () => {
    for (const body of [
      { ErrorInformation: { error: 1, message: 'Kontot finns inte i kontoplanen', code: 2001304 } },
      { ErrorInformation: { Error: 1, Message: 'Kontot finns inte i kontoplanen', Code: 2001304 } },
    ]) {
      const f = failure(400, body);
      if (f.tokenInvalid) throw new Error('classified as a token problem');
      expect(f.error).toMatchObject({ code: 'ERP_DOCUMENT_REJECTED', kind: 'permanent', notApplied: true, vendorCode: '2001304' });
      expect(f.error.operatorMessage).toBe(
        'Fortnox rejected the invoice for order #1234 (store "nordic-shop", tenant "acme"): Fortnox error 2001304: "Kontot finns inte i kontoplanen". ' +
          "Correct the order, the tenant's mappings or the Fortnox company settings accordingly, then replay.",
      );
    }
  });

  it('reports an unknown or expired token (401 or 403 with 2000310/2000311) so the client refreshes once', () => {
    expect(failure(401, { ErrorInformation: { error: 1, message: 'Invalid token', code: 2000310 } })).toMatchObject({ tokenInvalid: true });
    expect(failure(403, { ErrorInformation: { Error: 1, Message: 'Missing', Code: 2000311 } })).toMatchObject({ tokenInvalid: true });
  });

  it('classifies 429 as transient and not applied, 5xx on a write as transient with an unknown outcome, 5xx on a read as not applied', () => {
    const limited = failure(429, { ErrorInformation: { error: 1, message: 'Too many', code: 2999429 } });
    expect(!limited.tokenInvalid && limited.error).toMatchObject({ code: 'ERP_RATE_LIMITED', kind: 'transient', notApplied: true });
    const write = failure(503, { ErrorInformation: { error: 1, message: 'System exception', code: 1000003 } });
    expect(!write.tokenInvalid && write.error).toMatchObject({ code: 'ERP_SERVICE_UNAVAILABLE', kind: 'transient', notApplied: false });
    const read = failure(502, 'Bad gateway', 'GET');
    expect(!read.tokenInvalid && read.error).toMatchObject({ code: 'ERP_SERVICE_UNAVAILABLE', kind: 'transient', notApplied: true });
  });

  it('treats a 403 without a token code as a revoked authorisation', () => {
    const f = failure(403, { ErrorInformation: { error: 1, message: 'Behörighet saknas', code: 2000663 } });
    expect(!f.tokenInvalid && f.error).toMatchObject({ code: 'ERP_AUTH_REVOKED', kind: 'permanent' });
  });
});
