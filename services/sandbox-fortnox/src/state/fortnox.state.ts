import { randomUUID } from 'node:crypto';
import type { Micros } from '../common/decimal';
import { BAS_ACCOUNTS } from './chart-of-accounts';

/** A Fortnox resource as the API returns it (PascalCase keys, as the vendor names them). */
export type FortnoxObject = Record<string, unknown>;

/** A stored customer or article: its Fortnox fields plus when it last changed. */
export interface StoredResource {
  data: FortnoxObject;
  lastModified: number;
}

/** A stored invoice: the Fortnox fields as returned, the open balance, and when it last changed. */
export interface StoredInvoice {
  data: FortnoxObject;
  /** The writable fields as the client sent them (rows included), so an update can rebuild the invoice. */
  input: FortnoxObject;
  documentNumber: number;
  /** What remains to be paid, in micros of the invoice currency; Balance in responses. */
  balance: Micros;
  lastModified: number;
}

/** A stored invoice payment. */
export interface StoredInvoicePayment {
  data: FortnoxObject;
  number: number;
  amount: Micros;
  lastModified: number;
}

/** A stored voucher (verifikation): its Fortnox fields, the financial year it belongs to, and when it last changed. */
export interface StoredVoucher {
  data: FortnoxObject;
  series: string;
  number: number;
  /** The financial year's `Id` (Fortnox's `Year` on a voucher). */
  year: number;
  lastModified: number;
}

/** A voucher series of the company; numbering runs per financial year. */
export interface StoredVoucherSeries {
  code: string;
  description: string;
  manual: boolean;
  /** Financial year id → last voucher number used. */
  lastNumber: Map<number, number>;
}

/** One financial year (räkenskapsår) of the company. */
export interface FinancialYear {
  Id: number;
  FromDate: string;
  ToDate: string;
  AccountingMethod: 'ACCRUAL' | 'CASH';
  AccountChartType: string;
}

/** Stock of one item at one stock point, as the warehouse API reports it. */
export interface StockBalance {
  itemId: string;
  stockPointCode: string;
  inStock: number;
  availableStock: number;
}

/** One Fortnox company: its own registers, numbering and chart of accounts. */
export interface FortnoxTenant {
  readonly id: string;
  readonly name: string;
  readonly customers: Map<string, StoredResource>;
  readonly articles: Map<string, StoredResource>;
  readonly invoices: Map<number, StoredInvoice>;
  readonly invoicePayments: Map<number, StoredInvoicePayment>;
  /** itemId → stockPointCode → balance. */
  readonly stock: Map<string, Map<string, StockBalance>>;
  /** Account number → name; seeded from the BAS subset, tests may add or remove accounts. */
  readonly accounts: Map<number, string>;
  /** `${year}|${series}|${number}` → voucher. */
  readonly vouchers: Map<string, StoredVoucher>;
  /** By code (A, B, C, ...): Fortnox's predefined series, tests may add more. */
  readonly voucherSeries: Map<string, StoredVoucherSeries>;
  /** Calendar years around the sandbox's "now" at creation; tests may push more. */
  readonly financialYears: FinancialYear[];
  /** Last day of the locked period (`/3/settings/lockedperiod`), or null when nothing is locked; tests set it. */
  lockedThrough: string | null;
  readonly sequences: { customer: number; article: number; invoice: number; invoicePayment: number; voucherB: number };
}

/** Fortnox's predefined voucher series (BAS practice; Fortnox's defaults, seen in its UI 2026-11). */
export const DEFAULT_VOUCHER_SERIES: ReadonlyArray<[string, string]> = [
  ['A', 'Redovisningsverifikationer'],
  ['B', 'Kundfakturor'],
  ['C', 'Kundinbetalningar'],
  ['D', 'Leverantörsfakturor'],
  ['E', 'Leverantörsbetalningar'],
  ['F', 'Kassaverifikationer'],
  ['G', 'Bokslutsverifikationer'],
];

/** What a test passes to set stock; `availableStock` defaults to `inStock` (nothing reserved). */
export interface SetStockInput {
  itemId: string;
  inStock: number;
  availableStock?: number;
  /** Defaults to `MAIN`, the sandbox's only predefined stock point (a sandbox choice, not Fortnox's). */
  stockPointCode?: string;
}

export const DEFAULT_STOCK_POINT = 'MAIN';

/**
 * The sandbox's in-memory data: every tenant (company) and its registers. One instance per sandbox, so
 * two sandboxes in one process never share data.
 */
export class FortnoxState {
  readonly tenants = new Map<string, FortnoxTenant>();

  /** `now` picks the financial years a new company starts with (the year before, this year and the next). */
  constructor(private readonly now: () => number = Date.now) {}

  /** Creates an empty company with the BAS account subset; `id` is generated unless given. */
  createTenant(name?: string, id = `tenant-${randomUUID()}`): FortnoxTenant {
    const tenant: FortnoxTenant = {
      id,
      name: name ?? `Sandbox AB ${this.tenants.size + 1}`,
      customers: new Map(),
      articles: new Map(),
      invoices: new Map(),
      invoicePayments: new Map(),
      stock: new Map(),
      accounts: new Map(BAS_ACCOUNTS),
      vouchers: new Map(),
      voucherSeries: new Map(DEFAULT_VOUCHER_SERIES.map(([code, description]) => [code, { code, description, manual: false, lastNumber: new Map() }])),
      financialYears: calendarYearsAround(new Date(this.now()).getUTCFullYear()),
      lockedThrough: null,
      sequences: { customer: 0, article: 0, invoice: 0, invoicePayment: 0, voucherB: 0 },
    };
    this.tenants.set(id, tenant);
    return tenant;
  }

  /** The tenant with this id; throws when there is none, since callers hold ids the sandbox issued. */
  tenant(id: string): FortnoxTenant {
    const tenant = this.tenants.get(id);
    if (!tenant) throw new Error(`No sandbox tenant "${id}"; create one with control.createTenant() or POST /__sandbox/tenants.`);
    return tenant;
  }

  /** Sets an item's stock at a stock point, as if the warehouse had counted it; returns the balance. */
  setStock(tenantId: string, input: SetStockInput): StockBalance {
    const tenant = this.tenant(tenantId);
    const balance: StockBalance = {
      itemId: input.itemId,
      stockPointCode: input.stockPointCode ?? DEFAULT_STOCK_POINT,
      inStock: input.inStock,
      availableStock: input.availableStock ?? input.inStock,
    };
    let points = tenant.stock.get(balance.itemId);
    if (!points) tenant.stock.set(balance.itemId, (points = new Map()));
    points.set(balance.stockPointCode, balance);
    return { ...balance };
  }

  /** Forgets every tenant. */
  reset(): void {
    this.tenants.clear();
  }
}

/** Guessed: a company whose financial year is the calendar year, with ids counting from 1 (Fortnox's ids are opaque). */
function calendarYearsAround(year: number): FinancialYear[] {
  return [year - 1, year, year + 1].map((y, i) => ({ Id: i + 1, FromDate: `${y}-01-01`, ToDate: `${y}-12-31`, AccountingMethod: 'ACCRUAL', AccountChartType: 'Bas 2026' }));
}
