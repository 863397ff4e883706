import { Inject, Injectable } from '@nestjs/common';
import { round, sum, toFixed, toNumber, ZERO, type Micros } from '../common/decimal';
import { lastModifiedSince, paginate, queryValue, singleSearch, type MetaInformation, type Query } from '../common/list-query';
import { VOUCHER_FIELDS, VOUCHER_LIST_ITEM_FIELDS, VOUCHER_ROW_FIELDS, VOUCHER_SERIES_FIELDS, VOUCHER_SERIES_WRITE_FIELDS, VOUCHER_WRITE_FIELDS } from '../common/openapi-fields';
import { isObject, readBoolean, readDate, readDecimal, readInteger, readString, unwrap, writableFields } from '../common/payload';
import { pick } from '../common/resource-view';
import { stockholmDate } from '../common/stockholm-time';
import { FortnoxError, fortnoxErrors } from '../errors/fortnox.error';
import { SANDBOX, type SandboxContext } from '../sandbox.context';
import type { FinancialYear, FortnoxObject, FortnoxTenant, StoredVoucher, StoredVoucherSeries } from '../state/fortnox.state';

/** ReferenceType values of the OpenAPI (`fortnox_Voucher.ReferenceType`). */
const REFERENCE_TYPES = new Set(['INVOICE', 'SUPPLIERINVOICE', 'INVOICEPAYMENT', 'SUPPLIERPAYMENT', 'MANUAL', 'CASHINVOICE', 'ACCRUAL']);

/** One validated voucher row, amounts in micros. */
export interface VoucherRowInput {
  Account: number;
  Debit: Micros;
  Credit: Micros;
  Description?: string;
  TransactionInformation?: string;
}

/** What {@link VouchersService.book} records: the sandbox's own bookings (invoice payments) use it too. */
export interface VoucherInput {
  series: string;
  /** Financial year id; undefined = the preselected year (the one holding today). */
  year?: number;
  transactionDate: string;
  description: string;
  referenceNumber?: string;
  referenceType?: string;
  comments?: string;
  rows: VoucherRowInput[];
}

/**
 * The voucher register (verifikationer): create with validation, list, get; the voucher series and financial years
 * it numbers within; the locked period. Rules follow the OpenAPI where it speaks (required Description,
 * TransactionDate, VoucherSeries; at least two rows; Account 1000-9999) and double-entry bookkeeping where it does not
 * (debit = credit, guessed error 2999011). Numbering runs per series and financial year, as Fortnox's
 * "VoucherSeries + VoucherNumber + Year" key says.
 */
@Injectable()
export class VouchersService {
  constructor(@Inject(SANDBOX) private readonly ctx: SandboxContext) {}

  create(tenant: FortnoxTenant, body: unknown, query: Query): FortnoxObject {
    const input = writableFields(unwrap(body, 'Voucher'), VOUCHER_WRITE_FIELDS, VOUCHER_FIELDS);
    const description = readString(input, 'Description', 200);
    if (description === undefined) throw fortnoxErrors.requiredFieldMissing('Description');
    const transactionDate = readDate(input, 'TransactionDate');
    if (transactionDate === undefined) throw fortnoxErrors.requiredFieldMissing('TransactionDate');
    const series = readString(input, 'VoucherSeries', 10);
    if (series === undefined) throw fortnoxErrors.requiredFieldMissing('VoucherSeries');
    const referenceType = readString(input, 'ReferenceType');
    if (referenceType !== undefined && !REFERENCE_TYPES.has(referenceType)) throw fortnoxErrors.invalidValue('ReferenceType', referenceType, [...REFERENCE_TYPES].join(', '));
    const queryYear = queryValue(query, 'financialyear');
    if (queryYear !== undefined && !/^\d+$/.test(queryYear)) throw fortnoxErrors.invalidParameter(`financialyear=${queryYear}`);
    const year = queryYear !== undefined ? Number(queryYear) : readInteger(input, 'Year');
    if (!Array.isArray(input.VoucherRows)) throw fortnoxErrors.requiredFieldMissing('VoucherRows');
    const rows = input.VoucherRows.map((raw) => this.row(tenant, raw));
    const stored = this.book(tenant, {
      series,
      ...(year === undefined ? {} : { year }),
      transactionDate,
      description,
      rows,
      ...(readString(input, 'ReferenceNumber') === undefined ? {} : { referenceNumber: readString(input, 'ReferenceNumber') }),
      referenceType: referenceType ?? 'MANUAL',
      ...(readString(input, 'Comments', 1000) === undefined ? {} : { comments: readString(input, 'Comments', 1000) }),
    });
    return this.view(stored);
  }

