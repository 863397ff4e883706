import { withTransaction } from '@ledgerline/messaging';
import type { TestDatabase } from '@ledgerline/testing';
import { DocumentIntents, ErpOutcomeUnknownError, ErpRejectedError, ErpUnavailableError, IntentLeaseLostError, MappingMissingError, type DocumentIntent, type OpenIntentInput } from '../src';
import { erpKitDatabase, invoiceFor } from './support';

describe('DocumentIntents', () => {
  let db: TestDatabase;
  let intents: DocumentIntents;

  beforeAll(async () => {
    db = await erpKitDatabase('erp_kit_intents');
    intents = new DocumentIntents(db.pool, { schema: db.schema, erp: 'Fortnox', backoff: { baseMs: 1000, maxMs: 4000, maxFailures: 3 } });
  });
  afterAll(() => db?.drop());

  const open = (input: OpenIntentInput) => withTransaction(db.pool, (tx) => intents.open(tx, input));
  /** Opens and claims one intent, as a worker holds it. */
  const claimed = async (input: OpenIntentInput): Promise<DocumentIntent> => {
    const { intent } = await open(input);
    const [mine] = (await intents.claim(50, { workerId: 'w1' })).filter((i) => i.id === intent.id);
    if (!mine) throw new Error(`intent ${intent.externalRef} was not claimable`);
    return mine;
  };
  const row = async (id: string) => (await db.pool.query(`SELECT * FROM document_intents WHERE id = $1`, [id])).rows[0];

  it('opens an intent once: a second open for the same source returns the first unchanged', async () => {
    const first = await open(invoiceFor('1001'));
    const second = await open(invoiceFor('1001', { payload: { orderNumber: '1001', total: '999.00' }, externalRef: 'something-else' }));

    expect(first.created).toBe(true);
    expect(second).toEqual({ created: false, intent: first.intent });
    expect(first.intent).toMatchObject({
      tenantId: 'acme',
      connectionId: 'conn-1',
      storeId: 'nordic-shop',
      sourceKind: 'order',
      sourceId: 'order-1001',
      sourceLabel: '1001',
      documentKind: 'invoice',
      externalRef: 'woo:nordic-shop:1001',
      payload: { orderNumber: '1001', total: '125.00' },
      status: 'open',
      outcomeUnknown: false,
      attempts: 0,
      failures: 0,
    });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM document_intents WHERE source_id = 'order-1001'`)).rows[0].n).toBe(1);
  });

  it('continues the causing event chain: correlation id copied, causation id = the event id', async () => {
    const input = invoiceFor('1002');
    const { intent } = await open(input);
    expect(intent).toMatchObject({ correlationId: input.causedBy.correlationId, causationId: input.causedBy.id });
  });

  it('opens once when two inbox transactions race for the same source', async () => {
    const [a, b] = await Promise.all([open(invoiceFor('1003')), open(invoiceFor('1003'))]);
    expect(a.intent.id).toBe(b.intent.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
  });

  it('opens a separate intent per document kind and source kind of the same order', async () => {
    const invoice = await open(invoiceFor('1004'));
    const credit = await open(invoiceFor('1004', { sourceKind: 'refund', sourceId: 'refund-1004-1', documentKind: 'credit-invoice', externalRef: 'woo:nordic-shop:1004:r1' }));
    expect(credit.created).toBe(true);
    expect(credit.intent.id).not.toBe(invoice.intent.id);
  });

  it('leaves no intent behind when the inbox transaction that opened it rolls back', async () => {
    await expect(
      withTransaction(db.pool, async (tx) => {
        await intents.open(tx, invoiceFor('1005'));
        throw new Error('handler failed after opening');
      }),
    ).rejects.toThrow('handler failed after opening');
    expect(await intents.findBySource('acme', '1005')).toEqual([]);
  });

  it('refuses a second source with an external reference already in use on the connection', async () => {
    await open(invoiceFor('1006'));
    await expect(open(invoiceFor('1006-b', { externalRef: 'woo:nordic-shop:1006' }))).rejects.toThrow(/uq_document_intents_external_ref/);
  });

  it('hands each due intent to exactly one of several workers claiming at the same moment', async () => {
    const refs = Array.from({ length: 12 }, (_, i) => `2${String(i).padStart(3, '0')}`);
    for (const ref of refs) await open(invoiceFor(ref, { connectionId: 'conn-claim' }));

    const batches = await Promise.all(['w1', 'w2', 'w3'].map((workerId) => intents.claim(5, { workerId, connectionId: 'conn-claim' })));

    const ids = batches.flat().map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(12);
    for (const [n, batch] of batches.entries()) for (const intent of batch) expect(intent).toMatchObject({ claimedBy: `w${n + 1}`, claimToken: expect.any(String) });
    expect(await intents.claim(5, { connectionId: 'conn-claim' })).toEqual([]);
  });

  it('commits outcome_unknown before the ERP call, so another connection sees it at once', async () => {
    const intent = await claimed(invoiceFor('3001'));
    await intents.markAttempt(intent);
    expect(await row(intent.id)).toMatchObject({ outcome_unknown: true, attempts: 1, status: 'open' });
  });

  it('gives a crashed worker’s intent to another worker once the lease ran out, and fences the first one off', async () => {
    const first = await claimed(invoiceFor('3002'));
    await intents.markAttempt(first);
    // The worker "crashes" here; its lease runs out.
    await db.pool.query(`UPDATE document_intents SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [first.id]);

    const [second] = (await intents.claim(50, { workerId: 'w2' })).filter((i) => i.id === first.id);
    expect(second).toMatchObject({ outcomeUnknown: true, attempts: 1, claimedBy: 'w2' });
    expect(second!.claimToken).not.toBe(first.claimToken);

    await expect(intents.markAttempt(first)).rejects.toBeInstanceOf(IntentLeaseLostError);
    await expect(withTransaction(db.pool, (tx) => intents.settle(tx, first, { documentNumber: '1' }))).rejects.toMatchObject({ code: 'INTENT_LEASE_LOST' });
    expect(await intents.fail(first, new ErpRejectedError({ erp: 'Fortnox', reason: 'x', action: 'y' }))).toEqual({ status: 'lease-lost' });
    expect(await row(first.id)).toMatchObject({ status: 'open', claimed_by: 'w2' });
  });

  it('does not hand out an intent whose lease is still running', async () => {
    const intent = await claimed(invoiceFor('3003'));
    expect((await intents.claim(50)).map((i) => i.id)).not.toContain(intent.id);
    await intents.release(intent);
    expect((await intents.claim(50)).map((i) => i.id)).toContain(intent.id);
  });

  it('settles in the caller’s transaction and answers "where is order 1234?" by order number and by document number', async () => {
    const intent = await claimed(invoiceFor('1234'));
    await intents.markAttempt(intent);
    await expect(
      withTransaction(db.pool, async (tx) => {
        await intents.settle(tx, intent, { documentNumber: '501' });
        throw new Error('outbox append failed');
      }),
    ).rejects.toThrow('outbox append failed');
    expect(await row(intent.id)).toMatchObject({ status: 'open', document_number: null });

    const settled = await withTransaction(db.pool, (tx) => intents.settle(tx, intent, { documentNumber: '501', erpResponseSummary: { total: 125 } }));

    expect(settled).toMatchObject({ status: 'settled', documentNumber: '501', erpResponseSummary: { total: 125 }, outcomeUnknown: false, claimToken: null });
    expect(settled.settledAt).toBeInstanceOf(Date);
    expect((await intents.findBySource('acme', '#1234')).map((i) => [i.documentKind, i.status, i.documentNumber])).toEqual([['invoice', 'settled', '501']]);
    expect((await intents.findBySource('acme', 'order-1234')).map((i) => i.id)).toEqual([intent.id]);
    expect((await intents.findByDocumentNumber('conn-1', '501')).map((i) => i.id)).toEqual([intent.id]);
    expect(await intents.findBySource('other-tenant', '1234')).toEqual([]);
  });

  it('retries a transient failure later with backoff, keeping outcome_unknown when the outcome may have landed', async () => {
    const intent = await claimed(invoiceFor('4001'));
    await intents.markAttempt(intent);
    const before = Date.now();

    const outcome = await intents.fail(intent, new ErpUnavailableError({ erp: 'Fortnox', outcome: 'unknown', detail: 'socket hang up' }));

    expect(outcome).toMatchObject({ status: 'retry', code: 'ERP_SERVICE_UNAVAILABLE' });
    const r = await row(intent.id);
    expect(r).toMatchObject({ status: 'open', outcome_unknown: true, failures: 1, error_code: 'ERP_SERVICE_UNAVAILABLE', error_kind: 'transient', claim_token: null });
    // First failure: between half the base (500 ms) and the base (1000 ms), measured on the database clock.
    const delay = (r.next_attempt_at as Date).getTime() - before;
    expect(delay).toBeGreaterThanOrEqual(400);
    expect(delay).toBeLessThanOrEqual(1500);
    expect(r.operator_message).toContain('order #4001 (store "nordic-shop", tenant "acme")');
    expect((await intents.claim(50)).map((i) => i.id)).not.toContain(intent.id);
  });

  it('clears outcome_unknown when the failure proves nothing was applied, unless an earlier attempt was unclear', async () => {
    const clean = await claimed(invoiceFor('4002'));
    await intents.markAttempt(clean);
    await intents.fail(clean, new ErpUnavailableError({ erp: 'Fortnox', outcome: 'not-applied' }));
    expect(await row(clean.id)).toMatchObject({ outcome_unknown: false });

    const unclear = await claimed(invoiceFor('4003'));
    await intents.markAttempt(unclear);
    await intents.fail(unclear, new ErpUnavailableError({ erp: 'Fortnox', outcome: 'unknown' }));
    await db.pool.query(`UPDATE document_intents SET next_attempt_at = now() WHERE id = $1`, [unclear.id]);
    const [again] = (await intents.claim(50)).filter((i) => i.id === unclear.id);
    expect(again!.outcomeUnknown).toBe(true);
    await intents.fail(again!, new ErpUnavailableError({ erp: 'Fortnox', outcome: 'not-applied' }));
    expect(await row(unclear.id)).toMatchObject({ outcome_unknown: true, failures: 2 });
  });

  it('holds a rate-limited intent back at least as long as the ERP asked', async () => {
    const intent = await claimed(invoiceFor('4004'));
    const before = Date.now();
    await intents.fail(intent, { kind: 'transient', code: 'ERP_RATE_LIMITED', operatorMessage: 'slow down', retryAfterMs: 30_000 });
    expect((await row(intent.id)).next_attempt_at.getTime() - before).toBeGreaterThanOrEqual(29_000);
  });

  it('parks a permanent failure with its code and operator message, and reopens it for replay', async () => {
    const intent = await claimed(invoiceFor('5001'));
    const err = new MappingMissingError({ what: 'tax-code', label: 'tax rate SE 6%', context: { tenantId: 'acme', erp: 'Fortnox' } });

    const outcome = await intents.fail(intent, err);

    expect(outcome).toEqual({ status: 'parked', code: 'MAPPING_TAX_CODE_MISSING', kind: 'permanent', operatorMessage: err.operatorMessage });
    const parked = await intents.get(intent.id);
    expect(parked).toMatchObject({ status: 'parked', errorCode: 'MAPPING_TAX_CODE_MISSING', errorKind: 'permanent', failures: 1 });
    expect(parked!.parkedAt).toBeInstanceOf(Date);
    expect(parked!.operatorMessage).toContain('Add it under Mappings → Tax codes, then replay.');
    expect((await intents.list({ status: 'parked', tenantId: 'acme', errorCode: 'MAPPING_TAX_CODE_MISSING' })).map((i) => i.id)).toContain(intent.id);
    expect((await intents.claim(50)).map((i) => i.id)).not.toContain(intent.id);

    const reopened = await intents.reopen(intent.id);
    expect(reopened).toMatchObject({ status: 'open', failures: 0, parkedAt: null });
    expect(await intents.reopen(intent.id)).toBeNull();
    expect((await intents.claim(50)).map((i) => i.id)).toContain(intent.id);
  });

  it('keeps outcome_unknown through a replay unless a person confirmed the document is not in the ERP', async () => {
    const intent = await claimed(invoiceFor('5002'));
    await intents.markAttempt(intent);
    await intents.fail(intent, new ErpUnavailableError({ erp: 'Fortnox', outcome: 'unknown' }));
    await db.pool.query(`UPDATE document_intents SET next_attempt_at = now() WHERE id = $1`, [intent.id]);
    // What a worker does for an ERP it cannot search: park for a person.
    const unsearchable = async () => {
      const [again] = (await intents.claim(50)).filter((i) => i.id === intent.id);
      return intents.fail(again!, new ErpOutcomeUnknownError({ erp: 'Visma Business' }));
    };
    expect(await unsearchable()).toMatchObject({ status: 'parked', code: 'ERP_OUTCOME_UNKNOWN' });

    expect(await intents.reopen(intent.id)).toMatchObject({ outcomeUnknown: true });
    await unsearchable();
    expect(await intents.reopen(intent.id, { confirmedNotInErp: true })).toMatchObject({ outcomeUnknown: false });
  });

  it('clears outcome_unknown when a create is rejected, since a rejected document was not stored', async () => {
    const intent = await claimed(invoiceFor('5005'));
    await intents.markAttempt(intent);
    await intents.fail(intent, new ErpRejectedError({ erp: 'Fortnox', reason: 'the period is closed', action: 'Open the period, then replay.' }));
    expect(await intents.get(intent.id)).toMatchObject({ status: 'parked', outcomeUnknown: false, attempts: 1 });
  });

  it('parks a transient failure once it has failed maxFailures times in a row', async () => {
    const input = invoiceFor('5003');
    let intent = await claimed(input);
    for (let n = 1; n <= 3; n++) {
      const outcome = await intents.fail(intent, new ErpUnavailableError({ erp: 'Fortnox', outcome: 'not-applied' }));
      expect(outcome.status).toBe(n < 3 ? 'retry' : 'parked');
      await db.pool.query(`UPDATE document_intents SET next_attempt_at = now() WHERE id = $1`, [intent.id]);
      if (n < 3) intent = (await intents.claim(50)).find((i) => i.id === intent.id)!;
    }
    expect(await intents.get(intent.id)).toMatchObject({ status: 'parked', errorCode: 'ERP_SERVICE_UNAVAILABLE', errorDetail: 'gave up after 3 failed deliveries' });
  });

  it('parks an unexpected error as a defect with code UNEXPECTED and its stack as detail', async () => {
    const intent = await claimed(invoiceFor('5004'));
    expect(await intents.fail(intent, new TypeError("Cannot read properties of undefined (reading 'lines')"))).toMatchObject({ status: 'parked', code: 'UNEXPECTED', kind: 'defect' });
    const parked = await intents.get(intent.id);
    expect(parked!.operatorMessage).toContain('This is a Ledgerline defect');
    expect(parked!.errorDetail).toContain('TypeError');
  });

  it('makes a dependent document wait, transiently, until the one it refers to is settled', async () => {
    const credit = await claimed(invoiceFor('6001', { sourceKind: 'refund', sourceId: 'refund-6001', documentKind: 'credit-invoice', externalRef: 'woo:nordic-shop:6001:r1' }));
    const key = { tenantId: 'acme', connectionId: 'conn-1', sourceKind: 'order' as const, sourceId: 'order-6001', documentKind: 'invoice' as const };

    await expect(intents.requireSettled(db.pool, key, credit)).rejects.toMatchObject({ code: 'INTENT_ORIGINAL_NOT_DELIVERED', kind: 'transient', notApplied: true });
    const invoice = await claimed(invoiceFor('6001'));
    const waiting = await intents.requireSettled(db.pool, key, credit).catch((e: Error) => e);
    expect((waiting as Error).message).toContain('waits for its invoice, which is still on its way in Fortnox');

    await withTransaction(db.pool, (tx) => intents.settle(tx, invoice, { documentNumber: '777' }));
    expect(await intents.requireSettled(db.pool, key, credit)).toMatchObject({ documentNumber: '777' });
  });

  it('lets a person settle a parked intent with the document number found in the ERP', async () => {
    const intent = await claimed(invoiceFor('6002'));
    await intents.fail(intent, new ErpRejectedError({ erp: 'Fortnox', reason: 'x', action: 'y' }));
    const settled = await withTransaction(db.pool, (tx) => intents.settleManually(tx, intent.id, { documentNumber: '888', note: 'found in Fortnox by Anna' }));
    expect(settled).toMatchObject({ status: 'settled', documentNumber: '888', erpResponseSummary: { settledBy: 'operator', note: 'found in Fortnox by Anna' } });
    expect(await withTransaction(db.pool, (tx) => intents.settleManually(tx, intent.id, { documentNumber: '889', note: 'again' }))).toBeNull();
  });
});
