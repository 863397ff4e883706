import type { PayoutBookingRequested } from '@ledgerline/contracts';
import { LedgerlineError, type DeliveredDocument, type DeliveryContext, type DeliveryPort, type DocumentIntent, type DocumentIntents } from '@ledgerline/erp-kit';
import { Decimal } from '@ledgerline/money';
import { counter } from '@ledgerline/observability';
import type { FortnoxCall, FortnoxClient } from '../client/fortnox.client';
import type { Invoice, MetaInformation } from '../client/fortnox.types';
import { describeBooking, documentKindOf, toInvoicePayment, toVoucher, validateBooking, type InvoicePaymentWrite, type PayoutBookingIntentPayload, type VoucherWrite } from './payout-booking.mapper';

/** What `prepare` hands to `create`: the Fortnox request of the booking. */
export type PreparedBooking = { payment: InvoicePaymentWrite } | { voucher: VoucherWrite };

interface FinancialYear {
  Id: number;
  FromDate: string;
  ToDate: string;
}

interface VoucherListItem {
  Description: string;
  ReferenceNumber: string;
  TransactionDate: string;
  VoucherNumber: number;
  VoucherSeries: string;
  Year: number;
}

interface InvoicePaymentRead {
  Number: string;
  Amount: number;
  InvoiceNumber: number;
  PaymentDate: string;
  ModeOfPayment?: string;
  ModeOfPaymentAccount?: number;
  Booked: boolean;
}

/** Bookings by kind and outcome (created, found, retry, parked); `skipped` (zero amounts) is counted by the handler. */
export const payoutBookings = counter({
  name: 'ledgerline_fortnox_payout_bookings_total',
  help: 'Payout bookings handled by connector-fortnox, by booking kind and outcome (created, found, retry, parked, skipped).',
  labelNames: ['kind', 'outcome'] as const,
});

/** Codes this port raises itself; never re-explained. */
const OWN_CODES = new Set(['FORTNOX_INVOICE_NOT_FOUND', 'FORTNOX_BOOKING_DOCUMENT_MISMATCH', 'FORTNOX_INVOICE_CANCELLED', 'FORTNOX_INVOICE_ALREADY_PAID', 'FORTNOX_FINANCIAL_YEAR_MISSING', 'FORTNOX_PERIOD_LOCKED', 'FORTNOX_ACCOUNT_MISSING', 'FORTNOX_BOOKING_REJECTED']);

/** Fortnox's code for "Kunde inte hitta konto" (errors page, seen 2026-11; sandbox README "verified"). */
const ACCOUNT_NOT_FOUND = '2001304';

/**
 * Books payout bookings in Fortnox: `invoice-payment` and `refund` as invoice payments (then bookkept), every other
 * kind as a voucher in the configured series. Exactly once through the document intent per booking: after an unclear
 * call, `findByExternalRef` looks for the voucher carrying the booking's reference, or for an invoice payment of the
 * invoice with the booking's amount, date, mode of payment and account that no other intent has recorded (a Fortnox
 * payment carries no reference of ours).
 */
export class FortnoxPayoutPort implements DeliveryPort<PayoutBookingIntentPayload, PreparedBooking> {
  /** Financial years per connection, so a booking date costs one lookup per year and process. */
  private readonly years = new Map<string, FinancialYear[]>();

  constructor(
    private readonly client: FortnoxClient,
    private readonly intents: DocumentIntents,
    private readonly opts: { voucherSeries: string },
  ) {}

  prepare(intent: DocumentIntent<PayoutBookingIntentPayload>): PreparedBooking {
    const b = intent.payload.booking;
    return this.counted(b, () => {
      validateBooking(b, intent.connectionId);
      return documentKindOf(b.kind) === 'payment' ? { payment: toInvoicePayment(b) } : { voucher: toVoucher(b, this.opts.voucherSeries, intent.externalRef) };
    });
  }

  async findByExternalRef(intent: DocumentIntent<PayoutBookingIntentPayload>, ctx: DeliveryContext): Promise<DeliveredDocument | null> {
    const b = intent.payload.booking;
    const at = this.at(intent, ctx);
    const found = await this.countedAsync(b, async () => (documentKindOf(b.kind) === 'payment' ? this.findPayment(intent, at) : this.findVoucher(intent, at)));
    if (found) payoutBookings.inc({ kind: b.kind, outcome: 'found' });
    return found;
  }

  async create(intent: DocumentIntent<PayoutBookingIntentPayload>, prepared: PreparedBooking, ctx: DeliveryContext): Promise<DeliveredDocument> {
    const b = intent.payload.booking;
    const at = this.at(intent, ctx);
    const doc = await this.countedAsync(b, () => ('payment' in prepared ? this.pay(intent, prepared.payment, at) : this.postVoucher(intent, prepared.voucher, at)));
    payoutBookings.inc({ kind: b.kind, outcome: 'created' });
    return doc;
  }

