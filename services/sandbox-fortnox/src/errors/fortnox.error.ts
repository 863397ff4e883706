/**
 * Errors the sandbox answers in Fortnox's `ErrorInformation` form. Each factory states where its code
 * comes from, so nobody mistakes a guess for the vendor's contract:
 *
 * - verified: listed on Fortnox's errors page (fortnox.se/developer/guides-and-good-to-know/errors,
 *   seen 2026-11) with this meaning.
 * - observed: quoted from live Fortnox responses in public integration code (seen 2026-11), not on the
 *   errors page.
 * - third-party: from a public client library's error enum that mirrors the errors page; not seen on the
 *   page itself.
 * - guessed: Fortnox's real code is unknown to us. These use the sandbox-only range 2999xxx so that a
 *   connector never mistakes them for Fortnox codes; classify them by HTTP status, not by code.
 *
 * Messages are Swedish, as Fortnox writes most of them.
 */
export class FortnoxError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'FortnoxError';
  }
}

const badRequest = (code: number, message: string) => new FortnoxError(400, code, message);

export const fortnoxErrors = {
  /** verified 1000003 "System exception"; used for injected 5xx faults and unexpected sandbox errors. */
  systemException: (status = 500) => new FortnoxError(status, 1000003, 'System exception'),

  /** verified 2000310 "Ogiltig inloggning": an access token that is unknown or expired. HTTP 401 is our choice (see README). */
  invalidLogin: () => new FortnoxError(401, 2000310, 'Ogiltig inloggning'),

  /** verified 2000311: no credentials at all on the request. */
  missingCredentials: () => new FortnoxError(401, 2000311, 'Kan inte logga in, access-token eller client-secret saknas(2).'),

  /** verified 2002115: the body is not JSON. */
  invalidJson: () => badRequest(2002115, 'Error deserializing JSON: JSON_ERROR_SYNTAX'),

  /** verified 2001392: empty body, or not wrapped in the resource's root key (`{"Invoice":{...}}`). */
  noData: () => badRequest(2001392, 'Ingen eller felaktig typ av data.'),

  /** verified 2001399: a property the resource does not have. */
  invalidFieldName: (field: string) => badRequest(2001399, `Felaktigt fältnamn (${field})`),

  /** verified 2000588: bad paging value, unknown filter, or two resource filters at once. */
  invalidParameter: (detail: string) => badRequest(2000588, `Ogiltig parameter i anropet. (${detail})`),

  /** verified 2000108: a number field holds something else. */
  notNumeric: (field: string, value: unknown) => badRequest(2000108, `Värdet måste vara numeriskt (${String(value)}) (${field})`),

  /** verified 2000134: a boolean field holds something else. */
  notBoolean: (field: string, value: unknown) => badRequest(2000134, `Värdet måste vara en boolean (${String(value)}) (${field})`),

  /** verified 2000637: the customer number is taken. */
  customerNumberTaken: (customerNumber: string) =>
    badRequest(2000637, `Kundnummer ${customerNumber} används redan. Kundnumret har redan använts men blivit raderat.`),

  /** verified 2001304 "Kunde inte hitta konto": an account not in the tenant's chart of accounts. */
  accountNotFound: (account: unknown, field: string) => badRequest(2001304, `Kunde inte hitta konto ${String(account)} (${field})`),

  /** observed 2000013: the article number is taken (quoted live responses: "Artikelnummer \"16770\" används redan."). */
  articleNumberTaken: (articleNumber: string) => badRequest(2000013, `Artikelnummer "${articleNumber}" används redan.`),

  /** third-party 2000433 "Kunde inte hämta/hitta kund": the customer a document names does not exist. */
  customerNotFound: (customerNumber: string) => badRequest(2000433, `Kunde inte hitta kund (${customerNumber})`),

  /** third-party 2001302 "Kunde inte hitta artikel": an article a row names does not exist. */
  articleNotFoundInRow: (articleNumber: string) => badRequest(2001302, `Kunde inte hitta artikel (${articleNumber})`),

  /** third-party 2000428 "Kan inte hitta artikeln": GET/PUT on an article number that does not exist (HTTP 404). */
  articleNotFound: (articleNumber: string) => new FortnoxError(404, 2000428, `Kan inte hitta artikeln (${articleNumber})`),

  /** guessed: a required field is missing (Invoice.CustomerNumber, Customer.Name, Article.Description, InvoicePayment.InvoiceNumber). */
  requiredFieldMissing: (field: string) => badRequest(2999001, `Obligatoriskt fält saknas (${field})`),

  /** guessed: a VAT rate that is not a Swedish rate (25, 12, 6, 0). Message as integrators report it: "Kunde inte hämta/hitta moms". */
  invalidVatRate: (rate: unknown) => badRequest(2999002, `Kunde inte hämta/hitta moms (${String(rate)})`),

  /** guessed: no invoice with this document number: HTTP 404 on its own URL, 400 when a payload field names it. */
  invoiceNotFound: (documentNumber: string, field?: string) =>
    new FortnoxError(field ? 400 : 404, 2999003, `Kan inte hitta fakturan (${documentNumber})${field ? ` (${field})` : ''}`),

  /** guessed: cancelling, changing or re-booking a booked invoice. */
  invoiceBooked: (documentNumber: string, action: string) =>
    badRequest(2999004, `Fakturan ${documentNumber} är bokförd och kan inte ${action}.`),

  /** guessed: any action on a cancelled invoice. */
  invoiceCancelled: (documentNumber: string) => badRequest(2999005, `Fakturan ${documentNumber} är makulerad.`),

  /** guessed: crediting an invoice that is not booked (Fortnox's UI offers "Makulera" instead). */
  invoiceNotBooked: (documentNumber: string, action: string) =>
    badRequest(2999006, `Fakturan ${documentNumber} måste vara bokförd för att ${action}.`),

  /** guessed: crediting an invoice that already has a credit invoice, or crediting a credit invoice. */
  invoiceAlreadyCredited: (documentNumber: string) => badRequest(2999007, `Fakturan ${documentNumber} är redan krediterad.`),

  /** guessed: no invoice payment with this number (HTTP 404). */
  invoicePaymentNotFound: (number: string) => new FortnoxError(404, 2999008, `Kan inte hitta inbetalningen (${number})`),

  /** guessed: booking an invoice payment twice. */
  invoicePaymentBooked: (number: string) => badRequest(2999009, `Inbetalningen ${number} är redan bokförd.`),

  /** guessed: a value longer than the OpenAPI maxLength, or a date not in YYYY-MM-DD form. */
  invalidValue: (field: string, value: unknown, expected: string) => badRequest(2999010, `Ogiltigt värde (${String(value)}) (${field}): ${expected}`),

  /** guessed: a voucher whose debit and credit sums differ ("Verifikationen är inte i balans"). */
  voucherUnbalanced: (debit: string, credit: string) => badRequest(2999011, `Verifikationen är inte i balans (debet ${debit}, kredit ${credit})`),

  /** guessed: a voucher series the company does not have: HTTP 404 on its own URL, 400 when a voucher names it. */
  voucherSeriesNotFound: (code: string, inPayload: boolean) =>
    new FortnoxError(inPayload ? 400 : 404, 2999012, `Kan inte hitta verifikationsserien (${code})`),

  /** guessed: no financial year with this id, or none that holds the date. */
  financialYearNotFound: (what: string) => badRequest(2999013, `Det finns inget räkenskapsår för ${what}`),

  /** guessed: a voucher dated in the company's locked period (/3/settings/lockedperiod). */
  periodLocked: (date: string, lockedThrough: string) => badRequest(2999014, `Perioden är låst till och med ${lockedThrough}; datumet ${date} kan inte bokföras`),

  /** guessed: no voucher with this series, number and year (HTTP 404). */
  voucherNotFound: (series: string, number: string) => new FortnoxError(404, 2999015, `Kan inte hitta verifikationen (${series}${number})`),

  /** guessed: a payment whose sign does not match its invoice (a credit invoice takes negative payments). */
  paymentSignMismatch: (documentNumber: string, credit: boolean) =>
    badRequest(2999016, credit ? `Fakturan ${documentNumber} är en kreditfaktura; beloppet måste vara negativt` : `Beloppet måste vara positivt för faktura ${documentNumber}`),

  /** guessed: GET/PUT on an account number that is not in the chart (HTTP 404, Fortnox's account code). */
  accountNotFoundById: (number: string) => new FortnoxError(404, 2001304, `Kunde inte hitta konto ${number}`),

  /** guessed: no customer with this number on GET/PUT (HTTP 404, code as for a missing customer on a document). */
  customerNotFoundById: (customerNumber: string) => new FortnoxError(404, 2000433, `Kunde inte hitta kund (${customerNumber})`),

  /**
   * guessed body: Fortnox documents only the status (HTTP 429, rate-limits page, seen 2026-11). Sends no
   * Retry-After header because Fortnox documents none.
   */
  rateLimited: () => new FortnoxError(429, 2999429, 'Too Many Requests'),

  /** guessed: a path under /3/ that the sandbox does not serve (HTTP 404). */
  unknownResource: (path: string) => new FortnoxError(404, 2999404, `Resursen finns inte (${path})`),
};

/** Which key spelling an error body uses; see SOURCE.md: the OpenAPI says PascalCase, live responses use lowercase. */
export type ErrorKeyCase = 'lowercase' | 'PascalCase';

/** The `ErrorInformation` body of an error, keys spelled as asked. */
export function errorInformation(error: FortnoxError, keys: ErrorKeyCase = 'lowercase'): Record<string, unknown> {
  return keys === 'PascalCase'
    ? { ErrorInformation: { Error: 1, Message: error.message, Code: error.code } }
    : { ErrorInformation: { error: 1, message: error.message, code: error.code } };
}
