import { Inject, Injectable } from '@nestjs/common';
import { ONE, parseDecimal, toFixed, toNumber, ZERO, type Micros } from '../common/decimal';
import { ilike, lastModifiedSince, paginate, queryValue, singleSearch, sortItems, type MetaInformation, type Query } from '../common/list-query';
import { INVOICE_FIELDS, INVOICE_LIST_ITEM_FIELDS, INVOICE_ROW_FIELDS, INVOICE_ROW_WRITE_FIELDS, INVOICE_WRITE_FIELDS } from '../common/openapi-fields';
import { isBlank, isObject, readBoolean, readDate, readDecimal, readInteger, readString, unwrap, writableFields } from '../common/payload';
import { pick } from '../common/resource-view';
import { addDays, parseStockholmDateTime, stockholmDate } from '../common/stockholm-time';
import { fortnoxErrors } from '../errors/fortnox.error';
import { SANDBOX, type SandboxContext } from '../sandbox.context';
import { DEFAULT_SALES_ACCOUNT_BY_VAT, SWEDISH_VAT_RATES } from '../state/chart-of-accounts';
import type { FortnoxObject, FortnoxTenant, StoredInvoice } from '../state/fortnox.state';
import { computeInvoiceTotals, type RowAmounts } from './invoice-totals';

/** Text fields with an OpenAPI maxLength that a connector fills from shop data. */
const MAX_LENGTHS: Record<string, number> = {
  ExternalInvoiceReference1: 80,
  ExternalInvoiceReference2: 80,
  YourOrderNumber: 75,
  YourReference: 50,
  OurReference: 50,
  Remarks: 1024,
  Comments: 1024,
};

/** Fields copied from the customer card when the invoice does not give them. */
const FROM_CUSTOMER: Record<string, string> = {
  CustomerName: 'Name',
  Address1: 'Address1',
  Address2: 'Address2',
  ZipCode: 'ZipCode',
  City: 'City',
  Country: 'Country',
  Phone1: 'Phone1',
  Phone2: 'Phone2',
  OrganisationNumber: 'OrganisationNumber',
  DeliveryName: 'DeliveryName',
  DeliveryAddress1: 'DeliveryAddress1',
  DeliveryAddress2: 'DeliveryAddress2',
  DeliveryZipCode: 'DeliveryZipCode',
  DeliveryCity: 'DeliveryCity',
  DeliveryCountry: 'DeliveryCountry',
  WayOfDelivery: 'WayOfDelivery',
  TermsOfDelivery: 'TermsOfDelivery',
  YourReference: 'YourReference',
  OurReference: 'OurReference',
  PriceList: 'PriceList',
};

/** Query parameters of GET /3/invoices (OpenAPI `list_20`) that search text with ILIKE, and their field. */
const TEXT_SEARCHES: Record<string, string> = {
  costcenter: 'CostCenter',
  customername: 'CustomerName',
  customernumber: 'CustomerNumber',
  documentnumber: 'DocumentNumber',
  ocr: 'OCR',
  ourreference: 'OurReference',
  project: 'Project',
  externalinvoicereference1: 'ExternalInvoiceReference1',
  externalinvoicereference2: 'ExternalInvoiceReference2',
  yourreference: 'YourReference',
  yourordernumber: 'YourOrderNumber',
  currency: 'Currency',
};
/** Searches on flags and the invoice type: equality, since ILIKE on "true" makes no sense. */
const EXACT_SEARCHES: Record<string, string> = { credit: 'Credit', sent: 'Sent', notcompleted: 'NotCompleted', invoicetype: 'InvoiceType' };
/** Searches in the OpenAPI that the sandbox does not implement; using one is 2000588, so nobody believes a silent no-op. */
const UNSUPPORTED_SEARCHES = ['label', 'fromfinalpaydate', 'tofinalpaydate', 'accountnumberfrom', 'accountnumberto', 'articledescription'];
const GLOBAL_PARAMETERS = ['fromdate', 'todate', 'financialyear', 'financialyeardate'];

