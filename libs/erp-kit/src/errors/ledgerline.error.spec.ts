import { classifyError } from '@ledgerline/messaging';
import { Money, MoneyError } from '@ledgerline/money';
import { ErpAuthRevokedError, ErpOutcomeUnknownError, ErpRateLimitedError, ErpRejectedError, ErpUnavailableError } from './erp.errors';
import { describeSubject, isErrorCode, LedgerlineError } from './ledgerline.error';
import { fromMoneyError, withErrorContext } from './wrap-error';

const order = { tenantId: 'acme', storeId: 'nordic-shop', orderRef: '1234', connectionId: 'conn-1', documentKind: 'invoice' };

describe('LedgerlineError', () => {
  it('is classified by messaging with its own kind, code and operator message', () => {
    const err = new LedgerlineError({ code: 'ERP_DOCUMENT_REJECTED', kind: 'permanent', operatorMessage: 'Fix it under Mappings.', context: order });
    expect(classifyError(err)).toEqual({ kind: 'permanent', code: 'ERP_DOCUMENT_REJECTED', operatorMessage: 'Fix it under Mappings.' });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('LedgerlineError');
    expect(err.message).toBe('Fix it under Mappings.');
  });

  it('adds context the thrower did not know without overwriting what it did', () => {
    const err = new LedgerlineError({ code: 'ERP_DOCUMENT_REJECTED', kind: 'permanent', operatorMessage: 'x', context: { orderRef: '99' } });
    err.withContext({ orderRef: '1234', tenantId: 'acme', storeId: undefined });
    expect(err.context).toEqual({ orderRef: '99', tenantId: 'acme' });
  });

  it('composes its operator message from the context as it is when read, so context added later shows', () => {
    const err = new ErpUnavailableError({ erp: 'Fortnox', outcome: 'unknown', detail: 'timeout after 700 ms' });
    expect(err.operatorMessage).toContain('worked on the document for this event (timeout after 700 ms)');
    err.withContext({ orderRef: '1234', storeId: 'nordic-shop', tenantId: 'acme', documentKind: 'invoice' });
    expect(classifyError(err).operatorMessage).toContain('worked on the invoice for order #1234 (store "nordic-shop", tenant "acme") (timeout after 700 ms)');
    expect(err.message).toBe(err.operatorMessage);
  });

  it('serialises to code, kind, message, context and detail without a stack', () => {
    const json = new ErpUnavailableError({ erp: 'Fortnox', context: order, outcome: 'unknown', detail: 'socket hang up' }).toJSON();
    expect(json).toEqual({
      name: 'ErpUnavailableError',
      code: 'ERP_SERVICE_UNAVAILABLE',
      kind: 'transient',
      operatorMessage: expect.stringContaining('Fortnox did not answer'),
      context: { ...order, erp: 'Fortnox' },
      detail: 'socket hang up',
    });
  });

  it('names the order, store and tenant, falling back to the connection', () => {
    expect(describeSubject(order)).toBe('order #1234 (store "nordic-shop", tenant "acme")');
    expect(describeSubject({ ...order, storeName: 'Nordic Shop', tenantName: 'Acme AB', orderRef: '#77' })).toBe('order #77 (store "Nordic Shop", tenant "Acme AB")');
    expect(describeSubject({ connectionId: 'conn-9', tenantId: 'acme' })).toBe('connection "conn-9" (tenant "acme")');
  });

  it.each([
    ['MAPPING_TAX_CODE_MISSING', true],
    ['ERP_AUTH_REVOKED', true],
    ['UNEXPECTED', false],
    ['erp_auth_revoked', false],
    ['ERP_REVOKED', false],
  ])('checks the <AREA>_<THING>_<PROBLEM> form of %s', (code, ok) => {
    expect(isErrorCode(code)).toBe(ok);
  });
});

