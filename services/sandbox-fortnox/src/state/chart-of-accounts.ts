/**
 * The subset of the Swedish BAS chart of accounts every sandbox tenant starts with. A Fortnox company's
 * chart holds what the company uses; documents that name any other account fail with "Kunde inte hitta
 * konto" (Fortnox FAQ, seen 2026-11), which is what connectors with a wrong account mapping must see.
 */
export const BAS_ACCOUNTS: ReadonlyMap<number, string> = new Map([
  [1510, 'Kundfordringar'],
  [1580, 'Fordringar för kontokort och frikort'],
  [1630, 'Avräkning för skatter och avgifter (skattekonto)'],
  [1680, 'Andra kortfristiga fordringar'],
  [1930, 'Företagskonto/checkkonto/affärskonto'],
  [1940, 'Övriga bankkonton'],
  [2440, 'Leverantörsskulder'],
  [2611, 'Utgående moms på försäljning inom Sverige, 25 %'],
  [2621, 'Utgående moms på försäljning inom Sverige, 12 %'],
  [2631, 'Utgående moms på försäljning inom Sverige, 6 %'],
  [2640, 'Ingående moms'],
  [3001, 'Försäljning inom Sverige, 25 % moms'],
  [3002, 'Försäljning inom Sverige, 12 % moms'],
  [3003, 'Försäljning inom Sverige, 6 % moms'],
  [3004, 'Försäljning inom Sverige, momsfri'],
  [3105, 'Försäljning varor till land utanför EU'],
  [3106, 'Försäljning varor till annat EU-land, momspliktig'],
  [3108, 'Försäljning varor till annat EU-land, momsfri'],
  [3740, 'Öres- och kronutjämning'],
  [3960, 'Valutakursvinster på fordringar och skulder av rörelsekaraktär'],
  [4010, 'Inköp material och varor'],
  [6064, 'Factoringavgifter'],
  [6090, 'Övriga försäljningskostnader'],
  [6570, 'Bankkostnader'],
  [6990, 'Övriga externa kostnader'],
  [7960, 'Valutakursförluster på fordringar och skulder av rörelsekaraktär'],
  [8313, 'Ränteintäkter från kortfristiga fordringar'],
]);

/** The sales account Fortnox's predefined settings use for a row without an account, by VAT rate. */
export const DEFAULT_SALES_ACCOUNT_BY_VAT: ReadonlyMap<number, number> = new Map([
  [25, 3001],
  [12, 3002],
  [6, 3003],
  [0, 3004],
]);

/** The VAT rates valid in Sweden; Fortnox rejects any other on a row. */
export const SWEDISH_VAT_RATES: ReadonlySet<number> = new Set([25, 12, 6, 0]);
