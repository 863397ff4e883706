import { startFortnoxSandbox, type FortnoxSandbox } from '../src';
import { connectTenant, type TenantConnection } from './fortnox-http';

describe('sandbox-fortnox invoice lifecycle: bookkeep, cancel, credit, payments', () => {
  let sandbox: FortnoxSandbox;
  let t: TenantConnection;

  beforeAll(async () => {
    sandbox = await startFortnoxSandbox({ rateLimit: { requests: 10_000, windowMs: 5000 } });
    t = await connectTenant(sandbox, 'Lifecycle AB');
    await t.call('POST', '/3/customers', { Customer: { Name: 'Kund AB' } });
  });
  afterAll(() => sandbox.close());

  /** A 25 % + 12 % invoice: Net 245.30, VAT 55.41, RoundOff 0.29, Total 301. */
  async function createInvoice(ref = 'woo-1'): Promise<string> {
    const res = await t.call('POST', '/3/invoices', {
      Invoice: {
        CustomerNumber: '1',
        ExternalInvoiceReference1: ref,
        InvoiceRows: [
          { Description: 'Tröja', Price: 99.9, DeliveredQuantity: 2, VAT: 25 },
          { Description: 'Bok', Price: 45.5, DeliveredQuantity: 1, VAT: 12 },
        ],
      },
    });
    expect(res.status).toBe(201);
    return res.body.Invoice.DocumentNumber;
  }

  it('books an invoice on a B-series voucher, once', async () => {
    const n = await createInvoice();
    const booked = await t.call('PUT', `/3/invoices/${n}/bookkeep`);
    expect(booked.status).toBe(200);
    expect(booked.body.Invoice).toMatchObject({ DocumentNumber: n, Booked: true, VoucherSeries: 'B', VoucherNumber: expect.any(Number), VoucherYear: 2026 });

    const again = await t.call('PUT', `/3/invoices/${n}/bookkeep`);
    expect(again.status).toBe(400);
    expect(again.body.ErrorInformation.code).toBe(2999004);
  });

  it('refuses to cancel a booked invoice and leaves it untouched', async () => {
    const n = await createInvoice();
    await t.call('PUT', `/3/invoices/${n}/bookkeep`);
    const res = await t.call('PUT', `/3/invoices/${n}/cancel`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ErrorInformation: { error: 1, message: `Fakturan ${n} är bokförd och kan inte makuleras.`, code: 2999004 } });
    expect((await t.call('GET', `/3/invoices/${n}`)).body.Invoice).toMatchObject({ Booked: true, Cancelled: false, Balance: 301 });
  });

  it('cancels an unbooked invoice, after which it can be neither booked, changed nor cancelled again', async () => {
    const n = await createInvoice();
    const cancelled = await t.call('PUT', `/3/invoices/${n}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.Invoice).toMatchObject({ Cancelled: true, Booked: false, Balance: 0 });

    for (const [method, path, body] of [
      ['PUT', `/3/invoices/${n}/bookkeep`, undefined],
      ['PUT', `/3/invoices/${n}/cancel`, undefined],
      ['PUT', `/3/invoices/${n}`, { Invoice: { Remarks: 'x' } }],
    ] as const) {
      const res = await t.call(method, path, body);
      expect(res.status).toBe(400);
      expect(res.body.ErrorInformation.code).toBe(2999005);
    }
    const cancelledList = await t.call('GET', '/3/invoices?filter=cancelled');
    expect(cancelledList.body.Invoices.map((i: Record<string, string>) => i.DocumentNumber)).toContain(n);
  });

  it('credits a booked invoice with a linked credit invoice that mirrors its rows and totals', async () => {
    const n = await createInvoice('woo-credit-1');
    await t.call('PUT', `/3/invoices/${n}/bookkeep`);

    const res = await t.call('PUT', `/3/invoices/${n}/credit`);
    expect(res.status).toBe(200);
    const original = res.body.Invoice;
    expect(original.DocumentNumber).toBe(n);
    expect(original.CreditInvoiceReference).toMatch(/^\d+$/);
    expect(original.CreditInvoiceReference).not.toBe('0');

    const credit = (await t.call('GET', `/3/invoices/${original.CreditInvoiceReference}`)).body.Invoice;
    expect(credit).toMatchObject({
      Credit: 'true',
      CreditInvoiceReference: n,
      Booked: false,
      ExternalInvoiceReference1: 'woo-credit-1',
      Net: -245.3,
      TotalVAT: -55.41,
      RoundOff: -0.29,
      Total: -301,
    });
    expect(credit.InvoiceRows.map((r: Record<string, unknown>) => [r.DeliveredQuantity, r.Total])).toEqual([
      ['-2.00', -199.8],
      ['-1.00', -45.5],
    ]);

    // The copied external reference means a search now finds both documents; the connector must tell them apart.
    const found = await t.call('GET', '/3/invoices?externalinvoicereference1=woo-credit-1');
    expect(found.body.Invoices.map((i: Record<string, string>) => i.DocumentNumber).sort()).toEqual([n, original.CreditInvoiceReference].sort());

    const twice = await t.call('PUT', `/3/invoices/${n}/credit`);
    expect(twice.status).toBe(400);
    expect(twice.body.ErrorInformation.code).toBe(2999007);
  });

  it('refuses to credit an invoice that is not booked', async () => {
    const n = await createInvoice();
    const res = await t.call('PUT', `/3/invoices/${n}/credit`);
    expect(res.status).toBe(400);
    expect(res.body.ErrorInformation.code).toBe(2999006);
  });

  it('creates a partial credit invoice from a payload with CreditInvoiceReference and links the original to it', async () => {
    const n = await createInvoice();
    await t.call('PUT', `/3/invoices/${n}/bookkeep`);
    const res = await t.call('POST', '/3/invoices', {
      Invoice: { CustomerNumber: '1', CreditInvoiceReference: n, InvoiceRows: [{ Description: 'Retur Bok', Price: 45.5, DeliveredQuantity: -1, VAT: 12 }] },
    });
    expect(res.status).toBe(201);
    expect(res.body.Invoice).toMatchObject({ Credit: 'true', CreditInvoiceReference: n, Net: -45.5, TotalVAT: -5.46, Total: -51, RoundOff: -0.04 });
    expect((await t.call('GET', `/3/invoices/${n}`)).body.Invoice.CreditInvoiceReference).toBe(res.body.Invoice.DocumentNumber);
  });

  it('registers a payment against a booked invoice, settles its balance, and books the payment on a C voucher once', async () => {
    const n = await createInvoice();
    await t.call('PUT', `/3/invoices/${n}/bookkeep`);

    const paid = await t.call('POST', '/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(n), Amount: 301, PaymentDate: '2026-11-27', ModeOfPaymentAccount: 1580 } });
    expect(paid.status).toBe(201);
    expect(paid.body.InvoicePayment).toMatchObject({ Number: expect.stringMatching(/^\d+$/), InvoiceNumber: Number(n), Amount: 301, Booked: false, ModeOfPaymentAccount: 1580, PaymentDate: '2026-11-27' });
    expect((await t.call('GET', `/3/invoices/${n}`)).body.Invoice).toMatchObject({ Balance: 0, FinalPayDate: '2026-11-27' });
    expect((await t.call('GET', '/3/invoices?filter=fullypaid')).body.Invoices.map((i: Record<string, string>) => i.DocumentNumber)).toContain(n);

    const number = paid.body.InvoicePayment.Number;
    const booked = await t.call('PUT', `/3/invoicepayments/${number}/bookkeep`);
    expect(booked.status).toBe(200);
    expect(booked.body.InvoicePayment).toMatchObject({ Booked: true, VoucherSeries: 'C', VoucherYear: 2026 });
    expect((await t.call('PUT', `/3/invoicepayments/${number}/bookkeep`)).body.ErrorInformation.code).toBe(2999009);

    const list = await t.call('GET', `/3/invoicepayments?invoicenumber=${n}`);
    expect(list.body.InvoicePayments).toEqual([expect.objectContaining({ Number: number, InvoiceNumber: Number(n), Amount: 301, Booked: true, WriteOffExist: false })]);
    expect((await t.call('GET', `/3/invoicepayments/${number}`)).body.InvoicePayment.Number).toBe(number);
  });

  it('rejects a payment on an unknown or unbooked invoice and one to an account outside the chart', async () => {
    const unknown = await t.call('POST', '/3/invoicepayments', { InvoicePayment: { InvoiceNumber: 999999, Amount: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.ErrorInformation).toEqual({ error: 1, message: 'Kan inte hitta fakturan (999999) (InvoiceNumber)', code: 2999003 });

    const n = await createInvoice();
    const unbooked = await t.call('POST', '/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(n), Amount: 301 } });
    expect(unbooked.status).toBe(400);
    expect(unbooked.body.ErrorInformation.code).toBe(2999006);

    await t.call('PUT', `/3/invoices/${n}/bookkeep`);
    const badAccount = await t.call('POST', '/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(n), Amount: 301, ModeOfPaymentAccount: 1999 } });
    expect(badAccount.status).toBe(400);
    expect(badAccount.body.ErrorInformation.code).toBe(2001304);
    expect((await t.call('GET', `/3/invoices/${n}`)).body.Invoice.Balance).toBe(301);
  });

  it('answers 404 in ErrorInformation form for an unknown invoice and an unknown path', async () => {
    const invoice = await t.call('GET', '/3/invoices/999999');
    expect(invoice.status).toBe(404);
    expect(invoice.body.ErrorInformation.code).toBe(2999003);
    const path = await t.call('GET', '/3/orderz');
    expect(path.status).toBe(404);
    expect(path.body.ErrorInformation).toEqual({ error: 1, message: 'Resursen finns inte (/3/orderz)', code: 2999404 });
  });
});