  /** Validates and records a voucher; every booking in the sandbox goes through here, so the ledger stays balanced. */
  book(tenant: FortnoxTenant, v: VoucherInput): StoredVoucher {
    const series = tenant.voucherSeries.get(v.series);
    if (!series) throw fortnoxErrors.voucherSeriesNotFound(v.series, true);
    const year = v.year === undefined ? this.preselectedYear(tenant) : tenant.financialYears.find((y) => y.Id === v.year);
    if (!year) throw fortnoxErrors.financialYearNotFound(`id ${String(v.year)}`);
    if (v.transactionDate < year.FromDate || v.transactionDate > year.ToDate) {
      throw fortnoxErrors.financialYearNotFound(`${v.transactionDate} i räkenskapsår ${year.Id} (${year.FromDate}–${year.ToDate})`);
    }
    if (tenant.lockedThrough !== null && v.transactionDate <= tenant.lockedThrough) throw fortnoxErrors.periodLocked(v.transactionDate, tenant.lockedThrough);
    if (v.rows.length < 2) throw fortnoxErrors.invalidValue('VoucherRows', v.rows.length, 'at least 2 rows');
    const debit = sum(v.rows.map((r) => r.Debit));
    const credit = sum(v.rows.map((r) => r.Credit));
    if (debit !== credit) throw fortnoxErrors.voucherUnbalanced(toFixed(debit, 2), toFixed(credit, 2));
    if (debit === ZERO) throw fortnoxErrors.invalidValue('VoucherRows', '0', 'a voucher that moves an amount');

    const number = (series.lastNumber.get(year.Id) ?? 0) + 1;
    series.lastNumber.set(year.Id, number);
    const data: FortnoxObject = {
      ApprovalState: 0,
      Comments: v.comments ?? '',
      CostCenter: '',
      Description: v.description,
      Project: '',
      ReferenceNumber: v.referenceNumber ?? '',
      ReferenceType: v.referenceType ?? 'MANUAL',
      TransactionDate: v.transactionDate,
      VoucherNumber: number,
      VoucherRows: v.rows.map((r) => ({
        Account: r.Account,
        CostCenter: '',
        Credit: toNumber(r.Credit),
        Debit: toNumber(r.Debit),
        Description: r.Description ?? tenant.accounts.get(r.Account) ?? '',
        Project: '',
        Quantity: 0,
        Removed: false,
        TransactionInformation: r.TransactionInformation ?? '',
      })),
      VoucherSeries: series.code,
      Year: year.Id,
    };
    const stored: StoredVoucher = { data, series: series.code, number, year: year.Id, lastModified: this.ctx.now() };
    tenant.vouchers.set(`${year.Id}|${series.code}|${number}`, stored);
    return stored;
  }

  get(tenant: FortnoxTenant, series: string, number: string, query: Query): FortnoxObject {
    const year = this.yearOf(tenant, query);
    const stored = /^\d+$/.test(number) ? tenant.vouchers.get(`${year.Id}|${series}|${Number(number)}`) : undefined;
    if (!stored) throw fortnoxErrors.voucherNotFound(series, number);
    return this.view(stored);
  }

