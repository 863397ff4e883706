/**
 * Property names of the Fortnox resources the sandbox serves, copied from the stored OpenAPI
 * (../shared/contracts/erp/fortnox/openapi-fortnox.json, sha256 e1bd2ea8…; schema named per constant).
 * The OpenAPI marks nothing readOnly (SOURCE.md), so the write model is the *Payload schema where one
 * exists: a name in the read model but not the write model is ignored on write, a name in neither is
 * rejected with 2001399 "Felaktigt fältnamn".
 */

/** Customer properties; all writable except `@url` (`fortnox_Customer`). */
export const CUSTOMER_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'Active', 'Address1', 'Address2', 'City', 'Comments', 'CostCenter', 'Country', 'CountryCode',
  'Currency', 'CustomerNumber', 'DefaultDeliveryTypes', 'DefaultTemplates', 'DeliveryAddress1',
  'DeliveryAddress2', 'DeliveryCity', 'DeliveryCountry', 'DeliveryCountryCode', 'DeliveryFax', 'DeliveryName',
  'DeliveryPhone1', 'DeliveryPhone2', 'DeliveryZipCode', 'Email', 'EmailInvoice', 'EmailInvoiceBCC',
  'EmailInvoiceCC', 'EmailOffer', 'EmailOfferBCC', 'EmailOfferCC', 'EmailOrder', 'EmailOrderBCC', 'EmailOrderCC',
  'ExternalReference', 'Fax', 'GLN', 'GLNDelivery', 'InvoiceAdministrationFee', 'InvoiceDiscount',
  'InvoiceFreight', 'InvoiceRemark', 'Name', 'OrganisationNumber', 'OurReference', 'Phone1', 'Phone2',
  'PriceList', 'Project', 'SalesAccount', 'ShowPriceVATIncluded', 'TermsOfDelivery', 'TermsOfPayment', 'Type',
  'VATNumber', 'VATType', 'VisitingAddress', 'VisitingCity', 'VisitingCountry', 'VisitingCountryCode',
  'VisitingZipCode', 'WWW', 'WayOfDelivery', 'YourReference', 'ZipCode',
]);

/** What GET /3/customers returns per customer (`fortnox_CustomerListItem`). */
export const CUSTOMER_LIST_ITEM_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'Address1', 'Address2', 'City', 'CustomerNumber', 'Email', 'Name', 'OrganisationNumber', 'Phone',
  'ZipCode',
]);

/** Article properties; all writable except `@url` (`fortnox_Article`). */
export const ARTICLE_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'Active', 'ArticleNumber', 'Bulky', 'ConstructionAccount', 'CostCalculationMethod',
  'DefaultStockLocation', 'DefaultStockPoint', 'Depth', 'Description', 'DirectCost', 'DisposableQuantity', 'EAN',
  'EUAccount', 'EUVATAccount', 'Expired', 'ExportAccount', 'FreightCost', 'Height', 'Housework', 'HouseworkType',
  'Manufacturer', 'ManufacturerArticleNumber', 'Note', 'OtherCost', 'PurchaseAccount', 'PurchasePrice',
  'QuantityInStock', 'ReservedQuantity', 'SalesAccount', 'SalesPrice', 'StockAccount', 'StockChangeAccount',
  'StockGoods', 'StockPlace', 'StockValue', 'StockWarning', 'SupplierName', 'SupplierNumber', 'Type', 'Unit',
  'VAT', 'WebshopArticle', 'Weight', 'Width',
]);

/** What GET /3/articles returns per article (`fortnox_ArticleListItem`). */
export const ARTICLE_LIST_ITEM_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'ArticleNumber', 'Description', 'DisposableQuantity', 'EAN', 'Housework', 'PurchasePrice',
  'QuantityInStock', 'ReservedQuantity', 'SalesPrice', 'StockPlace', 'StockValue', 'Unit', 'VAT',
  'WebshopArticle',
]);

