import { setTimeout as sleep } from 'node:timers/promises';
import { withTransaction } from '@ledgerline/messaging';
import { eventually, type TestDatabase } from '@ledgerline/testing';
import {
  DocumentIntents,
  ErpUnavailableError,
  IntentWorker,
  resolveMapping,
  type DeliveredDocument,
  type DeliveryContext,
  type DeliveryPort,
  type DocumentIntent,
  type OpenIntentInput,
} from '../src';
import { erpKitDatabase, invoiceFor } from './support';

type Payload = { orderNumber: string; total: string };

/**
 * An in-memory ERP behind a DeliveryPort, with the faults the worker must survive. The contract suite covers the same
 * paths against sandbox-fortnox over HTTP; this one isolates the worker's own decisions.
 */
class FakeErp implements DeliveryPort<Payload, { ref: string }> {
  readonly documents = new Map<string, string>();
  creates = 0;
  searches = 0;
  private next = 100;
  private timeouts = 0;
  latencyMs = 0;
  searchable = true;
  hangUntilAborted = false;
  taxCodes = new Map<string, string>([['SE:25', '25']]);

  timeoutAfterStore(n: number): void {
    this.timeouts += n;
  }

  prepare(intent: DocumentIntent<Payload>): { ref: string } {
    resolveMapping(this.taxCodes, intent.payload.total === '0.00' ? 'SE:6' : 'SE:25', { what: 'tax-code', tenant: intent.tenantId, where: { erp: 'FakeERP' } });
    return { ref: intent.externalRef };
  }

  async create(_intent: DocumentIntent<Payload>, prepared: { ref: string }, ctx: DeliveryContext): Promise<DeliveredDocument> {
    this.creates++;
    if (this.hangUntilAborted) {
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)));
    }
    if (this.latencyMs) await sleep(Math.random() * this.latencyMs);
    const number = String(this.next++);
    this.documents.set(prepared.ref, number);
    if (this.timeouts > 0) {
      this.timeouts--;
      throw new ErpUnavailableError({ erp: 'FakeERP', outcome: 'unknown', detail: 'no answer within 700 ms' });
    }
    return { documentNumber: number };
  }

  get findByExternalRef(): DeliveryPort<Payload>['findByExternalRef'] {
    if (!this.searchable) return undefined;
    return async (intent) => {
      this.searches++;
      const number = this.documents.get(intent.externalRef);
      return number === undefined ? null : { documentNumber: number };
    };
  }
}