  private async findVoucher(intent: DocumentIntent<PayoutBookingIntentPayload>, at: FortnoxCall): Promise<DeliveredDocument | null> {
    const b = intent.payload.booking;
    const year = await this.yearOf(b.bookingDate, at);
    if (!year) return null; // no year holds the date: nothing can have been booked
    const series = encodeURIComponent(this.opts.voucherSeries);
    const suffix = ` (${b.bookingId})`;
    for (let page = 1; ; page++) {
      const list = await this.client.get<{ Vouchers: VoucherListItem[]; MetaInformation: MetaInformation }>(
        `/3/vouchers/sublist/${series}?financialyear=${year.Id}&fromdate=${b.bookingDate}&todate=${b.bookingDate}&limit=500&page=${page}`,
        at,
      );
      // The reference is compared exactly; the description's "(bookingId)" ending is the fallback a person's copy keeps.
      const hit = list.Vouchers.find((v) => v.ReferenceNumber === intent.externalRef) ?? list.Vouchers.find((v) => v.Description.endsWith(suffix));
      if (hit) return voucherDocument(hit.VoucherSeries, hit.VoucherNumber, hit.Year, { foundBy: hit.ReferenceNumber === intent.externalRef ? 'referencenumber' : 'description' });
      if (page >= list.MetaInformation['@TotalPages']) return null;
    }
  }

  private async findPayment(intent: DocumentIntent<PayoutBookingIntentPayload>, at: FortnoxCall): Promise<DeliveredDocument | null> {
    const b = intent.payload.booking;
    const want = toInvoicePayment(b);
    const amount = Decimal.of(b.amount.amount);
    for (let page = 1; ; page++) {
      const list = await this.client.get<{ InvoicePayments: InvoicePaymentRead[]; MetaInformation: MetaInformation }>(
        `/3/invoicepayments?invoicenumber=${want.InvoiceNumber}&limit=500&page=${page}`,
        at,
      );
      for (const p of list.InvoicePayments) {
        if (p.PaymentDate !== want.PaymentDate || !Decimal.of(String(p.Amount)).eq(amount)) continue;
        // Another booking (or the order's own payment) with the same amount and date already recorded this one.
        const owners = await this.intents.findByDocumentNumber(intent.connectionId, String(p.Number));
        if (owners.some((o) => o.id !== intent.id && o.documentKind === 'payment' && o.status === 'settled')) continue;
        const { InvoicePayment: full } = await this.client.get<{ InvoicePayment: InvoicePaymentRead }>(`/3/invoicepayments/${encodeURIComponent(p.Number)}`, at);
        if (full.ModeOfPayment !== want.ModeOfPayment || Number(full.ModeOfPaymentAccount) !== want.ModeOfPaymentAccount) continue;
        // The create landed but its bookkeeping may not have: finish it, so a found payment is as booked as a created one.
        if (!full.Booked) await this.client.put(`/3/invoicepayments/${encodeURIComponent(full.Number)}/bookkeep`, undefined, at);
        return paymentDocument(full.Number, want, { foundBy: 'invoicenumber+amount+date' });
      }
      if (page >= list.MetaInformation['@TotalPages']) return null;
    }
  }