/** Invoice read model (`fortnox_Invoice`). */
export const INVOICE_FIELDS: ReadonlySet<string> = new Set([
  '@url', '@urlTaxReductionList', 'AccountingMethod', 'Address1', 'Address2', 'AdministrationFee',
  'AdministrationFeeVAT', 'Balance', 'BasisTaxReduction', 'Booked', 'Cancelled', 'City', 'Comments',
  'ContractReference', 'ContributionPercent', 'ContributionValue', 'CostCenter', 'Country', 'Credit',
  'CreditInvoiceReference', 'Currency', 'CurrencyRate', 'CurrencyUnit', 'CustomerName', 'CustomerNumber',
  'DeliveryAddress1', 'DeliveryAddress2', 'DeliveryCity', 'DeliveryCountry', 'DeliveryDate', 'DeliveryName',
  'DeliveryZipCode', 'DocumentNumber', 'DueDate', 'EDIInformation', 'EUQuarterlyReport', 'EmailInformation',
  'ExternalInvoiceReference1', 'ExternalInvoiceReference2', 'FinalPayDate', 'Freight', 'FreightVAT', 'Gross',
  'HouseWork', 'InvoiceDate', 'InvoicePeriodEnd', 'InvoicePeriodReference', 'InvoicePeriodStart', 'InvoiceRows',
  'InvoiceType', 'Labels', 'Language', 'LastRemindDate', 'Net', 'NotCompleted', 'NoxFinans', 'OCR',
  'OfferReference', 'OrderReference', 'OrganisationNumber', 'OurReference', 'OutboundDate', 'PaymentWay',
  'Phone1', 'Phone2', 'PriceList', 'PrintTemplate', 'Project', 'Remarks', 'Reminders', 'RoundOff', 'Sent',
  'TaxReduction', 'TaxReductionType', 'TermsOfDelivery', 'TermsOfPayment', 'TimeBasisReference', 'Total',
  'TotalToPay', 'TotalVAT', 'VATIncluded', 'VoucherNumber', 'VoucherSeries', 'VoucherYear', 'WarehouseReady',
  'WayOfDelivery', 'YourOrderNumber', 'YourReference', 'ZipCode',
]);

/** Invoice write model (`fortnox_InvoicePayload`). */
export const INVOICE_WRITE_FIELDS: ReadonlySet<string> = new Set([
  'Address1', 'Address2', 'AdministrationFee', 'City', 'Comments', 'CostCenter', 'Country',
  'CreditInvoiceReference', 'Currency', 'CurrencyRate', 'CurrencyUnit', 'CustomerName', 'CustomerNumber',
  'DeliveryAddress1', 'DeliveryAddress2', 'DeliveryCity', 'DeliveryCountry', 'DeliveryDate', 'DeliveryName',
  'DeliveryZipCode', 'DocumentNumber', 'DueDate', 'EDIInformation', 'EUQuarterlyReport', 'EmailInformation',
  'ExternalInvoiceReference1', 'ExternalInvoiceReference2', 'Freight', 'InvoiceDate', 'InvoiceRows',
  'InvoiceType', 'Labels', 'Language', 'NotCompleted', 'OCR', 'OurReference', 'OutboundDate', 'PaymentWay',
  'Phone1', 'Phone2', 'PriceList', 'PrintTemplate', 'Project', 'Remarks', 'TaxReductionType', 'TermsOfDelivery',
  'TermsOfPayment', 'VATIncluded', 'WayOfDelivery', 'YourOrderNumber', 'YourReference', 'ZipCode',
]);

/** What GET /3/invoices returns per invoice (`fortnox_InvoiceListItem`). */
export const INVOICE_LIST_ITEM_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'Balance', 'Booked', 'Cancelled', 'CostCenter', 'Currency', 'CurrencyRate', 'CurrencyUnit',
  'CustomerName', 'CustomerNumber', 'DocumentNumber', 'DueDate', 'ExternalInvoiceReference1',
  'ExternalInvoiceReference2', 'FinalPayDate', 'InvoiceDate', 'InvoiceType', 'NoxFinans', 'OCR', 'Project',
  'Sent', 'TermsOfPayment', 'Total', 'VoucherNumber', 'VoucherSeries', 'VoucherYear', 'WayOfDelivery',
]);

/** Invoice row read model (`fortnox_Invoice_InvoiceRow`). */
export const INVOICE_ROW_FIELDS: ReadonlySet<string> = new Set([
  'AccountNumber', 'ArticleNumber', 'ContributionPercent', 'ContributionValue', 'CostCenter', 'DeliveredQuantity',
  'Description', 'Discount', 'DiscountType', 'HouseWork', 'HouseWorkHoursToReport', 'HouseWorkType', 'Price',
  'PriceExcludingVAT', 'Project', 'RowId', 'StockPointCode', 'Total', 'TotalExcludingVAT', 'Unit', 'VAT',
  'VATCode',
]);

/** Invoice row write model (`fortnox_InvoicePayload_InvoiceRow`). */
export const INVOICE_ROW_WRITE_FIELDS: ReadonlySet<string> = new Set([
  'AccountNumber', 'ArticleNumber', 'CostCenter', 'DeliveredQuantity', 'Description', 'Discount', 'DiscountType',
  'HouseWork', 'HouseWorkHoursToReport', 'HouseWorkType', 'Price', 'Project', 'RowId', 'StockPointCode', 'Unit',
  'VAT', 'VATCode',
]);