describe('IntentWorker', () => {
  let db: TestDatabase;
  let intents: DocumentIntents;

  beforeAll(async () => {
    db = await erpKitDatabase('erp_kit_worker', 10);
    await db.pool.query('CREATE TABLE announcements (intent_id uuid PRIMARY KEY, document_number text NOT NULL)');
    intents = new DocumentIntents(db.pool, { schema: db.schema, erp: 'FakeERP', leaseMs: 1000, backoff: { baseMs: 1, maxMs: 1, maxFailures: 5 } });
  });
  afterAll(() => db?.drop());

  let seq = 0;
  /** A fresh connection per test, so one test's intents never reach another's worker. */
  const scope = () => `conn-${++seq}`;
  const open = (input: OpenIntentInput) => withTransaction(db.pool, async (tx) => (await intents.open(tx, input)).intent);
  const workerFor = (erp: FakeErp, connectionId: string, extra: Partial<ConstructorParameters<typeof IntentWorker<Payload, { ref: string }>>[0]> = {}) =>
    new IntentWorker({
      pool: db.pool,
      intents,
      port: erp,
      connectionId,
      onSettled: async (tx, intent, doc) => {
        await tx.query('INSERT INTO announcements (intent_id, document_number) VALUES ($1, $2)', [intent.id, doc.documentNumber]);
      },
      ...extra,
    });
  const announced = async (id: string) => (await db.pool.query('SELECT document_number FROM announcements WHERE intent_id = $1', [id])).rows.map((r) => r.document_number);
  /** Drains until nothing is due, letting the (1 ms) backoff pass between rounds. */
  const drainAll = async (...workers: IntentWorker<Payload, { ref: string }>[]) => {
    const all = [];
    for (let round = 0; round < 50; round++) {
      const outcomes = (await Promise.all(workers.map((w) => w.drain()))).flat();
      all.push(...outcomes);
      if (outcomes.length === 0) return all;
      await sleep(5);
    }
    throw new Error('intents still due after 50 rounds');
  };

  it('creates the document once and announces it in the settle transaction', async () => {
    const erp = new FakeErp();
    const conn = scope();
    const intent = await open(invoiceFor('1001', { connectionId: conn }));

    expect(await workerFor(erp, conn).drain()).toEqual([{ intentId: intent.id, result: 'created', documentNumber: '100' }]);

    expect(await intents.get(intent.id)).toMatchObject({ status: 'settled', documentNumber: '100', attempts: 1, outcomeUnknown: false });
    expect(await announced(intent.id)).toEqual(['100']);
    expect(erp.creates).toBe(1);
  });

  it('finds the document by external reference, instead of creating it again, after a create that stored it but timed out', async () => {
    const erp = new FakeErp();
    const conn = scope();
    erp.timeoutAfterStore(1);
    const intent = await open(invoiceFor('1002', { connectionId: conn }));

    const outcomes = await drainAll(workerFor(erp, conn));

    expect(outcomes.map((o) => o.result)).toEqual(['retry', 'found']);
    expect(erp.creates).toBe(1);
    expect(erp.searches).toBe(1);
    expect(await intents.get(intent.id)).toMatchObject({ status: 'settled', documentNumber: erp.documents.get(intent.externalRef), attempts: 1, failures: 1 });
    expect(await announced(intent.id)).toEqual([erp.documents.get(intent.externalRef)]);
  });

  it('does not create again when the settle transaction failed after the ERP created the document', async () => {
    const erp = new FakeErp();
    const conn = scope();
    const intent = await open(invoiceFor('1003', { connectionId: conn }));
    let failOnce = true;
    const worker = workerFor(erp, conn, {
      onSettled: async (tx, settled, doc) => {
        if (failOnce) {
          failOnce = false;
          throw Object.assign(new Error('could not serialize access'), { code: '40001' });
        }
        await tx.query('INSERT INTO announcements (intent_id, document_number) VALUES ($1, $2)', [settled.id, doc.documentNumber]);
      },
    });

    expect((await drainAll(worker)).map((o) => o.result)).toEqual(['retry', 'found']);
    expect(erp.creates).toBe(1);
    expect(await announced(intent.id)).toEqual(['100']);
  });

  it('resolves the create of a worker that crashed before settling, without a second create', async () => {
    const erp = new FakeErp();
    const conn = scope();
    const intent = await open(invoiceFor('1004', { connectionId: conn }));
    const [held] = await intents.claim(1, { connectionId: conn, workerId: 'crashed' });
    await intents.markAttempt(held!);
    await erp.create(held as DocumentIntent<Payload>, { ref: held!.externalRef }, { signal: new AbortController().signal });
    // The worker dies here. Its lease runs out.
    await db.pool.query(`UPDATE document_intents SET lease_expires_at = now() WHERE id = $1`, [intent.id]);

    expect(await workerFor(erp, conn).drain()).toEqual([{ intentId: intent.id, result: 'found', documentNumber: '100' }]);
    expect(erp.creates).toBe(1);
  });

  it('parks a document whose mapping is missing without calling the ERP or making its outcome unknown', async () => {
    const erp = new FakeErp();
    const conn = scope();
    const intent = await open(invoiceFor('1005', { connectionId: conn, payload: { orderNumber: '1005', total: '0.00' } }));

    expect(await workerFor(erp, conn).drain()).toEqual([{ intentId: intent.id, result: 'parked', code: 'MAPPING_TAX_CODE_MISSING' }]);

    expect(erp.creates).toBe(0);
    const parked = await intents.get(intent.id);
    expect(parked).toMatchObject({ status: 'parked', outcomeUnknown: false, attempts: 0 });
    expect(parked!.operatorMessage).toContain('order #1005 (store "nordic-shop", tenant "acme")');
  });

  it('parks ERP_OUTCOME_UNKNOWN for a person, rather than create twice, when the ERP cannot be searched', async () => {
    const erp = new FakeErp();
    const conn = scope();
    erp.searchable = false;
    erp.timeoutAfterStore(1);
    const intent = await open(invoiceFor('1006', { connectionId: conn }));

    expect((await drainAll(workerFor(erp, conn))).map((o) => o.result)).toEqual(['retry', 'parked']);

    expect(erp.creates).toBe(1);
    const parked = await intents.get(intent.id);
    expect(parked).toMatchObject({ status: 'parked', errorCode: 'ERP_OUTCOME_UNKNOWN', outcomeUnknown: true });
    expect(parked!.operatorMessage).toContain('external reference "woo:nordic-shop:1006"');
  });

  it('calls nothing for an intent another worker has taken over', async () => {
    const erp = new FakeErp();
    const conn = scope();
    const intent = await open(invoiceFor('1007', { connectionId: conn }));
    const [stale] = await intents.claim(1, { connectionId: conn, workerId: 'slow' });
    await db.pool.query(`UPDATE document_intents SET lease_expires_at = now() WHERE id = $1`, [intent.id]);
    await intents.claim(1, { connectionId: conn, workerId: 'other' });

    expect(await workerFor(erp, conn).deliver(stale as DocumentIntent<Payload>)).toEqual({ intentId: intent.id, result: 'lease-lost' });
    expect(erp.creates).toBe(0);
    expect(await intents.get(intent.id)).toMatchObject({ status: 'open', claimedBy: 'other' });
  });

  it('cuts off a call that would outlive the lease, and keeps the outcome unknown', async () => {
    const erp = new FakeErp();
    const conn = scope();
    erp.hangUntilAborted = true;
    const intent = await open(invoiceFor('1008', { connectionId: conn }));
    const started = Date.now();

    expect(await workerFor(erp, conn).runOnce()).toEqual([{ intentId: intent.id, result: 'retry', code: 'INTENT_LEASE_DEADLINE_REACHED' }]);

    // Cut at 80 % of the 1000 ms lease, not left hanging (the slack is for a busy test machine).
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await intents.get(intent.id)).toMatchObject({ status: 'open', outcomeUnknown: true });
  });

  it('creates each document exactly once when several workers drain the same intents', async () => {
    const erp = new FakeErp();
    const conn = scope();
    erp.latencyMs = 10;
    const opened = [];
    for (let i = 0; i < 30; i++) opened.push(await open(invoiceFor(`2${String(i).padStart(3, '0')}`, { connectionId: conn })));
    const workers = [1, 2, 3].map((n) => workerFor(erp, conn, { workerId: `w${n}`, batchSize: 4, concurrency: 3 }));

    const outcomes = await drainAll(...workers);

    expect(outcomes.filter((o) => o.result === 'created')).toHaveLength(30);
    expect(erp.creates).toBe(30);
    expect(new Set(erp.documents.values()).size).toBe(30);
    const settled = await Promise.all(opened.map((i) => intents.get(i.id)));
    expect(settled.map((i) => i!.documentNumber)).toEqual(opened.map((i) => erp.documents.get(i.externalRef)));
  });

  it('keeps delivering in the background between start and stop', async () => {
    const erp = new FakeErp();
    const conn = scope();
    const worker = workerFor(erp, conn, { idleMs: 20 });
    worker.start();
    try {
      const intent = await open(invoiceFor('3001', { connectionId: conn }));
      await eventually(async () => (await intents.get(intent.id))?.status === 'settled', { timeoutMs: 5000, description: 'the background worker to settle the intent' });
    } finally {
      await worker.stop();
    }
    const after = await open(invoiceFor('3002', { connectionId: conn }));
    await sleep(100);
    expect(await intents.get(after.id)).toMatchObject({ status: 'open' });
    expect(erp.creates).toBe(1);
  });
});
