// Fortnox API v3 shapes, named as Fortnox names them (../shared/contracts/erp/fortnox/openapi-fortnox.json).
// Only the fields this connector writes or reads are declared.

/** `ErrorInformation` of an error body: lowercase keys live, PascalCase in the OpenAPI (SOURCE.md caveat). */
export interface ErrorInformation {
  error?: number;
  message?: string;
  code?: number | string;
  Error?: number;
  Message?: string;
  Code?: number | string;
}

/** `fortnox_Invoice_InvoiceRow` as written. */
export interface InvoiceRow {
  ArticleNumber?: string;
  Description: string;
  DeliveredQuantity: number;
  /** Per unit; excluding VAT unless the invoice has `VATIncluded`. */
  Price: number;
  Discount?: number;
  DiscountType?: 'AMOUNT' | 'PERCENT';
  VAT: number;
  AccountNumber: number;
}

/** `fortnox_Invoice` as written (`POST /3/invoices`). */
export interface InvoiceWrite {
  CustomerNumber: string;
  ExternalInvoiceReference1: string;
  YourOrderNumber?: string;
  Currency: string;
  /** SEK per `CurrencyUnit` units of `Currency`; only on non-SEK documents. */
  CurrencyRate?: number;
  CurrencyUnit?: number;
  VATIncluded: boolean;
  InvoiceRows: InvoiceRow[];
  CreditInvoiceReference?: string;
  TermsOfPayment?: string;
  Remarks?: string;
}

/** `fortnox_Invoice` as read. Numbers are JSON numbers; `Credit`, `Booked`, `Cancelled` as the API spells them. */
export interface Invoice {
  DocumentNumber: string;
  ExternalInvoiceReference1: string;
  Currency: string;
  Total: number;
  TotalVAT: number;
  Net: number;
  RoundOff: number;
  Credit: string | boolean;
  Booked: boolean;
  Cancelled: boolean;
  CreditInvoiceReference: string;
  CustomerNumber: string;
  VATIncluded: boolean;
  InvoiceRows: (InvoiceRow & { Total?: number })[];
}

export interface InvoiceListItem {
  DocumentNumber: string;
  ExternalInvoiceReference1: string;
}

export interface MetaInformation {
  '@TotalResources': number;
  '@TotalPages': number;
  '@CurrentPage': number;
}

export interface InvoiceList {
  Invoices: InvoiceListItem[];
  MetaInformation: MetaInformation;
}

/** `fortnox_Customer.VATType`. */
export type VATType = 'SEVAT' | 'SEREVERSEDVAT' | 'EUREVERSEDVAT' | 'EUVAT' | 'EXPORT';

export interface CustomerWrite {
  Name: string;
  Email: string;
  Address1?: string;
  Address2?: string;
  City?: string;
  ZipCode?: string;
  CountryCode?: string;
  Phone1?: string;
  VATNumber?: string;
  VATType: VATType;
}

export interface CustomerListItem {
  CustomerNumber: string;
  Email: string | null;
  Name: string;
}

export interface CustomerList {
  Customers: CustomerListItem[];
  MetaInformation: MetaInformation;
}