/** The balance at which an invoice counts as paid. */
const isZero = (m: Micros) => m === ZERO;

/**
 * A tenant's invoices: creation with Fortnox's own totals, the state machine of bookkeep / cancel /
 * credit, and the list search connectors use to find an invoice by their external reference.
 */
@Injectable()
export class InvoicesService {
  constructor(@Inject(SANDBOX) private readonly ctx: SandboxContext) {}

  create(tenant: FortnoxTenant, body: unknown): FortnoxObject {
    const input = writableFields(unwrap(body, 'Invoice'), INVOICE_WRITE_FIELDS, INVOICE_FIELDS);
    const requested = readInteger(input, 'DocumentNumber');
    if (requested !== undefined && tenant.invoices.has(requested)) {
      throw fortnoxErrors.invalidValue('DocumentNumber', requested, 'a document number not in use');
    }
    const creditOf = this.creditReference(tenant, input);
    const built = this.build(tenant, input);
    const documentNumber = requested ?? this.nextDocumentNumber(tenant);
    const stored: StoredInvoice = { data: {}, input, documentNumber, balance: built.total, lastModified: this.ctx.now() };
    stored.data = { ...built.data, ...this.identity(documentNumber), Balance: toNumber(built.total) };
    if (creditOf) {
      stored.data.Credit = 'true';
      stored.data.CreditInvoiceReference = String(creditOf.documentNumber);
      // The original points at its (first) credit invoice, as PUT /credit leaves it.
      if (creditOf.data.CreditInvoiceReference === '0') this.touch(creditOf, { CreditInvoiceReference: String(documentNumber) });
    }
    tenant.invoices.set(documentNumber, stored);
    return this.view(stored);
  }

  get(tenant: FortnoxTenant, documentNumber: string): FortnoxObject {
    return this.view(this.find(tenant, documentNumber));
  }

  /** Changes an unbooked invoice; rows, when given, replace all rows (our reading of Fortnox's PUT). */
  update(tenant: FortnoxTenant, documentNumber: string, body: unknown): FortnoxObject {
    const stored = this.find(tenant, documentNumber);
    this.assertOpen(stored, 'ändras');
    const changes = writableFields(unwrap(body, 'Invoice'), INVOICE_WRITE_FIELDS, INVOICE_FIELDS);
    delete changes.DocumentNumber;
    delete changes.CreditInvoiceReference;
    const input = { ...stored.input, ...changes };
    const built = this.build(tenant, input);
    const kept = { Credit: stored.data.Credit, CreditInvoiceReference: stored.data.CreditInvoiceReference };
    stored.input = input;
    stored.balance = built.total;
    stored.data = { ...built.data, ...this.identity(stored.documentNumber), ...kept, Balance: toNumber(built.total) };
    stored.lastModified = this.ctx.now();
    return this.view(stored);
  }

  /** Books the invoice on a B-series voucher (Fortnox's predefined series for customer invoices). */
  bookkeep(tenant: FortnoxTenant, documentNumber: string): FortnoxObject {
    const stored = this.find(tenant, documentNumber);
    if (stored.data.Cancelled === true) throw fortnoxErrors.invoiceCancelled(documentNumber);
    if (stored.data.Booked === true) throw fortnoxErrors.invoiceBooked(documentNumber, 'bokföras igen');
    this.touch(stored, {
      Booked: true,
      VoucherSeries: 'B',
      VoucherNumber: ++tenant.sequences.voucherB,
      VoucherYear: Number(String(stored.data.InvoiceDate).slice(0, 4)),
    });
    return this.view(stored);
  }

  /** Cancels ("makulerar") an unbooked invoice; a booked one must be credited instead. */
  cancel(tenant: FortnoxTenant, documentNumber: string): FortnoxObject {
    const stored = this.find(tenant, documentNumber);
    this.assertOpen(stored, 'makuleras');
    stored.balance = ZERO;
    this.touch(stored, { Cancelled: true, Balance: 0 });
    return this.view(stored);
  }

