import { Inject, Injectable } from '@nestjs/common';
import { ilike, lastModifiedSince, paginate, queryValue, singleSearch, sortItems, type MetaInformation, type Query } from '../common/list-query';
import { CUSTOMER_FIELDS, CUSTOMER_LIST_ITEM_FIELDS } from '../common/openapi-fields';
import { isBlank, readBoolean, readString, unwrap, writableFields } from '../common/payload';
import { pick } from '../common/resource-view';
import { fortnoxErrors } from '../errors/fortnox.error';
import { SANDBOX, type SandboxContext } from '../sandbox.context';
import type { FortnoxObject, FortnoxTenant, StoredResource } from '../state/fortnox.state';

const WRITE_FIELDS = new Set([...CUSTOMER_FIELDS].filter((f) => f !== '@url'));

/** Query parameters of GET /3/customers that search one field (OpenAPI `list_15`), and the field each searches. */
const SEARCHES: Record<string, string> = {
  customernumber: 'CustomerNumber',
  name: 'Name',
  zipcode: 'ZipCode',
  city: 'City',
  email: 'Email',
  phone: 'Phone1',
  organisationnumber: 'OrganisationNumber',
  gln: 'GLN',
  glndelivery: 'GLNDelivery',
};

const ENUMS: Record<string, readonly string[]> = {
  Type: ['PRIVATE', 'COMPANY'],
  VATType: ['SEVAT', 'SEREVERSEDVAT', 'EUREVERSEDVAT', 'EUVAT', 'EXPORT'],
};

/** Customer register of a tenant: create, read, update, list with Fortnox's search rules. */
@Injectable()
export class CustomersService {
  constructor(@Inject(SANDBOX) private readonly ctx: SandboxContext) {}

  create(tenant: FortnoxTenant, body: unknown): FortnoxObject {
    const input = writableFields(unwrap(body, 'Customer'), WRITE_FIELDS, CUSTOMER_FIELDS);
    if (isBlank(input.Name)) throw fortnoxErrors.requiredFieldMissing('Name');
    let number = readString(input, 'CustomerNumber');
    if (number !== undefined) {
      if (tenant.customers.has(number)) throw fortnoxErrors.customerNumberTaken(number);
    } else {
      do number = String(++tenant.sequences.customer);
      while (tenant.customers.has(number));
    }
    const data: FortnoxObject = {
      ...Object.fromEntries([...WRITE_FIELDS].map((f) => [f, null])),
      Active: true,
      Currency: 'SEK',
      CountryCode: 'SE',
      ShowPriceVATIncluded: false,
      Type: 'COMPANY',
      VATType: 'SEVAT',
      TermsOfPayment: '30',
      ...this.validated(tenant, input),
      CustomerNumber: number,
    };
    const stored: StoredResource = { data, lastModified: this.ctx.now() };
    tenant.customers.set(number, stored);
    return this.view(stored);
  }

  get(tenant: FortnoxTenant, customerNumber: string): FortnoxObject {
    return this.view(this.find(tenant, customerNumber));
  }

  /** Changes the given fields; the customer number itself cannot change (a different number is ignored). */
  update(tenant: FortnoxTenant, customerNumber: string, body: unknown): FortnoxObject {
    const stored = this.find(tenant, customerNumber);
    const input = writableFields(unwrap(body, 'Customer'), WRITE_FIELDS, CUSTOMER_FIELDS);
    delete input.CustomerNumber;
    if ('Name' in input && isBlank(input.Name)) throw fortnoxErrors.requiredFieldMissing('Name');
    stored.data = { ...stored.data, ...this.validated(tenant, input) };
    stored.lastModified = this.ctx.now();
    return this.view(stored);
  }

  list(tenant: FortnoxTenant, query: Query): { Customers: FortnoxObject[]; MetaInformation: MetaInformation } {
    const search = singleSearch(query, Object.keys(SEARCHES), []);
    const since = lastModifiedSince(query);
    const filter = queryValue(query, 'filter');
    if (filter !== undefined && filter !== 'active' && filter !== 'inactive') throw fortnoxErrors.invalidParameter(`filter=${filter}`);
    const match = search ? ilike(search.value) : () => true;
    const searched = search ? SEARCHES[search.field] : '';
    const found = [...tenant.customers.values()].filter(
      (c) =>
        match(c.data[searched]) &&
        (since === undefined || c.lastModified >= since) &&
        (filter === undefined || (c.data.Active !== false) === (filter === 'active')),
    );
    const sorted = sortItems(found, query, {
      customernumber: (c) => String(c.data.CustomerNumber),
      name: (c) => String(c.data.Name ?? ''),
    });
    const { page, meta } = paginate(sorted, query);
    return {
      Customers: page.map((c) => pick({ ...this.view(c), Phone: c.data.Phone1 }, CUSTOMER_LIST_ITEM_FIELDS)),
      MetaInformation: meta,
    };
  }

  /** The stored customer, or 404 with Fortnox's customer-not-found code. */
  find(tenant: FortnoxTenant, customerNumber: string): StoredResource {
    const stored = tenant.customers.get(customerNumber);
    if (!stored) throw fortnoxErrors.customerNotFoundById(customerNumber);
    return stored;
  }

  private validated(tenant: FortnoxTenant, input: FortnoxObject): FortnoxObject {
    for (const [field, allowed] of Object.entries(ENUMS)) {
      const value = readString(input, field);
      if (value !== undefined && !allowed.includes(value)) throw fortnoxErrors.invalidValue(field, value, `one of ${allowed.join(', ')}`);
    }
    for (const field of ['Active', 'ShowPriceVATIncluded']) readBoolean(input, field);
    const salesAccount = readString(input, 'SalesAccount', 4);
    if (salesAccount !== undefined && !tenant.accounts.has(Number(salesAccount))) throw fortnoxErrors.accountNotFound(salesAccount, 'SalesAccount');
    for (const [field, max] of [['YourReference', 50], ['OurReference', 50], ['ZipCode', 10], ['CountryCode', 2]] as const) readString(input, field, max);
    return input;
  }

  private view(stored: StoredResource): FortnoxObject {
    return { '@url': `${this.ctx.baseUrl}/3/customers/${encodeURIComponent(String(stored.data.CustomerNumber))}`, ...stored.data };
  }
}
