import { startFortnoxSandbox, type FortnoxSandbox } from '../src';
import { connectTenant, manualClock, type TenantConnection } from './fortnox-http';

describe('sandbox-fortnox vouchers, voucher series, accounts, financial years and the locked period', () => {
  let sandbox: FortnoxSandbox;
  let t: TenantConnection;
  const clock = manualClock();

  beforeAll(async () => {
    sandbox = await startFortnoxSandbox({ rateLimit: { requests: 10_000, windowMs: 5000 }, now: clock.now });
    t = await connectTenant(sandbox);
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(() => sandbox.close());

  const voucher = (rows: unknown[], extra: Record<string, unknown> = {}) => ({
    Voucher: { Description: 'Stripe-avgifter po_1', TransactionDate: '2026-11-26', VoucherSeries: 'A', ReferenceNumber: 'LL|acme|PB|fee-1', VoucherRows: rows, ...extra },
  });
  const fee = [
    { Account: 6570, Debit: 12.4, Credit: 0 },
    { Account: 1580, Debit: 0, Credit: 12.4 },
  ];

  it('creates a balanced voucher numbered per series and financial year, and finds it by series and number, in lists and by date', async () => {
    const { body: years } = await t.call('GET', '/3/financialyears?Date=2026-11-26');
    expect(years.FinancialYears).toEqual([expect.objectContaining({ FromDate: '2026-01-01', ToDate: '2026-12-31', AccountingMethod: 'ACCRUAL' })]);
    const yearId = years.FinancialYears[0].Id as number;

    const created = await t.call('POST', `/3/vouchers?financialyear=${yearId}`, voucher(fee));
    expect(created.status).toBe(201);
    expect(created.body.Voucher).toMatchObject({ VoucherSeries: 'A', VoucherNumber: 1, Year: yearId, TransactionDate: '2026-11-26', ReferenceNumber: 'LL|acme|PB|fee-1', ReferenceType: 'MANUAL' });
    expect(created.body.Voucher.VoucherRows.map((r: Record<string, unknown>) => [r.Account, r.Debit, r.Credit])).toEqual([
      [6570, 12.4, 0],
      [1580, 0, 12.4],
    ]);
    const second = await t.call('POST', '/3/vouchers', voucher(fee, { TransactionDate: '2026-11-27', ReferenceNumber: 'LL|acme|PB|fee-2' }));
    expect(second.body.Voucher).toMatchObject({ VoucherNumber: 2, Year: yearId });

    expect((await t.call('GET', `/3/vouchers/A/1?financialyear=${yearId}`)).body.Voucher).toMatchObject({ VoucherNumber: 1, Description: 'Stripe-avgifter po_1' });
    expect((await t.call('GET', '/3/vouchers/A/9')).status).toBe(404);
    const byDate = await t.call('GET', `/3/vouchers/sublist/A?financialyear=${yearId}&fromdate=2026-11-27&todate=2026-11-27`);
    expect(byDate.body.Vouchers.map((v: Record<string, unknown>) => [v.VoucherNumber, v.ReferenceNumber])).toEqual([[2, 'LL|acme|PB|fee-2']]);
    const paged = await t.call('GET', '/3/vouchers?limit=1&page=2');
    expect(paged.body.MetaInformation).toEqual({ '@TotalResources': 2, '@TotalPages': 2, '@CurrentPage': 2 });
    expect((await t.call('GET', '/3/vouchers/sublist/B')).body.Vouchers).toEqual([]);
    expect((await t.call('GET', '/3/voucherseries/A')).body.VoucherSeries).toMatchObject({ Code: 'A', NextVoucherNumber: 3, Year: yearId });
  });

  it('refuses unbalanced rows, an account outside the chart, an unknown series, a date outside the year and a locked period, in Fortnox error form', async () => {
    const unbalanced = await t.call('POST', '/3/vouchers', voucher([{ Account: 6570, Debit: 12.4 }, { Account: 1580, Credit: 12.3 }]));
    expect(unbalanced).toMatchObject({ status: 400, body: { ErrorInformation: { error: 1, code: 2999011, message: 'Verifikationen är inte i balans (debet 12.40, kredit 12.30)' } } });
    const account = await t.call('POST', '/3/vouchers', voucher([{ Account: 6999, Debit: 5 }, { Account: 1580, Credit: 5 }]));
    expect(account.body.ErrorInformation).toEqual({ error: 1, code: 2001304, message: 'Kunde inte hitta konto 6999 (VoucherRows.Account)' });
    expect((await t.call('POST', '/3/vouchers', voucher(fee, { VoucherSeries: 'Q' }))).body.ErrorInformation.code).toBe(2999012);
    expect((await t.call('POST', '/3/vouchers', voucher([{ Account: 1580, Debit: 1 }]))).body.ErrorInformation.code).toBe(2999010);
    expect((await t.call('POST', '/3/vouchers', voucher(fee, { Description: '' }))).body.ErrorInformation.code).toBe(2999001);
    expect((await t.call('POST', '/3/vouchers', voucher(fee, { Foo: 1 }))).body.ErrorInformation.code).toBe(2001399);
    const outside = await t.call('POST', '/3/vouchers?financialyear=1', voucher(fee));
    expect(outside.body.ErrorInformation.code).toBe(2999013);

    sandbox.state.tenant(t.tenantId).lockedThrough = '2026-11-30';
    expect((await t.call('GET', '/3/settings/lockedperiod')).body).toEqual({ LockedPeriod: { EndDate: '2026-11-30' } });
    const locked = await t.call('POST', '/3/vouchers', voucher(fee));
    expect(locked.body.ErrorInformation).toEqual({ error: 1, code: 2999014, message: 'Perioden är låst till och med 2026-11-30; datumet 2026-11-26 kan inte bokföras' });
    sandbox.state.tenant(t.tenantId).lockedThrough = null;
    expect((await t.call('GET', '/3/settings/lockedperiod')).body).toEqual({ LockedPeriod: { EndDate: '' } });
  });

  it('serves the chart of accounts and lets a client add an account that vouchers may then use', async () => {
    const list = await t.call('GET', '/3/accounts?limit=500');
    const numbers = list.body.Accounts.map((a: Record<string, number>) => a.Number);
    expect(numbers).toEqual([...numbers].sort((a: number, b: number) => a - b));
    expect(numbers).toEqual(expect.arrayContaining([1510, 1580, 1680, 1930, 2440, 3001, 6570, 7960]));
    expect((await t.call('GET', '/3/accounts/6570')).body.Account).toMatchObject({ Number: 6570, Description: 'Bankkostnader', Active: true });
    expect((await t.call('GET', '/3/accounts/6998')).status).toBe(404);

    expect((await t.call('POST', '/3/accounts', { Account: { Number: 6998, Description: 'Betaltjänstavgifter' } })).status).toBe(201);
    expect((await t.call('POST', '/3/accounts', { Account: { Number: 6998, Description: 'Igen' } })).body.ErrorInformation.code).toBe(2999010);
    expect((await t.call('POST', '/3/vouchers', voucher([{ Account: 6998, Debit: 3 }, { Account: 1580, Credit: 3 }]))).status).toBe(201);
  });

  it('lists and creates voucher series', async () => {
    const list = await t.call('GET', '/3/voucherseries');
    expect(list.body.VoucherSeriesCollection.map((s: Record<string, string>) => s.Code)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect((await t.call('POST', '/3/voucherseries', { VoucherSeries: { Code: 'P', Description: 'Betaltjänster' } })).body.VoucherSeries).toMatchObject({ Code: 'P', NextVoucherNumber: 1 });
    expect((await t.call('POST', '/3/vouchers', voucher(fee, { VoucherSeries: 'P' }))).body.Voucher).toMatchObject({ VoucherSeries: 'P', VoucherNumber: 1 });
  });

  it('books a credit invoice payment negative on a C voucher, and keeps a foreign invoice balance in its own currency', async () => {
    await t.call('POST', '/3/customers', { Customer: { Name: 'Kund AB', CustomerNumber: '1' } });
    const invoice = await t.call('POST', '/3/invoices', { Invoice: { CustomerNumber: '1', InvoiceRows: [{ Description: 'X', Price: 100, DeliveredQuantity: 1 }] } });
    const n = invoice.body.Invoice.DocumentNumber as string;
    await t.call('PUT', `/3/invoices/${n}/bookkeep`);
    const credit = await t.call('POST', '/3/invoices', { Invoice: { CustomerNumber: '1', CreditInvoiceReference: n, InvoiceRows: [{ Description: 'X', Price: 100, DeliveredQuantity: -1 }] } });
    const c = credit.body.Invoice.DocumentNumber as string;
    await t.call('PUT', `/3/invoices/${c}/bookkeep`);

    const positive = await t.call('POST', '/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(c), Amount: 125, ModeOfPaymentAccount: 1580 } });
    expect(positive.body.ErrorInformation).toEqual({ error: 1, code: 2999016, message: `Fakturan ${c} är en kreditfaktura; beloppet måste vara negativt` });
    const paid = await t.call('POST', '/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(c), Amount: -125, PaymentDate: '2026-11-26', ModeOfPaymentAccount: 1580 } });
    expect(paid.status).toBe(201);
    expect((await t.call('GET', `/3/invoices/${c}`)).body.Invoice.Balance).toBe(0);
    const booked = await t.call('PUT', `/3/invoicepayments/${paid.body.InvoicePayment.Number}/bookkeep`);
    const voucherC = await t.call('GET', `/3/vouchers/C/${booked.body.InvoicePayment.VoucherNumber}`);
    expect(voucherC.body.Voucher).toMatchObject({ ReferenceType: 'INVOICEPAYMENT', ReferenceNumber: paid.body.InvoicePayment.Number });
    expect(voucherC.body.Voucher.VoucherRows.map((r: Record<string, unknown>) => [r.Account, r.Debit, r.Credit])).toEqual([
      [1580, 0, 125],
      [1510, 125, 0],
    ]);

    const eur = await t.call('POST', '/3/invoices', { Invoice: { CustomerNumber: '1', Currency: 'EUR', CurrencyRate: 11.45, InvoiceRows: [{ Description: 'X', Price: 100, DeliveredQuantity: 1 }] } });
    const e = eur.body.Invoice.DocumentNumber as string;
    await t.call('PUT', `/3/invoices/${e}/bookkeep`);
    expect((await t.call('POST', '/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(e), Amount: 1431.25 } })).body.ErrorInformation.code).toBe(2999001);
    const eurPaid = await t.call('POST', '/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(e), Amount: 1431.25, AmountCurrency: 125 } });
    expect(eurPaid.body.InvoicePayment).toMatchObject({ Amount: 1431.25, AmountCurrency: 125, Currency: 'EUR', CurrencyRate: 11.45 });
    expect((await t.call('GET', `/3/invoices/${e}`)).body.Invoice.Balance).toBe(0);
  });

  it('faults the voucher endpoints like any other: stored but unanswered creates are there to be found', async () => {
    sandbox.faults.failNext(1, { match: 'POST /3/vouchers' });
    expect((await t.call('POST', '/3/vouchers', voucher(fee, { ReferenceNumber: 'fault-1' }))).status).toBe(503);
    sandbox.faults.timeoutAfterStore(1, { match: 'POST /3/vouchers', destroyAfterMs: 50 });
    await expect(t.call('POST', '/3/vouchers', voucher(fee, { ReferenceNumber: 'fault-2' }))).rejects.toThrow();
    const refs = (await t.call('GET', '/3/vouchers/sublist/A?limit=500')).body.Vouchers.map((v: Record<string, string>) => v.ReferenceNumber);
    expect(refs).toContain('fault-2');
    expect(refs).not.toContain('fault-1');
  });
});