  /** Vouchers of one financial year (default: the preselected one), optionally one series, by series and number. */
  list(tenant: FortnoxTenant, query: Query, series?: string): { Vouchers: FortnoxObject[]; MetaInformation: MetaInformation } {
    singleSearch(query, [], ['financialyear', 'fromdate', 'todate']);
    if (series !== undefined && !tenant.voucherSeries.has(series)) throw fortnoxErrors.voucherSeriesNotFound(series, false);
    const year = this.yearOf(tenant, query);
    const since = lastModifiedSince(query);
    const from = dateParameter(query, 'fromdate');
    const to = dateParameter(query, 'todate');
    const found = [...tenant.vouchers.values()]
      .filter(
        (v) =>
          v.year === year.Id &&
          (series === undefined || v.series === series) &&
          (since === undefined || v.lastModified >= since) &&
          (from === undefined || String(v.data.TransactionDate) >= from) &&
          (to === undefined || String(v.data.TransactionDate) <= to),
      )
      .sort((a, b) => a.series.localeCompare(b.series) || a.number - b.number);
    const { page, meta } = paginate(found, query);
    return { Vouchers: page.map((v) => pick(this.view(v), VOUCHER_LIST_ITEM_FIELDS)), MetaInformation: meta };
  }

  listSeries(tenant: FortnoxTenant, query: Query): { VoucherSeriesCollection: FortnoxObject[]; MetaInformation: MetaInformation } {
    singleSearch(query, [], []);
    const all = [...tenant.voucherSeries.values()].sort((a, b) => a.code.localeCompare(b.code));
    const { page, meta } = paginate(all, query);
    const year = this.preselectedYear(tenant);
    return {
      VoucherSeriesCollection: page.map((s) => {
        const { NextVoucherNumber: _next, ...item } = this.seriesView(s, year);
        return item;
      }),
      MetaInformation: meta,
    };
  }

  getSeries(tenant: FortnoxTenant, code: string): FortnoxObject {
    const series = tenant.voucherSeries.get(code);
    if (!series) throw fortnoxErrors.voucherSeriesNotFound(code, false);
    return this.seriesView(series, this.preselectedYear(tenant));
  }

  createSeries(tenant: FortnoxTenant, body: unknown): FortnoxObject {
    const input = writableFields(unwrap(body, 'VoucherSeries'), VOUCHER_SERIES_WRITE_FIELDS, VOUCHER_SERIES_FIELDS);
    const code = readString(input, 'Code', 10);
    if (code === undefined) throw fortnoxErrors.requiredFieldMissing('Code');
    if (tenant.voucherSeries.has(code)) throw fortnoxErrors.invalidValue('Code', code, 'a voucher series code not in use');
    const series: StoredVoucherSeries = { code, description: readString(input, 'Description', 200) ?? '', manual: readBoolean(input, 'Manual') ?? false, lastNumber: new Map() };
    tenant.voucherSeries.set(code, series);
    return this.seriesView(series, this.preselectedYear(tenant));
  }

  updateSeries(tenant: FortnoxTenant, code: string, body: unknown): FortnoxObject {
    const series = tenant.voucherSeries.get(code);
    if (!series) throw fortnoxErrors.voucherSeriesNotFound(code, false);
    const input = writableFields(unwrap(body, 'VoucherSeries'), VOUCHER_SERIES_WRITE_FIELDS, VOUCHER_SERIES_FIELDS);
    const description = readString(input, 'Description', 200);
    if (description !== undefined) series.description = description;
    const manual = readBoolean(input, 'Manual');
    if (manual !== undefined) series.manual = manual;
    return this.seriesView(series, this.preselectedYear(tenant));
  }

  /** GET /3/financialyears?Date=: the years holding the date, or all. */
  financialYears(tenant: FortnoxTenant, query: Query): { FinancialYears: FortnoxObject[]; MetaInformation: MetaInformation } {
    singleSearch(query, [], ['Date']);
    const date = queryValue(query, 'Date');
    if (date !== undefined && readDate({ Date: date }, 'Date') === undefined) throw fortnoxErrors.invalidParameter(`Date=${date}`);
    const years = tenant.financialYears.filter((y) => date === undefined || (y.FromDate <= date && date <= y.ToDate));
    const { page, meta } = paginate(years, query);
    return { FinancialYears: page.map((y) => this.yearView(y)), MetaInformation: meta };
  }

