import { Inject, Injectable } from '@nestjs/common';
import { div, ONE, parseDecimal, toNumber, ZERO, type Micros } from '../common/decimal';
import { lastModifiedSince, paginate, queryValue, singleSearch, sortItems, type MetaInformation, type Query } from '../common/list-query';
import { INVOICE_PAYMENT_FIELDS, INVOICE_PAYMENT_LIST_ITEM_FIELDS } from '../common/openapi-fields';
import { isObject, readDate, readDecimal, readInteger, readString, unwrap, writableFields } from '../common/payload';
import { pick } from '../common/resource-view';
import { stockholmDate } from '../common/stockholm-time';
import { fortnoxErrors } from '../errors/fortnox.error';
import { InvoicesService } from '../invoices/invoices.service';
import { SANDBOX, type SandboxContext } from '../sandbox.context';
import type { FortnoxObject, FortnoxTenant, StoredInvoicePayment } from '../state/fortnox.state';
import { VouchersService } from '../vouchers/vouchers.service';

/** InvoicePayment is one schema for read and write; these are the fields a client may set. */
const WRITE_FIELDS = new Set(['Amount', 'AmountCurrency', 'Currency', 'CurrencyRate', 'CurrencyUnit', 'InvoiceNumber', 'ModeOfPayment', 'ModeOfPaymentAccount', 'PaymentDate', 'WriteOffs']);

/** BAS 1510 Kundfordringar: Fortnox's predefined receivables account, credited by a customer payment. */
const RECEIVABLES_ACCOUNT = 1510;

/** Guessed: the predefined payment account when the payment names none (1930, the business bank account). */
const DEFAULT_MODE_OF_PAYMENT_ACCOUNT = 1930;

/**
 * Customer payments against invoices. Guessed rules: a payment needs a booked, not cancelled invoice;
 * it lowers the invoice's Balance when registered (not when booked); the invoice gets its
 * FinalPayDate when the balance reaches zero; overpaying is allowed, as in Fortnox's UI.
 */
@Injectable()
export class InvoicePaymentsService {
  constructor(
    @Inject(SANDBOX) private readonly ctx: SandboxContext,
    private readonly invoices: InvoicesService,
    private readonly vouchers: VouchersService,
  ) {}

  create(tenant: FortnoxTenant, body: unknown): FortnoxObject {
    const input = writableFields(unwrap(body, 'InvoicePayment'), WRITE_FIELDS, INVOICE_PAYMENT_FIELDS);
    const invoiceNumber = readInteger(input, 'InvoiceNumber');
    if (invoiceNumber === undefined) throw fortnoxErrors.requiredFieldMissing('InvoiceNumber');
    const invoice = tenant.invoices.get(invoiceNumber);
    if (!invoice) throw fortnoxErrors.invoiceNotFound(String(invoiceNumber), 'InvoiceNumber');
    if (invoice.data.Cancelled === true) throw fortnoxErrors.invoiceCancelled(String(invoiceNumber));
    if (invoice.data.Booked !== true) throw fortnoxErrors.invoiceNotBooked(String(invoiceNumber), 'registrera en inbetalning');

    const amount = readDecimal(input, 'Amount');
    if (amount === undefined || amount === ZERO) throw fortnoxErrors.requiredFieldMissing('Amount');
    // Guessed: a credit invoice (negative balance) takes negative payments (money paid back), an invoice positive ones.
    const credit = invoice.data.Credit === 'true';
    if ((amount < ZERO) !== credit) throw fortnoxErrors.paymentSignMismatch(String(invoiceNumber), credit);
    // Amount is in the company's currency (SEK); a payment of an invoice in another currency also states the amount in
    // that currency (AmountCurrency), which is what lowers the invoice's Balance (kept in the invoice currency).
    const foreign = String(invoice.data.Currency ?? 'SEK') !== 'SEK';
    const amountCurrency = readDecimal(input, 'AmountCurrency');
    if (foreign && amountCurrency === undefined) throw fortnoxErrors.requiredFieldMissing('AmountCurrency');
    if (amountCurrency !== undefined && (amountCurrency < ZERO) !== credit) throw fortnoxErrors.paymentSignMismatch(String(invoiceNumber), credit);
    const currency = readString(input, 'Currency', 3);
    if (currency !== undefined && currency !== invoice.data.Currency) throw fortnoxErrors.invalidValue('Currency', currency, `the invoice's currency ${String(invoice.data.Currency)}`);
    const paymentDate = readDate(input, 'PaymentDate') ?? stockholmDate(this.ctx.now());
    const account = readInteger(input, 'ModeOfPaymentAccount') ?? DEFAULT_MODE_OF_PAYMENT_ACCOUNT;
    if (!tenant.accounts.has(account)) throw fortnoxErrors.accountNotFound(account, 'ModeOfPaymentAccount');
    const writeOffs = this.writeOffs(tenant, input.WriteOffs);
    const settled = (foreign ? (amountCurrency as Micros) : amount) + writeOffs.reduce((n, w) => n + w.amount, ZERO);

    const number = ++tenant.sequences.invoicePayment;
    const data: FortnoxObject = {
      Amount: toNumber(amount),
      AmountCurrency: toNumber(amountCurrency ?? amount),
      Booked: false,
      Currency: invoice.data.Currency,
      CurrencyRate: toNumber(readDecimal(input, 'CurrencyRate') ?? (foreign && amountCurrency ? div(amount, amountCurrency) : ONE)),
      CurrencyUnit: toNumber(readDecimal(input, 'CurrencyUnit') ?? ONE),
      ExternalInvoiceReference1: invoice.data.ExternalInvoiceReference1,
      ExternalInvoiceReference2: invoice.data.ExternalInvoiceReference2,
      InvoiceCustomerName: invoice.data.CustomerName,
      InvoiceCustomerNumber: invoice.data.CustomerNumber,
      InvoiceDueDate: invoice.data.DueDate,
      InvoiceNumber: invoiceNumber,
      InvoiceOCR: invoice.data.OCR,
      InvoiceTotal: String(invoice.data.Total),
      ModeOfPayment: readString(input, 'ModeOfPayment') ?? '',
      ModeOfPaymentAccount: account,
      Number: String(number),
      PaymentDate: paymentDate,
      Source: 'manual',
      VoucherNumber: null,
      VoucherSeries: null,
      VoucherYear: null,
      WriteOffs: writeOffs.map((w) => w.view),
    };
    const stored: StoredInvoicePayment = { data, number, amount: settled, lastModified: this.ctx.now() };
    tenant.invoicePayments.set(number, stored);

    invoice.balance -= settled;
    this.invoices.touch(invoice, {
      Balance: toNumber(invoice.balance),
      FinalPayDate: invoice.balance === ZERO ? paymentDate : null,
    });
    return this.view(stored);
  }

