import { setTimeout as sleep } from 'node:timers/promises';
import { withTransaction } from '@ledgerline/messaging';
import type { DocumentIntent, OpenIntentInput } from '../src';
import type { ConnectorCapabilities, ConnectorReplica, ConnectorUnderTest, ErpDocumentView } from './connector-under-test';

/** Opens `input` as a handler would, in its own (inbox) transaction, and returns the intent. */
async function open(cut: ConnectorUnderTest, input: OpenIntentInput): Promise<DocumentIntent> {
  return (await withTransaction(cut.pool, (tx) => cut.intents.open(tx, input))).intent;
}

/**
 * Runs the replicas' workers side by side, round after round, until every intent in `ids` is settled or parked, and
 * returns them as they ended, in the order of `ids`. Transient failures come back after the connector's short backoff.
 */
async function deliverUntilFinal(cut: ConnectorUnderTest, replicas: ConnectorReplica[], ids: string[], timeoutMs = 20_000): Promise<DocumentIntent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await Promise.all(replicas.map((r) => r.worker.drain()));
    const now = await Promise.all(ids.map((id) => cut.intents.get(id)));
    const final = now.filter((i): i is DocumentIntent => i !== null && i.status !== 'open');
    if (final.length === ids.length) return final;
    if (Date.now() > deadline) {
      const open = now.filter((i) => i?.status === 'open').map((i) => `${i?.externalRef} (${i?.errorCode ?? 'no error'}, ${i?.failures} failures)`);
      throw new Error(`intents still open after ${timeoutMs} ms: ${open.join(', ')}`);
    }
    await sleep(50);
  }
}

/** Delivers one intent until it is settled or parked. */
async function deliverOne(cut: ConnectorUnderTest, replicas: ConnectorReplica[], intent: DocumentIntent): Promise<DocumentIntent> {
  const [final] = await deliverUntilFinal(cut, replicas, [intent.id]);
  if (!final) throw new Error(`intent ${intent.id} vanished`);
  return final;
}

/** The one ERP document carrying `ref`; fails the test when there are none or several. */
async function theDocument(cut: ConnectorUnderTest, ref: string): Promise<ErpDocumentView> {
  const found = await cut.erpSide.documentsWithExternalRef(ref);
  expect(found).toHaveLength(1);
  return found[0] as ErpDocumentView;
}

/**
 * Defines the connector contract as Jest `describe`/`it` blocks: every ERP connector must create each document
 * exactly once across a timeout after the ERP stored it, park a document whose mapping is missing (and deliver it
 * after the fix and a replay), keep to the ERP's rate limit with several replicas, refresh its OAuth token once
 * however many callers need it, and, when it supports credit notes, link each credit to its original.
 *
 * `factory` is called once for the file (in `beforeAll`) and must give a connector wired to its sandbox and a real
 * database (see {@link ConnectorUnderTest} for the settings that keep the suite fast); `close()` runs in `afterAll`.
 * Tests a capability rules out are not defined at all, rather than skipped.
 */