  /** Registers the payment on the (credit) invoice, booking the invoice first when Fortnox has not, then books the payment. */
  private async pay(intent: DocumentIntent<PayoutBookingIntentPayload>, payment: InvoicePaymentWrite, at: FortnoxCall): Promise<DeliveredDocument> {
    const b = intent.payload.booking;
    const refund = b.kind === 'refund';
    const noun = refund ? 'credit invoice' : 'invoice';
    const order = b.document ? `order #${b.document.orderRef.orderNumber} (store "${b.document.orderRef.storeId}")` : 'the order';
    const path = `/3/invoices/${payment.InvoiceNumber}`;
    const found = await this.client.find<{ Invoice: Invoice & { Balance: number } }>(path, at);
    if (!found) {
      throw this.refuse(b, intent, 'FORTNOX_INVOICE_NOT_FOUND', `Fortnox has no ${noun} ${payment.InvoiceNumber} (the ${noun} of ${order})`, `Check in the order's sync log that its ${noun} reached Fortnox and that payout reconciliation matched the right document, then replay the booking.`);
    }
    const inv = found.Invoice;
    const isCredit = inv.Credit === true || inv.Credit === 'true';
    if (isCredit !== refund) {
      throw this.refuse(b, intent, 'FORTNOX_BOOKING_DOCUMENT_MISMATCH', `Fortnox document ${inv.DocumentNumber} is ${isCredit ? 'a credit invoice' : 'an invoice'}, but a ${b.kind} is booked on ${refund ? 'a credit invoice' : 'an invoice'}`, 'Correct the matched document in payout reconciliation, then replay the booking.');
    }
    if (inv.Cancelled) {
      throw this.refuse(b, intent, 'FORTNOX_INVOICE_CANCELLED', `Fortnox ${noun} ${inv.DocumentNumber} is cancelled, so no payment can be registered on it`, 'Register the payment on the right document in Fortnox by hand, or correct the match in payout reconciliation, then replay or discard the booking.');
    }
    if (!refund && Number(inv.Balance) === 0) {
      throw this.refuse(
        b,
        intent,
        'FORTNOX_INVOICE_ALREADY_PAID',
        `Fortnox invoice ${inv.DocumentNumber} is already fully paid (balance 0), so this payment would pay it twice`,
        'If the store’s payment method also registers payments (Mappings → Payment methods → registerPayment), turn that off for methods whose payouts are booked; remove the duplicate payment in Fortnox or discard this booking.',
      );
    }
    try {
      if (!inv.Booked) await this.client.put(`${path}/bookkeep`, undefined, at);
      const { InvoicePayment: paid } = await this.client.post<{ InvoicePayment: InvoicePaymentRead }>('/3/invoicepayments', { InvoicePayment: payment }, at);
      try {
        await this.client.put(`/3/invoicepayments/${encodeURIComponent(paid.Number)}/bookkeep`, undefined, at);
      } catch (err) {
        // The payment exists: whatever failed, the next attempt must find it, never create a second one.
        throw await this.explain(err, b, intent, at, { applied: `Fortnox registered payment ${paid.Number} but did not book it` });
      }
      return paymentDocument(paid.Number, payment, {});
    } catch (err) {
      throw await this.explain(err, b, intent, at, {});
    }
  }

  private async postVoucher(intent: DocumentIntent<PayoutBookingIntentPayload>, voucher: VoucherWrite, at: FortnoxCall): Promise<DeliveredDocument> {
    const b = intent.payload.booking;
    const year = await this.yearOf(b.bookingDate, at);
    if (!year) {
      throw this.refuse(b, intent, 'FORTNOX_FINANCIAL_YEAR_MISSING', `the Fortnox company has no financial year holding ${b.bookingDate}`, 'Create the financial year in Fortnox (Inställningar → Räkenskapsår), then replay the booking.');
    }
    try {
      const { Voucher: v } = await this.client.post<{ Voucher: VoucherListItem }>(`/3/vouchers?financialyear=${year.Id}`, { Voucher: voucher }, at);
      return voucherDocument(v.VoucherSeries, v.VoucherNumber, v.Year, {});
    } catch (err) {
      throw await this.explain(err, b, intent, at, {});
    }
  }

  /**
   * A permanent Fortnox rejection, rephrased for the person who must fix it: a locked period (read from
   * /3/settings/lockedperiod, so it does not depend on a code), a missing account (Fortnox 2001304), or else Fortnox's
   * own message with the accounts and series involved. Transient errors pass through unchanged, except that
   * `applied` marks a write that already landed, so the next attempt searches instead of creating.
   */
  private async explain(err: unknown, b: PayoutBookingRequested, intent: DocumentIntent, at: FortnoxCall, opts: { applied?: string }): Promise<unknown> {
    if (!(err instanceof LedgerlineError) || OWN_CODES.has(err.code)) return err;
    if (err.kind !== 'permanent' || err.code === 'ERP_AUTH_REVOKED') {
      if (opts.applied) (err as { notApplied?: boolean }).notApplied = false;
      return err;
    }
    const fortnox = err.detail ? ` (${err.detail.replace(/^.*?: HTTP /, 'HTTP ')})` : '';
    const applied = opts.applied ? `${opts.applied}. ` : '';
    const accounts = `clearing account ${b.accounts.clearing}${b.accounts.counter ? `, counter account ${b.accounts.counter}` : ''}`;
    let locked: string | null = null;
    try {
      const { LockedPeriod } = await this.client.get<{ LockedPeriod?: { EndDate?: string } }>('/3/settings/lockedperiod', at);
      locked = LockedPeriod?.EndDate ? LockedPeriod.EndDate : null;
    } catch {
      locked = null; // the explanation is best effort; the rejection itself stands
    }
    const vendorCode = (err as { vendorCode?: string }).vendorCode;
    const missing = vendorCode === ACCOUNT_NOT_FOUND ? await this.missingAccounts(b, at) : [];
    const missingText = missing.length > 0 ? missing.map(([n, role]) => `account ${n} (the ${role} account)`).join(' and ') : `an account it uses (${accounts})`;
    const [code, problem, fix] =
      locked !== null && b.bookingDate <= locked
        ? ['FORTNOX_PERIOD_LOCKED', `${applied}the booking date ${b.bookingDate} is in Fortnox's locked period (locked through ${locked})${fortnox}`, 'Unlock the period in Fortnox (Inställningar → Bokföring → Låsning av period) or book the payout by hand in an open period, then replay or discard the booking.']
        : vendorCode === ACCOUNT_NOT_FOUND
          ? ['FORTNOX_ACCOUNT_MISSING', `${applied}${missingText} ${missing.length > 1 ? 'do' : 'does'} not exist in the company's chart of accounts${fortnox}`, `Add the account in Fortnox (Bokföring → Kontoplan) or change the ${b.kind} account in the payout mapping, then replay the booking.`]
          : ['FORTNOX_BOOKING_REJECTED', `${applied}Fortnox refused it${fortnox}`, `Check the ${accounts}, voucher series ${this.opts.voucherSeries} and the financial year of ${b.bookingDate} in Fortnox, correct them or the payout mapping, then replay the booking.`];
    return this.refuse(b, intent, code, problem, fix, { applied: opts.applied !== undefined, cause: err, detail: err.detail });
  }

