import { Inject, Injectable } from '@nestjs/common';
import { toNumber } from '../common/decimal';
import { ilike, lastModifiedSince, paginate, queryValue, singleSearch, sortItems, type MetaInformation, type Query } from '../common/list-query';
import { ARTICLE_FIELDS, ARTICLE_LIST_ITEM_FIELDS } from '../common/openapi-fields';
import { isBlank, readBoolean, readDecimal, readInteger, readString, unwrap, writableFields } from '../common/payload';
import { pick } from '../common/resource-view';
import { fortnoxErrors } from '../errors/fortnox.error';
import { SANDBOX, type SandboxContext } from '../sandbox.context';
import { SWEDISH_VAT_RATES } from '../state/chart-of-accounts';
import type { FortnoxObject, FortnoxTenant, StoredResource } from '../state/fortnox.state';

/** Stock figures come from the warehouse (control API / state.setStock), never from the client. */
const STOCK_FIELDS = new Set(['QuantityInStock', 'ReservedQuantity', 'DisposableQuantity', 'StockValue']);
const WRITE_FIELDS = new Set([...ARTICLE_FIELDS].filter((f) => f !== '@url' && !STOCK_FIELDS.has(f)));
const ACCOUNT_FIELDS = ['SalesAccount', 'PurchaseAccount', 'EUAccount', 'EUVATAccount', 'ExportAccount', 'StockAccount', 'StockChangeAccount', 'ConstructionAccount'];

/** Query parameters of GET /3/articles that search one field (OpenAPI `list_4`), and the field each searches. */
const SEARCHES: Record<string, string> = {
  articlenumber: 'ArticleNumber',
  description: 'Description',
  ean: 'EAN',
  suppliernumber: 'SupplierNumber',
  manufacturer: 'Manufacturer',
  manufacturerarticlenumber: 'ManufacturerArticleNumber',
  webshop: 'WebshopArticle',
};

/** Article register of a tenant; stock quantities are read from the tenant's warehouse balances. */
@Injectable()
export class ArticlesService {
  constructor(@Inject(SANDBOX) private readonly ctx: SandboxContext) {}

  create(tenant: FortnoxTenant, body: unknown): FortnoxObject {
    const input = writableFields(unwrap(body, 'Article'), WRITE_FIELDS, ARTICLE_FIELDS);
    if (isBlank(input.Description)) throw fortnoxErrors.requiredFieldMissing('Description');
    let number = readString(input, 'ArticleNumber', 50);
    if (number !== undefined) {
      if (tenant.articles.has(number)) throw fortnoxErrors.articleNumberTaken(number);
    } else {
      do number = String(++tenant.sequences.article);
      while (tenant.articles.has(number));
    }
    const data: FortnoxObject = {
      ...Object.fromEntries([...WRITE_FIELDS].map((f) => [f, null])),
      Active: true,
      Type: 'STOCK',
      StockGoods: false,
      WebshopArticle: false,
      Housework: false,
      Expired: false,
      VAT: 25,
      SalesAccount: 3001,
      SalesPrice: 0,
      PurchasePrice: 0,
      ...this.validated(tenant, input),
      ArticleNumber: number,
    };
    const stored: StoredResource = { data, lastModified: this.ctx.now() };
    tenant.articles.set(number, stored);
    return this.view(tenant, stored);
  }

  get(tenant: FortnoxTenant, articleNumber: string): FortnoxObject {
    return this.view(tenant, this.find(tenant, articleNumber));
  }

  update(tenant: FortnoxTenant, articleNumber: string, body: unknown): FortnoxObject {
    const stored = this.find(tenant, articleNumber);
    const input = writableFields(unwrap(body, 'Article'), WRITE_FIELDS, ARTICLE_FIELDS);
    delete input.ArticleNumber;
    if ('Description' in input && isBlank(input.Description)) throw fortnoxErrors.requiredFieldMissing('Description');
    stored.data = { ...stored.data, ...this.validated(tenant, input) };
    stored.lastModified = this.ctx.now();
    return this.view(tenant, stored);
  }

