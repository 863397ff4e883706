/* eslint-disable @typescript-eslint/no-non-null-assertion -- tests index into fixtures and answers known to hold the element; a wrong index fails the assertion. */
import { payoutKey } from '@ledgerline/contracts';
import { Decimal } from '@ledgerline/money';
import type { Provider } from '@ledgerline/sandbox-psp';
import { bookedMonth, deliverSettlements, ORDERS, publishSources, startMonth, type MonthRun } from './sandbox-month';

/**
 * The month scenario every provider passes: ≥2,000 orders, 100 refunds, 5 chargebacks (one won back), partial
 * captures, SEK orders settled in EUR, a rolling reserve and its releases; settlements delivered before any order.
 */
export function describeMonth(provider: Provider): void {
  describe(`payout-reconciliation: a month of ${provider} settlements from the sandbox`, () => {
    let m: MonthRun;
    let totalBookings = 0;

    beforeAll(async () => {
      m = await startMonth(provider);
    }, 60_000);
    afterAll(async () => m?.close());

    it('stores every payout before the orders exist and lists each order line as waiting, with its reason', async () => {
      expect(m.orders.length).toBeGreaterThanOrEqual(ORDERS);
      const kinds = m.truth.payouts.flatMap((p) => p.lines.map((l) => l.type));
      expect(kinds.filter((k) => k === 'refund')).toHaveLength(100);
      expect(kinds.filter((k) => k === 'chargeback')).toHaveLength(5);
      expect(kinds).toEqual(expect.arrayContaining(['reserve', 'reserve-release', 'chargeback-reversal']));
      // Fees: Stripe and Adyen carry them on each record, Klarna (and Adyen's batch Fee rows) as records of their own.
      expect(m.truth.payouts.flatMap((p) => p.lines).some((l) => l.type === 'fee' || !Decimal.of(l.fee).isZero())).toBe(true);
      await deliverSettlements(m, provider);
      await m.r.admin('POST', '/reconcile');
      const waiting = (await m.r.admin('GET', `/exceptions?provider=${provider}&limit=10000`)).json as Array<{ code: string; reason: string }>;
      expect(waiting.length).toBeGreaterThanOrEqual(ORDERS);
      expect(new Set(waiting.map((e) => e.code))).toEqual(new Set(['ORDER_NOT_FOUND']));
      expect(waiting[0]!.reason).toMatch(new RegExp(`^No order with .* in the stores of tenant "${m.tenantId}" paid with`));
    });

    it('matches every line once orders, refunds and documents arrive, and books every payout to the cent', async () => {
      const { refunds } = await publishSources(m);
      expect(refunds).toBe(100);
      const { total, byKey } = await bookedMonth(m, provider);
      totalBookings = total;
      expect(byKey.size).toBe(m.truth.payouts.length);
      for (const p of m.truth.payouts) {
        const bookings = byKey.get(payoutKey({ tenantId: m.tenantId, provider, payoutId: p.payoutId }));
        expect(bookings?.at(-1)).toMatchObject({ kind: 'bank-payout', amount: { amount: p.amount, currency: p.currency }, bookingDate: p.arrivalDate });
        const sum = Decimal.sum(bookings!.filter((b) => b.kind !== 'bank-payout').map((b) => b.amount.amount as string));
        expect(`${p.payoutId} ${sum.toFixed(2)}`).toBe(`${p.payoutId} ${p.amount}`);
        expect(bookings!.filter((b) => b.kind === 'bank-payout')).toHaveLength(1);
      }
      const all = [...byKey.values()].flat();
      expect(all.filter((b) => b.kind === 'refund')).toHaveLength(100);
      expect(all.filter((b) => b.kind === 'chargeback')).toHaveLength(5);
      expect(all.filter((b) => b.kind === 'chargeback-reversal')).toHaveLength(1);
      expect(all.filter((b) => b.kind === 'refund').every((b) => /^C9\d{5}$/.test(b.document.documentNumber))).toBe(true);
      expect(new Set(all.map((b) => b.bookingId)).size).toBe(all.length);
      expect((await m.r.admin('GET', `/exceptions?provider=${provider}`)).json).toEqual([]);
    }, 180_000);

    it('books nothing twice when the same settlements are delivered again', async () => {
      const first = m.truth.payouts[1]!;
      const csv = m.psp.reportCsv(provider, m.account, first.payoutId);
      const query: Record<string, string> = { fileName: `${provider}-${first.payoutId}.csv`, ...(provider === 'stripe' ? { merchantAccount: m.account } : {}) };
      const upload = await m.r.upload(provider, csv, query);
      expect(upload.status).toBe(200);
      expect(upload.json.linesStored).toBe(0);
      if (provider === 'adyen') expect(upload.json.status).toBe('already-received');
      else {
        expect((await m.r.upload(provider, csv, query)).json.status).toBe('already-received');
        const again = await m.r.admin('POST', `/poll/${provider}`, {});
        expect(again.json[0]).toMatchObject({ payoutsStored: 0, linesStored: 0 });
      }
      await m.r.admin('POST', '/reconcile');
      expect(await m.r.bookings(totalBookings + 1, 3_000)).toHaveLength(totalBookings);
    });

    it('keeps the rest of a report with a malformed row or a row of an unknown merchant account, naming both', async () => {
      const target = m.truth.payouts[2]!;
      m.psp.faults(provider, provider === 'stripe' ? { malformedRow: true } : { malformedRow: true, unknownMerchantAccountRow: true });
      const csv = m.psp.reportCsv(provider, m.account, target.payoutId);
      m.psp.faults(provider, {});
      const upload = await m.r.upload(provider, csv, { fileName: `${provider}-faulty.csv`, ...(provider === 'stripe' ? { merchantAccount: m.account } : {}) });
      expect(upload.status).toBe(200);
      expect(upload.json.status).toBe('received');
      expect(upload.json.refusedRows).toHaveLength(1);
      expect(upload.json.refusedRows[0].row).toBeGreaterThan(1);
      expect(upload.json.refusedRows[0].message).toMatch(/cells, the header has|not a decimal amount/);
      if (provider !== 'stripe') {
        expect(upload.json.unmapped).toHaveLength(1);
        expect(upload.json.unmapped[0].message).toMatch(new RegExp(`^No mapping for ${provider} merchant account "[^"]+": its lines are kept and wait\\. Add one with PUT /mappings/${provider}/`));
        const ex = (await m.r.admin('GET', `/exceptions?provider=${provider}&code=MAPPING_MISSING`)).json as unknown[];
        expect(ex).toHaveLength(1);
      }
      // The payout itself was booked before and stays booked once; nothing more is emitted for it.
      await m.r.admin('POST', '/reconcile');
      expect(await m.r.bookings(totalBookings + 1, 3_000)).toHaveLength(totalBookings);
    });
  });
}