  /**
   * Creates a credit invoice for the whole invoice: a copy with negated quantities, dated today, marked
   * Credit "true" and pointing back through CreditInvoiceReference; the original then points at it.
   * Answers the original invoice, as the OpenAPI says ("the updated invoice"). Guessed rules: only a
   * booked invoice can be credited this way, and only once.
   */
  credit(tenant: FortnoxTenant, documentNumber: string): FortnoxObject {
    const original = this.find(tenant, documentNumber);
    if (original.data.Cancelled === true) throw fortnoxErrors.invoiceCancelled(documentNumber);
    if (original.data.Booked !== true) throw fortnoxErrors.invoiceNotBooked(documentNumber, 'krediteras');
    if (original.data.Credit === 'true' || original.data.CreditInvoiceReference !== '0') throw fortnoxErrors.invoiceAlreadyCredited(documentNumber);
    const rows = Array.isArray(original.input.InvoiceRows) ? (original.input.InvoiceRows as FortnoxObject[]) : [];
    const { InvoiceDate: _date, DueDate: _due, DocumentNumber: _number, ...rest } = original.input;
    this.create(tenant, {
      Invoice: {
        ...rest,
        CreditInvoiceReference: documentNumber,
        // An AMOUNT discount is taken off the row total, so it changes sign with the quantity.
        InvoiceRows: rows.map((row) => ({
          ...row,
          DeliveredQuantity: negate(row.DeliveredQuantity),
          ...(row.DiscountType === 'AMOUNT' ? { Discount: negate(row.Discount) } : {}),
        })),
      },
    });
    return this.view(original);
  }

  list(tenant: FortnoxTenant, query: Query): { Invoices: FortnoxObject[]; MetaInformation: MetaInformation } {
    for (const name of UNSUPPORTED_SEARCHES) {
      if (queryValue(query, name) !== undefined) throw fortnoxErrors.invalidParameter(`${name} is not supported by the sandbox`);
    }
    const search = singleSearch(query, [...Object.keys(TEXT_SEARCHES), ...Object.keys(EXACT_SEARCHES), 'articlenumber'], GLOBAL_PARAMETERS);
    const since = lastModifiedSince(query);
    const fromDate = dateParameter(query, 'fromdate');
    const toDate = dateParameter(query, 'todate');
    const filter = this.filterPredicate(queryValue(query, 'filter'));
    const matches = this.searchPredicate(search);
    const found = [...tenant.invoices.values()].filter(
      (inv) =>
        matches(inv) &&
        filter(inv) &&
        (since === undefined || inv.lastModified >= since) &&
        (fromDate === undefined || String(inv.data.InvoiceDate) >= fromDate) &&
        (toDate === undefined || String(inv.data.InvoiceDate) <= toDate),
    );
    const sorted = sortItems(found, query, {
      documentnumber: (inv) => inv.documentNumber,
      customername: (inv) => String(inv.data.CustomerName ?? ''),
      customernumber: (inv) => String(inv.data.CustomerNumber),
      invoicedate: (inv) => String(inv.data.InvoiceDate),
      ocr: (inv) => String(inv.data.OCR),
      total: (inv) => Number(inv.data.Total),
    });
    const { page, meta } = paginate(sorted, query);
    return { Invoices: page.map((inv) => pick(this.view(inv), INVOICE_LIST_ITEM_FIELDS)), MetaInformation: meta };
  }

  /** The stored invoice; 404 when the number is unknown. */
  find(tenant: FortnoxTenant, documentNumber: string | number): StoredInvoice {
    const stored = /^\d+$/.test(String(documentNumber)) ? tenant.invoices.get(Number(documentNumber)) : undefined;
    if (!stored) throw fortnoxErrors.invoiceNotFound(String(documentNumber));
    return stored;
  }

  /** Sets fields on a stored invoice and marks it modified (payments and actions change lastmodified too). */
  touch(stored: StoredInvoice, fields: FortnoxObject): void {
    Object.assign(stored.data, fields);
    stored.lastModified = this.ctx.now();
  }