  list(tenant: FortnoxTenant, query: Query): { Articles: FortnoxObject[]; MetaInformation: MetaInformation } {
    const search = singleSearch(query, Object.keys(SEARCHES), []);
    const since = lastModifiedSince(query);
    const filter = queryValue(query, 'filter');
    if (filter !== undefined && filter !== 'active' && filter !== 'inactive') throw fortnoxErrors.invalidParameter(`filter=${filter}`);
    const match = search ? ilike(search.value) : () => true;
    const searched = search ? SEARCHES[search.field] : '';
    const found = [...tenant.articles.values()]
      .filter((a) => (since === undefined || a.lastModified >= since) && (filter === undefined || (a.data.Active !== false) === (filter === 'active')))
      .map((a) => this.view(tenant, a))
      .filter((a) => match(a[searched]));
    const sorted = sortItems(found, query, {
      articlenumber: (a) => String(a.ArticleNumber),
      quantityinstock: (a) => Number(a.QuantityInStock),
      reservedquantity: (a) => Number(a.ReservedQuantity),
      stockvalue: (a) => Number(a.StockValue),
    });
    const { page, meta } = paginate(sorted, query);
    // ArticleListItem declares several numbers as strings; the sandbox answers with the declared types.
    const asString = ['DisposableQuantity', 'PurchasePrice', 'ReservedQuantity', 'SalesPrice', 'StockValue', 'VAT'];
    return {
      Articles: page.map((a) => {
        const item = pick(a, ARTICLE_LIST_ITEM_FIELDS);
        for (const f of asString) item[f] = item[f] === null ? null : String(item[f]);
        return item;
      }),
      MetaInformation: meta,
    };
  }

  find(tenant: FortnoxTenant, articleNumber: string): StoredResource {
    const stored = tenant.articles.get(articleNumber);
    if (!stored) throw fortnoxErrors.articleNotFound(articleNumber);
    return stored;
  }

  private validated(tenant: FortnoxTenant, input: FortnoxObject): FortnoxObject {
    const out = { ...input };
    for (const field of ACCOUNT_FIELDS) {
      const account = readInteger(input, field);
      if (account !== undefined && !tenant.accounts.has(account)) throw fortnoxErrors.accountNotFound(account, field);
      if (account !== undefined) out[field] = account;
    }
    const vat = readDecimal(input, 'VAT');
    if (vat !== undefined) {
      const rate = toNumber(vat);
      if (!SWEDISH_VAT_RATES.has(rate)) throw fortnoxErrors.invalidVatRate(input.VAT);
      out.VAT = rate;
    }
    for (const field of ['SalesPrice', 'PurchasePrice', 'Weight', 'Width', 'Height', 'Depth']) {
      const value = readDecimal(input, field);
      if (value !== undefined) out[field] = toNumber(value);
    }
    for (const field of ['Active', 'StockGoods', 'WebshopArticle', 'Housework', 'Expired', 'Bulky']) readBoolean(input, field);
    const type = readString(input, 'Type');
    if (type !== undefined && type !== 'STOCK' && type !== 'SERVICE') throw fortnoxErrors.invalidValue('Type', type, 'STOCK or SERVICE');
    readString(input, 'Description', 200);
    readString(input, 'EAN', 30);
    return out;
  }

  /** The article with its stock figures summed over the warehouse's stock points. */
  private view(tenant: FortnoxTenant, stored: StoredResource): FortnoxObject {
    const points = [...(tenant.stock.get(String(stored.data.ArticleNumber))?.values() ?? [])];
    const inStock = points.reduce((n, p) => n + p.inStock, 0);
    const available = points.reduce((n, p) => n + p.availableStock, 0);
    const purchasePrice = Number(stored.data.PurchasePrice ?? 0);
    return {
      '@url': `${this.ctx.baseUrl}/3/articles/${encodeURIComponent(String(stored.data.ArticleNumber))}`,
      ...stored.data,
      QuantityInStock: inStock,
      ReservedQuantity: inStock - available,
      DisposableQuantity: available,
      StockValue: Math.round(inStock * purchasePrice * 100) / 100,
    };
  }
}