  get(tenant: FortnoxTenant, number: string): FortnoxObject {
    return this.view(this.find(tenant, number));
  }

  /**
   * Books the payment on a C-series voucher (Fortnox's predefined series for customer payments) in the voucher
   * register: the payment account (ModeOfPaymentAccount) against the receivable 1510, sides by the payment's sign, so
   * the register shows what a payment did to each account. Refused in a locked period or outside the financial years.
   */
  bookkeep(tenant: FortnoxTenant, number: string): FortnoxObject {
    const stored = this.find(tenant, number);
    if (stored.data.Booked === true) throw fortnoxErrors.invoicePaymentBooked(number);
    const amount = parseDecimal(stored.data.Amount) ?? ZERO;
    const abs = amount < ZERO ? -amount : amount;
    const paymentAccount = Number(stored.data.ModeOfPaymentAccount);
    const date = String(stored.data.PaymentDate);
    const voucher = this.vouchers.book(tenant, {
      series: 'C',
      year: tenant.financialYears.find((y) => y.FromDate <= date && date <= y.ToDate)?.Id ?? -1,
      transactionDate: date,
      description: `Inbetalning faktura ${String(stored.data.InvoiceNumber)}`,
      referenceNumber: String(stored.number),
      referenceType: 'INVOICEPAYMENT',
      rows: [
        { Account: paymentAccount, Debit: amount > ZERO ? abs : ZERO, Credit: amount < ZERO ? abs : ZERO },
        { Account: RECEIVABLES_ACCOUNT, Debit: amount < ZERO ? abs : ZERO, Credit: amount > ZERO ? abs : ZERO },
      ],
    });
    Object.assign(stored.data, {
      Booked: true,
      VoucherSeries: voucher.series,
      VoucherNumber: voucher.number,
      // Kept as the calendar year of the payment date (as before the voucher register existed); the voucher's own
      // `Year` is the financial year id.
      VoucherYear: Number(date.slice(0, 4)),
    });
    stored.lastModified = this.ctx.now();
    return this.view(stored);
  }

  list(tenant: FortnoxTenant, query: Query): { InvoicePayments: FortnoxObject[]; MetaInformation: MetaInformation } {
    singleSearch(query, ['invoicenumber'], []);
    const invoiceNumber = queryValue(query, 'invoicenumber');
    if (invoiceNumber !== undefined && !/^\d+$/.test(invoiceNumber)) throw fortnoxErrors.invalidParameter(`invoicenumber=${invoiceNumber}`);
    const since = lastModifiedSince(query);
    const found = [...tenant.invoicePayments.values()].filter(
      (p) => (invoiceNumber === undefined || p.data.InvoiceNumber === Number(invoiceNumber)) && (since === undefined || p.lastModified >= since),
    );
    const sorted = sortItems(found, query, { paymentdate: (p) => String(p.data.PaymentDate) });
    const { page, meta } = paginate(sorted, query);
    return {
      InvoicePayments: page.map((p) => pick({ ...this.view(p), WriteOffExist: (p.data.WriteOffs as unknown[]).length > 0 }, INVOICE_PAYMENT_LIST_ITEM_FIELDS)),
      MetaInformation: meta,
    };
  }

  private find(tenant: FortnoxTenant, number: string): StoredInvoicePayment {
    const stored = /^\d+$/.test(number) ? tenant.invoicePayments.get(Number(number)) : undefined;
    if (!stored) throw fortnoxErrors.invoicePaymentNotFound(number);
    return stored;
  }

  private writeOffs(tenant: FortnoxTenant, raw: unknown): { amount: Micros; view: FortnoxObject }[] {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw fortnoxErrors.noData();
    return raw.map((w) => {
      if (!isObject(w)) throw fortnoxErrors.noData();
      const account = readInteger(w, 'AccountNumber');
      if (account === undefined) throw fortnoxErrors.requiredFieldMissing('WriteOffs.AccountNumber');
      if (!tenant.accounts.has(account)) throw fortnoxErrors.accountNotFound(account, 'WriteOffs.AccountNumber');
      const amount = readDecimal(w, 'Amount') ?? ZERO;
      return { amount, view: { ...w, AccountNumber: account, Amount: toNumber(amount) } };
    });
  }

  private view(stored: StoredInvoicePayment): FortnoxObject {
    return { '@url': `${this.ctx.baseUrl}/3/invoicepayments/${stored.number}`, ...stored.data };
  }
}