  view(stored: StoredInvoice): FortnoxObject {
    return { '@url': `${this.ctx.baseUrl}/3/invoices/${stored.documentNumber}`, ...stored.data };
  }

  private assertOpen(stored: StoredInvoice, action: string): void {
    const number = String(stored.documentNumber);
    if (stored.data.Cancelled === true) throw fortnoxErrors.invoiceCancelled(number);
    if (stored.data.Booked === true) throw fortnoxErrors.invoiceBooked(number, action);
  }

  private creditReference(tenant: FortnoxTenant, input: FortnoxObject): StoredInvoice | undefined {
    const reference = readInteger(input, 'CreditInvoiceReference');
    if (reference === undefined || reference === 0) return undefined;
    const original = tenant.invoices.get(reference);
    if (!original) throw fortnoxErrors.invoiceNotFound(String(reference), 'CreditInvoiceReference');
    if (original.data.Cancelled === true) throw fortnoxErrors.invoiceCancelled(String(reference));
    return original;
  }

  private nextDocumentNumber(tenant: FortnoxTenant): number {
    let n: number;
    do n = ++tenant.sequences.invoice;
    while (tenant.invoices.has(n));
    return n;
  }

  /** Fields fixed by the document number: the number itself and an OCR with a Luhn check digit (our choice of OCR form). */
  private identity(documentNumber: number): FortnoxObject {
    return { DocumentNumber: String(documentNumber), OCR: `${documentNumber}${luhn(String(documentNumber))}` };
  }