describe('ERP errors', () => {
  it('makes a rejection permanent, not applied, with the reason and what to change', () => {
    const err = new ErpRejectedError({ erp: 'Fortnox', context: order, reason: 'customer 77 does not exist', action: 'Check Mappings → Customers, then replay.', vendorCode: 2000433 });
    expect(err).toMatchObject({ code: 'ERP_DOCUMENT_REJECTED', kind: 'permanent', notApplied: true, vendorCode: '2000433', detail: 'vendor code 2000433' });
    expect(err.operatorMessage).toBe(
      'Fortnox rejected the invoice for order #1234 (store "nordic-shop", tenant "acme"): customer 77 does not exist. Check Mappings → Customers, then replay.',
    );
  });

  it('says whether an unavailable ERP may have applied the request', () => {
    expect(new ErpUnavailableError({ erp: 'Fortnox', context: order, outcome: 'unknown' }).notApplied).toBe(false);
    expect(new ErpUnavailableError({ erp: 'Fortnox', context: order, outcome: 'not-applied' }).notApplied).toBe(true);
  });

  it('tells the operator to re-authorise a revoked connection in the console', () => {
    const err = new ErpAuthRevokedError({ erp: 'Fortnox', context: { connectionId: 'conn-1', tenantId: 'acme' } });
    expect(classifyError(err)).toEqual({
      kind: 'permanent',
      code: 'ERP_AUTH_REVOKED',
      operatorMessage:
        'Fortnox no longer accepts Ledgerline\'s authorisation for connection "conn-1" (tenant "acme"), so nothing can be sent to Fortnox. ' +
        'Re-authorise the connection in the console under Connections → Fortnox → Re-authorise, then replay the parked documents.',
    });
  });

  it('carries the wait a rate limit asks for and distinguishes a 429 from a local wait that ran out', () => {
    const answered = new ErpRateLimitedError({ erp: 'Fortnox', context: order, retryAfterMs: 5000 });
    const waited = new ErpRateLimitedError({ erp: 'Fortnox', context: order, code: 'ERP_RATE_LIMIT_WAIT_EXCEEDED' });
    expect(answered).toMatchObject({ code: 'ERP_RATE_LIMITED', kind: 'transient', retryAfterMs: 5000, notApplied: true });
    expect(waited).toMatchObject({ code: 'ERP_RATE_LIMIT_WAIT_EXCEEDED', kind: 'transient' });
    expect(waited.operatorMessage).toContain('No Fortnox request slot came free in time for order #1234');
  });

  it('asks a person to check the ERP when a create cannot be searched for', () => {
    const err = new ErpOutcomeUnknownError({ erp: 'Visma Business', context: { ...order, externalRef: 'woo:nordic-shop:1234' } });
    expect(err.kind).toBe('permanent');
    expect(err.operatorMessage).toContain('cannot be searched by the external reference "woo:nordic-shop:1234"');
    expect(err.operatorMessage).toContain('Sync log → Mark as delivered');
  });
});

describe('fromMoneyError / withErrorContext', () => {
  const moneyError = (() => {
    try {
      Money.of('10.00', 'SEK').add(Money.of('1.00', 'EUR'));
    } catch (err) {
      return err as MoneyError;
    }
    throw new Error('expected a MoneyError');
  })();

  it('wraps a MoneyError into a permanent error that keeps its code and names the order', () => {
    const err = fromMoneyError(moneyError, { ...order, erp: 'Fortnox' });
    expect(err).toBeInstanceOf(LedgerlineError);
    expect(err).toMatchObject({ code: 'MONEY_CURRENCY_MISMATCH', kind: 'permanent', notApplied: true, cause: moneyError });
    expect(err.operatorMessage).toContain('The amounts of order #1234 (store "nordic-shop", tenant "acme") cannot be turned into a Fortnox invoice');
    expect(err.operatorMessage).toContain(moneyError.message);
  });

  it('adds context to LedgerlineErrors, wraps MoneyErrors and leaves other errors alone', () => {
    const own = new ErpRateLimitedError({ erp: 'Fortnox' });
    expect(withErrorContext(own, order)).toBe(own);
    expect(own.context.orderRef).toBe('1234');
    expect(withErrorContext(moneyError, order)).toMatchObject({ code: 'MONEY_CURRENCY_MISMATCH', context: order });
    const plain = new TypeError('x is undefined');
    expect(withErrorContext(plain, order)).toBe(plain);
    expect(classifyError(plain).kind).toBe('defect');
  });
});
