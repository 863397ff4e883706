import { startFortnoxSandbox, type FortnoxSandbox } from '../src';
import { connectTenant, manualClock, type TenantConnection } from './fortnox-http';

describe('sandbox-fortnox invoices: totals, validation and search', () => {
  // 09:00 UTC on 26 November is 10:00 in Stockholm (UTC+1 in winter).
  const clock = manualClock(Date.parse('2026-11-26T09:00:00Z'));
  let sandbox: FortnoxSandbox;
  let acme: TenantConnection;

  beforeAll(async () => {
    sandbox = await startFortnoxSandbox({ now: clock.now, rateLimit: { requests: 10_000, windowMs: 5000 } });
    acme = await connectTenant(sandbox, 'Acme AB');
    expect((await acme.call('POST', '/3/customers', { Customer: { Name: 'Kund Ett AB', Email: 'ett@example.se', OrganisationNumber: '556677-8899' } })).status).toBe(201);
    expect((await acme.call('POST', '/3/articles', { Article: { ArticleNumber: 'SKU-1', Description: 'Tröja', SalesPrice: 99.9, VAT: 25 } })).status).toBe(201);
  });
  afterAll(() => sandbox.close());

  const invoice = (fields: Record<string, unknown>) => acme.call('POST', '/3/invoices', { Invoice: { CustomerNumber: '1', ...fields } });

  it('computes Net, TotalVAT, Total and RoundOff for a 25 % + 12 % invoice, with article defaults on the rows', async () => {
    const res = await invoice({
      ExternalInvoiceReference1: 'woo-1001',
      InvoiceRows: [
        { ArticleNumber: 'SKU-1', DeliveredQuantity: 2 },
        { Description: 'Bok', Price: 45.5, DeliveredQuantity: '1', VAT: 12, AccountNumber: 3002 },
      ],
    });
    expect(res.status).toBe(201);
    const created = res.body.Invoice;
    expect(created).toMatchObject({
      DocumentNumber: expect.stringMatching(/^\d+$/),
      CustomerNumber: '1',
      CustomerName: 'Kund Ett AB',
      OrganisationNumber: '556677-8899',
      Currency: 'SEK',
      VATIncluded: false,
      InvoiceDate: '2026-11-26',
      DueDate: '2026-12-26',
      Net: 245.3,
      Gross: 245.3,
      TotalVAT: 55.41,
      RoundOff: 0.29,
      Total: 301,
      Balance: 301,
      Booked: false,
      Cancelled: false,
      Credit: 'false',
      CreditInvoiceReference: '0',
    });
    expect(created.InvoiceRows).toEqual([
      expect.objectContaining({ RowId: 1, ArticleNumber: 'SKU-1', Description: 'Tröja', Price: 99.9, DeliveredQuantity: '2.00', VAT: 25, AccountNumber: 3001, Total: 199.8 }),
      expect.objectContaining({ RowId: 2, ArticleNumber: '', Description: 'Bok', Price: 45.5, DeliveredQuantity: '1.00', VAT: 12, AccountNumber: 3002, Total: 45.5 }),
    ]);

    const read = await acme.call('GET', `/3/invoices/${created.DocumentNumber}`);
    expect(read.status).toBe(200);
    expect(read.body.Invoice).toEqual(created);
  });

  it('takes VAT out of prices that include it, per rate, and rounds the amount to pay to whole kronor', async () => {
    const res = await invoice({
      VATIncluded: true,
      InvoiceRows: [
        { Description: 'Mössa', Price: 129, DeliveredQuantity: 1, VAT: 25 },
        { Description: 'Jacka', Price: 200, DeliveredQuantity: 1, VAT: 25, Discount: 10, DiscountType: 'PERCENT' },
        { Description: 'Bok', Price: 19.9, DeliveredQuantity: 3, VAT: 12 },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.Invoice).toMatchObject({ VATIncluded: true, Net: 300.5, TotalVAT: 68.2, RoundOff: 0.3, Total: 369 });
    expect(res.body.Invoice.InvoiceRows.map((r: Record<string, number>) => [r.Total, r.TotalExcludingVAT, r.PriceExcludingVAT])).toEqual([
      [129, 103.2, 103.2],
      [180, 144, 160],
      [59.7, 53.3, 17.77],
    ]);
  });

  it('rejects VAT 26 with ErrorInformation and stores nothing', async () => {
    const before = (await acme.call('GET', '/3/invoices')).body.MetaInformation['@TotalResources'];
    const res = await invoice({ InvoiceRows: [{ Description: 'X', Price: 100, DeliveredQuantity: 1, VAT: 26 }] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ErrorInformation: { error: 1, message: 'Kunde inte hämta/hitta moms (26)', code: 2999002 } });
    expect((await acme.call('GET', '/3/invoices')).body.MetaInformation['@TotalResources']).toBe(before);
  });

  it('rejects a sales account that is not in the tenant\'s chart of accounts with 2001304', async () => {
    const res = await invoice({ InvoiceRows: [{ Description: 'X', Price: 100, DeliveredQuantity: 1, VAT: 25, AccountNumber: 3999 }] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ErrorInformation: { error: 1, message: 'Kunde inte hitta konto 3999 (AccountNumber)', code: 2001304 } });
  });

  it('spells error keys the OpenAPI way when asked, so clients can test that they accept both', async () => {
    sandbox.faults.errorKeyCase = 'PascalCase';
    try {
      const res = await invoice({ InvoiceRows: [{ Description: 'X', Price: 100, DeliveredQuantity: 1, AccountNumber: 3999 }] });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ ErrorInformation: { Error: 1, Message: 'Kunde inte hitta konto 3999 (AccountNumber)', Code: 2001304 } });
    } finally {
      sandbox.faults.errorKeyCase = 'lowercase';
    }
  });

  it.each([
    ['a missing CustomerNumber', { Invoice: { InvoiceRows: [] } }, 2999001],
    ['an unknown customer', { Invoice: { CustomerNumber: '404' } }, 2000433],
    ['an unknown article on a row', { Invoice: { CustomerNumber: '1', InvoiceRows: [{ ArticleNumber: 'NOPE', DeliveredQuantity: 1 }] } }, 2001302],
    ['a property Fortnox does not have', { Invoice: { CustomerNumber: '1', OrderNumber: 'x' } }, 2001399],
    ['a body without the Invoice wrapper', { CustomerNumber: '1' }, 2001392],
    ['a price that is not a number', { Invoice: { CustomerNumber: '1', InvoiceRows: [{ Price: 'tio', DeliveredQuantity: 1 }] } }, 2000108],
    ['an external reference longer than 80 characters', { Invoice: { CustomerNumber: '1', ExternalInvoiceReference1: 'x'.repeat(81) } }, 2999010],
  ])('rejects %s with 400 and its error code', async (_case, body, code) => {
    const res = await acme.call('POST', '/3/invoices', body);
    expect(res.status).toBe(400);
    expect(res.body.ErrorInformation).toEqual({ error: 1, message: expect.any(String), code });
  });

  it('ignores read-only fields such as Total on create and computes them itself', async () => {
    const res = await invoice({ Total: 1, Net: 1, InvoiceRows: [{ Description: 'X', Price: 80, DeliveredQuantity: 1 }] });
    expect(res.status).toBe(201);
    expect(res.body.Invoice).toMatchObject({ Net: 80, TotalVAT: 20, Total: 100, RoundOff: 0 });
  });

  it('searches externalinvoicereference1 as ILIKE \'%value%\': substring, any case, _ as a one-character wildcard', async () => {
    const shop = await connectTenant(sandbox, 'Shop AB');
    await shop.call('POST', '/3/customers', { Customer: { Name: 'K' } });
    for (const ref of ['woo-1001', 'woo-10010', 'WOO-2002', 'shop2:woo-1001-r', 'woo+1001']) {
      expect((await shop.call('POST', '/3/invoices', { Invoice: { CustomerNumber: '1', ExternalInvoiceReference1: ref } })).status).toBe(201);
    }
    const refs = async (q: string) =>
      (await shop.call('GET', `/3/invoices?externalinvoicereference1=${encodeURIComponent(q)}`)).body.Invoices.map((i: Record<string, string>) => i.ExternalInvoiceReference1);

    expect(await refs('woo-1001')).toEqual(['woo-1001', 'woo-10010', 'shop2:woo-1001-r']);
    expect(await refs('woo-2002')).toEqual(['WOO-2002']);
    expect(await refs('woo_1001')).toEqual(['woo-1001', 'woo-10010', 'shop2:woo-1001-r', 'woo+1001']);
    expect(await refs('no-such-order')).toEqual([]);
  });

  it('rejects two resource searches in one request, as Fortnox allows only one', async () => {
    const res = await acme.call('GET', '/3/invoices?externalinvoicereference1=woo&customernumber=1');
    expect(res.status).toBe(400);
    expect(res.body.ErrorInformation.code).toBe(2000588);
  });

  it('lists only invoices changed since lastmodified, read as Stockholm time, and an action counts as a change', async () => {
    const t = await connectTenant(sandbox, 'Modified AB');
    await t.call('POST', '/3/customers', { Customer: { Name: 'K' } });
    clock.set(Date.parse('2026-11-26T09:00:00Z')); // 10:00 Stockholm
    const first = (await t.call('POST', '/3/invoices', { Invoice: { CustomerNumber: '1' } })).body.Invoice.DocumentNumber;
    clock.set(Date.parse('2026-11-26T09:02:00Z')); // 10:02
    const second = (await t.call('POST', '/3/invoices', { Invoice: { CustomerNumber: '1' } })).body.Invoice.DocumentNumber;
    const numbers = async (since: string) =>
      (await t.call('GET', `/3/invoices?lastmodified=${encodeURIComponent(since)}`)).body.Invoices.map((i: Record<string, string>) => i.DocumentNumber);

    expect(await numbers('2026-11-26 10:01')).toEqual([second]);
    expect(await numbers('2026-11-26 09:59')).toEqual([first, second]);
    expect(await numbers('2026-11-26')).toEqual([first, second]);

    clock.set(Date.parse('2026-11-26T09:05:00Z')); // 10:05
    expect((await t.call('PUT', `/3/invoices/${first}/bookkeep`)).status).toBe(200);
    expect(await numbers('2026-11-26 10:04')).toEqual([first]);

    const bad = await t.call('GET', '/3/invoices?lastmodified=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.ErrorInformation.code).toBe(2000588);
  });

  it('pages with limit and page and reports MetaInformation', async () => {
    const t = await connectTenant(sandbox, 'Paging AB');
    await t.call('POST', '/3/customers', { Customer: { Name: 'K' } });
    for (let i = 0; i < 5; i++) await t.call('POST', '/3/invoices', { Invoice: { CustomerNumber: '1' } });

    const last = await t.call('GET', '/3/invoices?limit=2&page=3');
    expect(last.status).toBe(200);
    expect(last.body.Invoices.map((i: Record<string, string>) => i.DocumentNumber)).toEqual(['5']);
    expect(last.body.MetaInformation).toEqual({ '@TotalResources': 5, '@TotalPages': 3, '@CurrentPage': 3 });

    const beyond = await t.call('GET', '/3/invoices?limit=2&page=4');
    expect(beyond.body.Invoices).toEqual([]);
    expect((await t.call('GET', '/3/invoices?limit=501')).body.ErrorInformation.code).toBe(2000588);
  });

  it('recomputes totals when an unbooked invoice is updated with new rows', async () => {
    const created = (await invoice({ InvoiceRows: [{ Description: 'X', Price: 100, DeliveredQuantity: 1 }] })).body.Invoice;
    const updated = await acme.call('PUT', `/3/invoices/${created.DocumentNumber}`, { Invoice: { InvoiceRows: [{ Description: 'Y', Price: 10, DeliveredQuantity: 3, VAT: 6 }] } });
    expect(updated.status).toBe(200);
    expect(updated.body.Invoice).toMatchObject({ DocumentNumber: created.DocumentNumber, Net: 30, TotalVAT: 1.8, RoundOff: 0.2, Total: 32 });
    expect(updated.body.Invoice.InvoiceRows).toHaveLength(1);
  });
});