  financialYear(tenant: FortnoxTenant, id: string): FortnoxObject {
    const year = /^\d+$/.test(id) ? tenant.financialYears.find((y) => y.Id === Number(id)) : undefined;
    if (!year) throw new FortnoxError(404, 2999013, `Det finns inget räkenskapsår med id ${id}`);
    return this.yearView(year);
  }

  /** The year a request without `financialyear` works in: Fortnox's preselected year, here the one holding today. */
  preselectedYear(tenant: FortnoxTenant): FinancialYear {
    const today = stockholmDate(this.ctx.now());
    const year = tenant.financialYears.find((y) => y.FromDate <= today && today <= y.ToDate) ?? tenant.financialYears[tenant.financialYears.length - 1];
    if (!year) throw fortnoxErrors.financialYearNotFound(today);
    return year;
  }

  private yearOf(tenant: FortnoxTenant, query: Query): FinancialYear {
    const raw = queryValue(query, 'financialyear');
    if (raw === undefined) return this.preselectedYear(tenant);
    const year = /^\d+$/.test(raw) ? tenant.financialYears.find((y) => y.Id === Number(raw)) : undefined;
    if (!year) throw fortnoxErrors.financialYearNotFound(`id ${raw}`);
    return year;
  }

  private row(tenant: FortnoxTenant, raw: unknown): VoucherRowInput {
    if (!isObject(raw)) throw fortnoxErrors.noData();
    const row = writableFields(raw, VOUCHER_ROW_FIELDS, VOUCHER_ROW_FIELDS);
    const account = readInteger(row, 'Account');
    if (account === undefined) throw fortnoxErrors.requiredFieldMissing('VoucherRows.Account');
    if (!tenant.accounts.has(account)) throw fortnoxErrors.accountNotFound(account, 'VoucherRows.Account');
    const debit = round(readDecimal(row, 'Debit') ?? ZERO, 2);
    const credit = round(readDecimal(row, 'Credit') ?? ZERO, 2);
    if (debit < ZERO) throw fortnoxErrors.invalidValue('VoucherRows.Debit', toFixed(debit, 2), 'zero or more (put a negative amount on the other side)');
    if (credit < ZERO) throw fortnoxErrors.invalidValue('VoucherRows.Credit', toFixed(credit, 2), 'zero or more (put a negative amount on the other side)');
    // Guessed: one side per row, as Fortnox's voucher UI enters it.
    if (debit !== ZERO && credit !== ZERO) throw fortnoxErrors.invalidValue('VoucherRows', `${toFixed(debit, 2)}/${toFixed(credit, 2)}`, 'either Debit or Credit on a row, not both');
    const description = readString(row, 'Description', 200);
    const info = readString(row, 'TransactionInformation', 100);
    return { Account: account, Debit: debit, Credit: credit, ...(description === undefined ? {} : { Description: description }), ...(info === undefined ? {} : { TransactionInformation: info }) };
  }

  private view(stored: StoredVoucher): FortnoxObject {
    return { '@url': `${this.ctx.baseUrl}/3/vouchers/${stored.series}/${stored.number}?financialyear=${stored.year}`, ...stored.data };
  }

  private seriesView(s: StoredVoucherSeries, year: FinancialYear): FortnoxObject {
    return {
      '@url': `${this.ctx.baseUrl}/3/voucherseries/${s.code}`,
      Approver: { Id: 0, Name: '' },
      Code: s.code,
      Description: s.description,
      Manual: s.manual,
      NextVoucherNumber: (s.lastNumber.get(year.Id) ?? 0) + 1,
      Year: year.Id,
    };
  }

  private yearView(y: FinancialYear): FortnoxObject {
    return { '@url': `${this.ctx.baseUrl}/3/financialyears/${y.Id}`, ...y };
  }
}

function dateParameter(query: Query, name: string): string | undefined {
  const value = queryValue(query, name);
  if (value === undefined || value === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw fortnoxErrors.invalidParameter(`${name}=${value}`);
  return value;
}
