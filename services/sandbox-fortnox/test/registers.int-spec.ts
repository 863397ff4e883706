import { startFortnoxSandbox, type FortnoxSandbox } from '../src';
import { connectTenant, type TenantConnection } from './fortnox-http';

describe('sandbox-fortnox customers, articles and warehouse stock', () => {
  let sandbox: FortnoxSandbox;
  let t: TenantConnection;

  beforeAll(async () => {
    sandbox = await startFortnoxSandbox({ rateLimit: { requests: 10_000, windowMs: 5000 } });
    t = await connectTenant(sandbox, 'Register AB');
  });
  afterAll(() => sandbox.close());

  describe('customers', () => {
    beforeAll(async () => {
      for (const c of [
        { Name: 'Anna Andersson', Email: 'anna@example.se', Type: 'PRIVATE' },
        { Name: 'Bolaget AB', Email: 'faktura@bolaget.se', OrganisationNumber: '556677-8899' },
        { CustomerNumber: 'K-100', Name: 'Cecilia', Email: 'Anna.Berg@example.se' },
      ]) {
        expect((await t.call('POST', '/3/customers', { Customer: c })).status).toBe(201);
      }
    });

    it('numbers new customers itself and returns the stored card with Fortnox defaults', async () => {
      const res = await t.call('GET', '/3/customers/1');
      expect(res.status).toBe(200);
      expect(res.body.Customer).toMatchObject({ CustomerNumber: '1', Name: 'Anna Andersson', Type: 'PRIVATE', Currency: 'SEK', Active: true, VATType: 'SEVAT', '@url': `${sandbox.url}/3/customers/1` });
    });

    it('finds customers by email and organisation number with substring matching, listing Fortnox\'s list fields', async () => {
      const byEmail = await t.call('GET', '/3/customers?email=anna');
      expect(byEmail.body.Customers.map((c: Record<string, string>) => c.CustomerNumber)).toEqual(['1', 'K-100']);
      expect(Object.keys(byEmail.body.Customers[0]).sort()).toEqual(['@url', 'Address1', 'Address2', 'City', 'CustomerNumber', 'Email', 'Name', 'OrganisationNumber', 'Phone', 'ZipCode']);

      const byOrg = await t.call('GET', '/3/customers?organisationnumber=556677-8899');
      expect(byOrg.body.Customers).toEqual([expect.objectContaining({ CustomerNumber: '2', Name: 'Bolaget AB' })]);
      expect(byOrg.body.MetaInformation).toEqual({ '@TotalResources': 1, '@TotalPages': 1, '@CurrentPage': 1 });
    });

    it('rejects a customer number in use with 2000637 and a customer without Name', async () => {
      const taken = await t.call('POST', '/3/customers', { Customer: { CustomerNumber: 'K-100', Name: 'Dubblett' } });
      expect(taken.status).toBe(400);
      expect(taken.body.ErrorInformation.code).toBe(2000637);
      const nameless = await t.call('POST', '/3/customers', { Customer: { Email: 'x@example.se' } });
      expect(nameless.status).toBe(400);
      expect(nameless.body.ErrorInformation.code).toBe(2999001);
    });

    it('updates given fields only and answers 404 for an unknown customer', async () => {
      const updated = await t.call('PUT', '/3/customers/2', { Customer: { City: 'Malmö' } });
      expect(updated.status).toBe(200);
      expect(updated.body.Customer).toMatchObject({ CustomerNumber: '2', Name: 'Bolaget AB', City: 'Malmö', OrganisationNumber: '556677-8899' });
      const missing = await t.call('PUT', '/3/customers/999', { Customer: { City: 'Malmö' } });
      expect(missing.status).toBe(404);
      expect(missing.body.ErrorInformation.code).toBe(2000433);
    });
  });

  describe('articles and stock', () => {
    it('creates, reads, updates and lists articles, validating VAT and sales account', async () => {
      const created = await t.call('POST', '/3/articles', { Article: { ArticleNumber: 'TSHIRT-M', Description: 'T-shirt M', SalesPrice: 199, VAT: 25, SalesAccount: 3001 } });
      expect(created.status).toBe(201);
      expect(created.body.Article).toMatchObject({ ArticleNumber: 'TSHIRT-M', Description: 'T-shirt M', VAT: 25, SalesAccount: 3001, QuantityInStock: 0 });

      const updated = await t.call('PUT', '/3/articles/TSHIRT-M', { Article: { Description: 'T-shirt, medium', VAT: 12 } });
      expect(updated.body.Article).toMatchObject({ Description: 'T-shirt, medium', VAT: 12, SalesPrice: 199 });
      expect((await t.call('GET', '/3/articles/TSHIRT-M')).body.Article.Description).toBe('T-shirt, medium');

      const list = await t.call('GET', '/3/articles?articlenumber=tshirt');
      expect(list.body.Articles).toEqual([expect.objectContaining({ ArticleNumber: 'TSHIRT-M', VAT: '12', SalesPrice: '199' })]);

      expect((await t.call('POST', '/3/articles', { Article: { Description: 'Fel moms', VAT: 26 } })).body.ErrorInformation.code).toBe(2999002);
      expect((await t.call('POST', '/3/articles', { Article: { Description: 'Fel konto', SalesAccount: 3999 } })).body.ErrorInformation.code).toBe(2001304);
      expect((await t.call('POST', '/3/articles', { Article: { ArticleNumber: 'TSHIRT-M', Description: 'Igen' } })).body.ErrorInformation.code).toBe(2000013);
      expect((await t.call('GET', '/3/articles/NOPE')).status).toBe(404);
    });

    it('reports stock set by a test through the warehouse stockbalance endpoint and on the article', async () => {
      await t.call('POST', '/3/articles', { Article: { ArticleNumber: 'CAP', Description: 'Keps' } });
      sandbox.state.setStock(t.tenantId, { itemId: 'CAP', inStock: 10, availableStock: 7 });
      sandbox.state.setStock(t.tenantId, { itemId: 'CAP', stockPointCode: 'STORE2', inStock: 3 });
      sandbox.state.setStock(t.tenantId, { itemId: 'SOCKS', inStock: 0 });

      const all = await t.call<unknown[]>('GET', '/api/warehouse/status-v1/stockbalance');
      expect(all.status).toBe(200);
      expect(all.body).toEqual([
        { itemId: 'CAP', stockPointCode: 'MAIN', inStock: 10, availableStock: 7 },
        { itemId: 'CAP', stockPointCode: 'STORE2', inStock: 3, availableStock: 3 },
        { itemId: 'SOCKS', stockPointCode: 'MAIN', inStock: 0, availableStock: 0 },
      ]);
      const filtered = await t.call<unknown[]>('GET', '/api/warehouse/status-v1/stockbalance?itemIds=CAP,SOCKS&stockPointCodes=MAIN');
      expect(filtered.body).toEqual([
        { itemId: 'CAP', stockPointCode: 'MAIN', inStock: 10, availableStock: 7 },
        { itemId: 'SOCKS', stockPointCode: 'MAIN', inStock: 0, availableStock: 0 },
      ]);
      expect((await t.call('GET', '/3/articles/CAP')).body.Article).toMatchObject({ QuantityInStock: 13, DisposableQuantity: 10, ReservedQuantity: 3 });
    });

    it('requires a token on the warehouse API too', async () => {
      expect((await fetch(`${sandbox.url}/api/warehouse/status-v1/stockbalance`)).status).toBe(401);
    });
  });
});