/** Invoice payment (one schema for read and write) (`fortnox_InvoicePayment`). */
export const INVOICE_PAYMENT_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'Amount', 'AmountCurrency', 'Booked', 'Currency', 'CurrencyRate', 'CurrencyUnit',
  'ExternalInvoiceReference1', 'ExternalInvoiceReference2', 'InvoiceCustomerName', 'InvoiceCustomerNumber',
  'InvoiceDueDate', 'InvoiceNumber', 'InvoiceOCR', 'InvoiceTotal', 'ModeOfPayment', 'ModeOfPaymentAccount',
  'Number', 'PaymentDate', 'Source', 'VoucherNumber', 'VoucherSeries', 'VoucherYear', 'WriteOffs',
]);

/** What GET /3/invoicepayments returns per payment (`fortnox_InvoicePaymentListItem`). */
export const INVOICE_PAYMENT_LIST_ITEM_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'Amount', 'Booked', 'Currency', 'CurrencyRate', 'CurrencyUnit', 'InvoiceNumber', 'Number',
  'PaymentDate', 'Source', 'WriteOffExist',
]);


/** Voucher read model (`fortnox_Voucher`); the OpenAPI has no payload schema, so writes use the same names. */
export const VOUCHER_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'ApprovalState', 'Comments', 'CostCenter', 'Description', 'Project', 'ReferenceNumber', 'ReferenceType',
  'TransactionDate', 'VoucherNumber', 'VoucherRows', 'VoucherSeries', 'Year',
]);

/** What a client may set on a voucher: the number and approval state are Fortnox's, `Year` is read as the financial year id. */
export const VOUCHER_WRITE_FIELDS: ReadonlySet<string> = new Set([
  'Comments', 'CostCenter', 'Description', 'Project', 'ReferenceNumber', 'ReferenceType', 'TransactionDate', 'VoucherRows',
  'VoucherSeries', 'Year',
]);

/** Voucher row (`fortnox_Voucher_VoucherRow`). */
export const VOUCHER_ROW_FIELDS: ReadonlySet<string> = new Set([
  'Account', 'CostCenter', 'Credit', 'Debit', 'Description', 'Project', 'Quantity', 'Removed', 'TransactionInformation',
]);

/** What GET /3/vouchers returns per voucher (`fortnox_VoucherListItem`). */
export const VOUCHER_LIST_ITEM_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'ApprovalState', 'Comments', 'Description', 'ReferenceNumber', 'ReferenceType', 'TransactionDate', 'VoucherNumber',
  'VoucherSeries', 'Year',
]);

/** Voucher series (`fortnox_VoucherSeries`). */
export const VOUCHER_SERIES_FIELDS: ReadonlySet<string> = new Set(['@url', 'Approver', 'Code', 'Description', 'Manual', 'NextVoucherNumber', 'Year']);

/** What a client may set on a voucher series. */
export const VOUCHER_SERIES_WRITE_FIELDS: ReadonlySet<string> = new Set(['Code', 'Description', 'Manual']);

/** Account read model (`fortnox_AccountSingleItem`). */
export const ACCOUNT_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'Active', 'BalanceBroughtForward', 'BalanceCarriedForward', 'CostCenter', 'CostCenterSettings', 'Description', 'Number',
  'OpeningQuantities', 'Project', 'ProjectSettings', 'QuantitySettings', 'QuantityUnit', 'SRU', 'TransactionInformation',
  'TransactionInformationSettings', 'VATCode', 'Year',
]);

/** Account write model (`fortnox_AccountPayload`). */
export const ACCOUNT_WRITE_FIELDS: ReadonlySet<string> = new Set([
  'Active', 'BalanceBroughtForward', 'CostCenter', 'CostCenterSettings', 'Description', 'Number', 'OpeningQuantities', 'Project',
  'ProjectSettings', 'SRU', 'TransactionInformation', 'TransactionInformationSettings', 'VATCode',
]);

/** What GET /3/accounts returns per account (`fortnox_AccountListItem`). */
export const ACCOUNT_LIST_ITEM_FIELDS: ReadonlySet<string> = new Set([
  '@url', 'Active', 'BalanceBroughtForward', 'CostCenter', 'CostCenterSettings', 'Description', 'Number', 'Project',
  'ProjectSettings', 'SRU', 'VATCode', 'Year',
]);