export function runConnectorContract(name: string, factory: () => Promise<ConnectorUnderTest>, capabilities: ConnectorCapabilities): void {
  describe(`connector contract: ${name}`, () => {
    let cut: ConnectorUnderTest;
    let replica: ConnectorReplica;

    beforeAll(async () => {
      cut = await factory();
      replica = cut.replica();
    });
    afterAll(async () => {
      await cut?.close();
    });

    if (capabilities.searchableExternalRef) {
      it('creates the document exactly once when the ERP stored it but the create timed out', async () => {
        cut.erpSide.timeoutAfterStoreOnNextCreate('invoice');
        const intent = await open(cut, cut.orderIntent('T-1001'));

        const final = await deliverOne(cut, [replica], intent);

        const inErp = await theDocument(cut, intent.externalRef);
        expect(final).toMatchObject({ status: 'settled', documentNumber: inErp.documentNumber, outcomeUnknown: false, attempts: 1, failures: 1 });
      });
    } else {
      it('parks the document for a person, without creating it again, when a create timed out and the ERP cannot be searched', async () => {
        cut.erpSide.timeoutAfterStoreOnNextCreate('invoice');
        const intent = await open(cut, cut.orderIntent('T-1001'));

        const final = await deliverOne(cut, [replica], intent);

        expect(final).toMatchObject({ status: 'parked', errorCode: 'ERP_OUTCOME_UNKNOWN', outcomeUnknown: true, attempts: 1 });
        await theDocument(cut, intent.externalRef);
      });
    }

    it('parks a document whose tax code has no mapping, sends nothing, and delivers it once mapped and replayed', async () => {
      const intent = await open(cut, cut.orderIntent('M-2001', { taxCodeMapped: false }));

      const parked = await deliverOne(cut, [replica], intent);

      expect(parked).toMatchObject({ status: 'parked', errorCode: 'MAPPING_TAX_CODE_MISSING', errorKind: 'permanent', outcomeUnknown: false, attempts: 0 });
      expect(parked.operatorMessage).toContain('order #M-2001');
      expect(parked.operatorMessage).toContain('Mappings → Tax codes');
      expect(await cut.erpSide.documentsWithExternalRef(intent.externalRef)).toEqual([]);

      await cut.mapMissingTaxCode();
      expect(await cut.intents.reopen(intent.id)).toMatchObject({ status: 'open' });
      const settled = await deliverOne(cut, [replica], intent);

      expect(settled).toMatchObject({ status: 'settled', documentNumber: (await theDocument(cut, intent.externalRef)).documentNumber });
    });

    it('keeps to the ERP rate limit with two replicas delivering at once', async () => {
      const count = cut.rateLimit.requests * 2 + 1;
      const refused = cut.erpSide.rateLimitedRequests();
      const replicas = [cut.replica(), cut.replica()];
      const opened: DocumentIntent[] = [];
      for (let i = 0; i < count; i++) opened.push(await open(cut, cut.orderIntent(`R-${3001 + i}`)));
      const started = Date.now();

      const final = await deliverUntilFinal(
        cut,
        replicas,
        opened.map((i) => i.id),
        30_000,
      );

      expect(final.map((i) => i.status)).toEqual(opened.map(() => 'settled'));
      expect(cut.erpSide.rateLimitedRequests() - refused).toBe(0);
      // 2·requests + 1 creates need at least two full windows.
      expect(Date.now() - started).toBeGreaterThanOrEqual(cut.rateLimit.windowMs * 2);
      for (const intent of opened) await theDocument(cut, intent.externalRef);
    });

    it('refreshes the OAuth token once when many callers on several replicas need a new one at the same moment', async () => {
      const before = await replica.accessToken();
      cut.erpSide.expireAccessTokens();
      await cut.expireStoredAccessToken();
      const tokenRequests = cut.erpSide.tokenRequests();
      const replicas = [cut.replica(), cut.replica(), cut.replica()];

      const tokens = await Promise.all(replicas.flatMap((r) => Array.from({ length: 8 }, () => r.accessToken())));

      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(before);
      expect(cut.erpSide.tokenRequests() - tokenRequests).toBe(1);
      // The new token works (a refresh token used twice would have revoked the connection): a document goes through.
      const intent = await open(cut, cut.orderIntent('A-4001'));
      expect(await deliverOne(cut, replicas, intent)).toMatchObject({ status: 'settled' });
      expect(cut.erpSide.tokenRequests() - tokenRequests).toBe(1);
    });

    it('recovers from an access token the ERP stopped accepting early: one refresh, then the document', async () => {
      cut.erpSide.expireAccessTokens();
      const tokenRequests = cut.erpSide.tokenRequests();
      const intent = await open(cut, cut.orderIntent('A-4002'));

      const final = await deliverOne(cut, [replica, cut.replica()], intent);

      expect(final).toMatchObject({ status: 'settled' });
      expect(cut.erpSide.tokenRequests() - tokenRequests).toBe(1);
      await theDocument(cut, intent.externalRef);
    });

    if (capabilities.supportsCreditNotes) {
      it('links the credit invoice to the original invoice, waiting for the original when the refund comes first', async () => {
        if (!cut.refundIntent) throw new Error('supportsCreditNotes is set but the connector under test has no refundIntent()');
        // Opened first, so it is claimed first and has to wait for its invoice.
        const credit = await open(cut, cut.refundIntent('C-5001', 'refund-1'));
        const invoice = await open(cut, cut.orderIntent('C-5001'));

        const [creditDone, invoiceDone] = await deliverUntilFinal(cut, [replica], [credit.id, invoice.id]);

        expect(invoiceDone).toMatchObject({ status: 'settled' });
        expect(creditDone).toMatchObject({ status: 'settled', failures: expect.any(Number) });
        expect(creditDone?.failures).toBeGreaterThanOrEqual(1);
        expect(await theDocument(cut, credit.externalRef)).toEqual({
          documentNumber: creditDone?.documentNumber,
          externalRef: credit.externalRef,
          isCredit: true,
          creditOf: invoiceDone?.documentNumber,
        });
        expect(await theDocument(cut, invoice.externalRef)).toMatchObject({ isCredit: false, creditOf: null });
      });
    }
  });
}