  /** Which of the booking's accounts Fortnox does not have (`GET /3/accounts/{n}`), with their role; best effort. */
  private async missingAccounts(b: PayoutBookingRequested, at: FortnoxCall): Promise<[string, string][]> {
    const roles: [string, string][] = [[b.accounts.clearing, 'clearing']];
    if (b.accounts.counter) roles.push([b.accounts.counter, b.kind]);
    const missing: [string, string][] = [];
    for (const [number, role] of roles) {
      try {
        if ((await this.client.find(`/3/accounts/${encodeURIComponent(number)}`, at)) === null) missing.push([number, role]);
      } catch {
        return [];
      }
    }
    return missing;
  }

  private refuse(b: PayoutBookingRequested, intent: DocumentIntent, code: string, problem: string, fix: string, opts: { applied?: boolean; cause?: unknown; detail?: string } = {}): LedgerlineError {
    return new LedgerlineError({
      code,
      kind: 'permanent',
      operatorMessage: `Fortnox could not book the ${describeBooking(b)}: ${problem}. ${fix}`,
      context: this.intents.contextOf(intent),
      notApplied: !opts.applied,
      ...(opts.cause === undefined ? {} : { cause: opts.cause }),
      ...(opts.detail === undefined ? {} : { detail: opts.detail }),
    });
  }

  /** The financial year holding `date`, from Fortnox (`GET /3/financialyears?Date=`), cached per connection. */
  private async yearOf(date: string, at: FortnoxCall): Promise<FinancialYear | null> {
    const known = this.years.get(at.connectionId) ?? [];
    const hit = known.find((y) => y.FromDate <= date && date <= y.ToDate);
    if (hit) return hit;
    const { FinancialYears } = await this.client.get<{ FinancialYears: FinancialYear[] }>(`/3/financialyears?Date=${date}`, at);
    const year = FinancialYears.find((y) => y.FromDate <= date && date <= y.ToDate) ?? null;
    if (year) this.years.set(at.connectionId, [...known, year]);
    return year;
  }

  private at(intent: DocumentIntent, ctx: DeliveryContext): FortnoxCall {
    return { connectionId: intent.connectionId, signal: ctx.signal, context: this.intents.contextOf(intent) };
  }

  private counted<T>(b: PayoutBookingRequested, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      payoutBookings.inc({ kind: b.kind, outcome: outcomeOf(err) });
      throw err;
    }
  }

  private async countedAsync<T>(b: PayoutBookingRequested, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      payoutBookings.inc({ kind: b.kind, outcome: outcomeOf(err) });
      throw err;
    }
  }
}

function outcomeOf(err: unknown): 'retry' | 'parked' {
  return err instanceof LedgerlineError && err.kind === 'transient' ? 'retry' : 'parked';
}

function voucherDocument(series: string, number: number, year: number, extra: Record<string, unknown>): DeliveredDocument {
  return { documentNumber: `${series}${number}`, erpResponseSummary: { voucherSeries: series, voucherNumber: number, financialYear: year, ...extra } };
}

function paymentDocument(number: string, p: InvoicePaymentWrite, extra: Record<string, unknown>): DeliveredDocument {
  return { documentNumber: String(number), erpResponseSummary: { invoiceNumber: p.InvoiceNumber, amount: p.Amount, paymentDate: p.PaymentDate, modeOfPaymentAccount: p.ModeOfPaymentAccount, ...extra } };
}