  /** Validates the writable fields against the tenant's registers and computes every derived field. */
  private build(tenant: FortnoxTenant, input: FortnoxObject): { data: FortnoxObject; total: Micros } {
    const customerNumber = readString(input, 'CustomerNumber');
    if (customerNumber === undefined) throw fortnoxErrors.requiredFieldMissing('CustomerNumber');
    const customer = tenant.customers.get(customerNumber)?.data;
    if (!customer) throw fortnoxErrors.customerNotFound(customerNumber);
    for (const [field, max] of Object.entries(MAX_LENGTHS)) readString(input, field, max);

    const currency = readString(input, 'Currency') ?? String(customer.Currency ?? 'SEK');
    if (!/^[A-Z]{3}$/.test(currency)) throw fortnoxErrors.invalidValue('Currency', currency, 'an ISO 4217 code such as SEK');
    // Guessed default: the customer's "show prices including VAT" setting.
    const vatIncluded = readBoolean(input, 'VATIncluded') ?? customer.ShowPriceVATIncluded === true;
    const invoiceDate = readDate(input, 'InvoiceDate') ?? stockholmDate(this.ctx.now());
    const termsOfPayment = readString(input, 'TermsOfPayment') ?? String(customer.TermsOfPayment ?? '30');
    const dueDate = readDate(input, 'DueDate') ?? addDays(invoiceDate, /^\d+$/.test(termsOfPayment) ? Number(termsOfPayment) : 30);
    const freight = readDecimal(input, 'Freight') ?? ZERO;
    const administrationFee = readDecimal(input, 'AdministrationFee') ?? ZERO;
    for (const field of ['NotCompleted', 'EUQuarterlyReport']) readBoolean(input, field);

    if (input.InvoiceRows !== undefined && input.InvoiceRows !== null && !Array.isArray(input.InvoiceRows)) throw fortnoxErrors.noData();
    const rows = ((input.InvoiceRows as unknown[] | undefined) ?? []).map((row, i) => this.row(tenant, row, i));
    const totals = computeInvoiceTotals({ vatIncluded, currency, rows: rows.map((r) => r.amounts), freight, administrationFee });

    const fromCustomer = Object.fromEntries(Object.entries(FROM_CUSTOMER).map(([field, source]) => [field, input[field] ?? customer[source] ?? '']));
    const data: FortnoxObject = {
      ...Object.fromEntries([...INVOICE_WRITE_FIELDS].map((f) => [f, input[f] ?? ''])),
      ...fromCustomer,
      AccountingMethod: 'ACCRUAL',
      AdministrationFee: toNumber(administrationFee),
      AdministrationFeeVAT: toNumber(totals.administrationFeeVat),
      BasisTaxReduction: 0,
      Booked: false,
      Cancelled: false,
      ContractReference: 0,
      // Fortnox writes "0" when an invoice has no credit invoice (our recollection; note it is truthy).
      Credit: 'false',
      CreditInvoiceReference: '0',
      Currency: currency,
      CurrencyRate: toNumber(readDecimal(input, 'CurrencyRate') ?? ONE),
      CurrencyUnit: toNumber(readDecimal(input, 'CurrencyUnit') ?? ONE),
      CustomerNumber: customerNumber,
      DueDate: dueDate,
      EDIInformation: isObject(input.EDIInformation) ? input.EDIInformation : {},
      EmailInformation: isObject(input.EmailInformation) ? input.EmailInformation : {},
      EUQuarterlyReport: readBoolean(input, 'EUQuarterlyReport') ?? false,
      FinalPayDate: null,
      Freight: toNumber(freight),
      FreightVAT: toNumber(totals.freightVat),
      Gross: toNumber(totals.gross),
      HouseWork: false,
      InvoiceDate: invoiceDate,
      InvoiceRows: rows.map((r, i) => ({
        ...r.view,
        Total: toNumber(totals.rows[i].total),
        TotalExcludingVAT: toNumber(totals.rows[i].totalExcludingVat),
        PriceExcludingVAT: toNumber(totals.rows[i].priceExcludingVat),
      })),
      InvoiceType: readString(input, 'InvoiceType') ?? 'INVOICE',
      Labels: Array.isArray(input.Labels) ? input.Labels : [],
      Language: readString(input, 'Language') ?? 'SV',
      LastRemindDate: null,
      Net: toNumber(totals.net),
      NotCompleted: readBoolean(input, 'NotCompleted') ?? false,
      NoxFinans: false,
      OfferReference: '0',
      OrderReference: '0',
      Reminders: 0,
      RoundOff: toNumber(totals.roundOff),
      Sent: false,
      TaxReduction: 0,
      TaxReductionType: readString(input, 'TaxReductionType') ?? 'none',
      TermsOfPayment: termsOfPayment,
      Total: toNumber(totals.total),
      TotalToPay: toNumber(totals.total),
      TotalVAT: toNumber(totals.totalVat),
      VATIncluded: vatIncluded,
      VoucherNumber: null,
      VoucherSeries: null,
      VoucherYear: null,
      WarehouseReady: false,
    };
    return { data, total: totals.total };
  }

  /** One row: defaults from the article, the VAT rate and sales account checked against Swedish rates and the chart. */
  private row(tenant: FortnoxTenant, raw: unknown, index: number): { amounts: RowAmounts; view: FortnoxObject } {
    if (!isObject(raw)) throw fortnoxErrors.noData();
    const row = writableFields(raw, INVOICE_ROW_WRITE_FIELDS, INVOICE_ROW_FIELDS);
    const articleNumber = readString(row, 'ArticleNumber');
    const article = articleNumber === undefined ? undefined : tenant.articles.get(articleNumber)?.data;
    if (articleNumber !== undefined && !article) throw fortnoxErrors.articleNotFoundInRow(articleNumber);

    const vatValue = isBlank(row.VAT) ? (article?.VAT ?? 25) : row.VAT;
    const vatMicros = parseDecimal(vatValue);
    if (vatMicros === undefined) throw fortnoxErrors.notNumeric('VAT', vatValue);
    const vat = toNumber(vatMicros);
    if (!SWEDISH_VAT_RATES.has(vat)) throw fortnoxErrors.invalidVatRate(vatValue);

    const account = readInteger(row, 'AccountNumber') ?? (article?.SalesAccount as number | undefined) ?? DEFAULT_SALES_ACCOUNT_BY_VAT.get(vat) ?? 3001;
    if (!tenant.accounts.has(account)) throw fortnoxErrors.accountNotFound(account, 'AccountNumber');

    const price = readDecimal(row, 'Price') ?? parseDecimal(article?.SalesPrice) ?? ZERO;
    // Guessed: a row without DeliveredQuantity counts 0, so a forgotten quantity shows as a zero row.
    const quantity = readDecimal(row, 'DeliveredQuantity') ?? ZERO;
    const discount = readDecimal(row, 'Discount') ?? ZERO;
    const discountType = readString(row, 'DiscountType') ?? 'PERCENT';
    if (discountType !== 'PERCENT' && discountType !== 'AMOUNT') throw fortnoxErrors.invalidValue('DiscountType', discountType, 'AMOUNT or PERCENT');
    readString(row, 'Description', 255);

    return {
      amounts: { price, quantity, discount, discountType, vat },
      view: {
        AccountNumber: account,
        ArticleNumber: articleNumber ?? '',
        CostCenter: row.CostCenter ?? '',
        DeliveredQuantity: toFixed(quantity, 2),
        Description: row.Description ?? article?.Description ?? '',
        Discount: toNumber(discount),
        DiscountType: discountType,
        HouseWork: false,
        Price: toNumber(price),
        Project: row.Project ?? '',
        RowId: index + 1,
        StockPointCode: row.StockPointCode ?? null,
        Unit: row.Unit ?? article?.Unit ?? '',
        VAT: vat,
        VATCode: row.VATCode ?? null,
      },
    };
  }

  private filterPredicate(filter: string | undefined): (inv: StoredInvoice) => boolean {
    const today = stockholmDate(this.ctx.now());
    const open = (inv: StoredInvoice) => inv.data.Cancelled !== true;
    switch (filter) {
      case undefined:
        return () => true;
      case 'cancelled':
        return (inv) => inv.data.Cancelled === true;
      case 'fullypaid':
        return (inv) => open(inv) && inv.data.Booked === true && isZero(inv.balance) && inv.data.FinalPayDate !== null;
      case 'unpaid':
        return (inv) => open(inv) && !isZero(inv.balance);
      case 'unpaidoverdue':
        return (inv) => open(inv) && !isZero(inv.balance) && String(inv.data.DueDate) < today;
      case 'unbooked':
        return (inv) => open(inv) && inv.data.Booked !== true;
      default:
        throw fortnoxErrors.invalidParameter(`filter=${filter}`);
    }
  }

  private searchPredicate(search: { field: string; value: string } | undefined): (inv: StoredInvoice) => boolean {
    if (!search) return () => true;
    if (search.field in EXACT_SEARCHES) {
      const field = EXACT_SEARCHES[search.field];
      return (inv) => String(inv.data[field]).toLowerCase() === search.value.toLowerCase();
    }
    const match = ilike(search.value);
    if (search.field === 'articlenumber') {
      return (inv) => (inv.data.InvoiceRows as FortnoxObject[]).some((row) => match(row.ArticleNumber));
    }
    const field = TEXT_SEARCHES[search.field];
    return (inv) => match(inv.data[field]);
  }
}

function negate(value: unknown): string {
  const m = parseDecimal(value) ?? ZERO;
  return toFixed(-m, 6);
}

function dateParameter(query: Query, name: string): string | undefined {
  const value = queryValue(query, name);
  if (value === undefined || value === '') return undefined;
  if (parseStockholmDateTime(value) === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw fortnoxErrors.invalidParameter(`${name}=${value}`);
  return value;
}

/** The Luhn (mod 10) check digit Swedish OCR references end with. */
function luhn(digits: string): number {
  let total = 0;
  [...digits].reverse().forEach((d, i) => {
    let n = Number(d) * (i % 2 === 0 ? 2 : 1);
    if (n > 9) n -= 9;
    total += n;
  });
  return (10 - (total % 10)) % 10;
}
