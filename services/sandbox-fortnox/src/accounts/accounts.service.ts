import { Inject, Injectable } from '@nestjs/common';
import { paginate, queryValue, singleSearch, type MetaInformation, type Query } from '../common/list-query';
import { ACCOUNT_FIELDS, ACCOUNT_LIST_ITEM_FIELDS, ACCOUNT_WRITE_FIELDS } from '../common/openapi-fields';
import { readBoolean, readInteger, readString, unwrap, writableFields } from '../common/payload';
import { pick } from '../common/resource-view';
import { fortnoxErrors } from '../errors/fortnox.error';
import { SANDBOX, type SandboxContext } from '../sandbox.context';
import type { FortnoxObject, FortnoxTenant } from '../state/fortnox.state';
import { VouchersService } from '../vouchers/vouchers.service';

/**
 * The company's chart of accounts (`tenant.accounts`, seeded with a BAS subset). Guessed: every account is active and
 * has no SRU or VAT code unless a client set one; only the description and `Active` are kept per account.
 */
@Injectable()
export class AccountsService {
  /** Extra fields per tenant and account a client wrote (Active, SRU, VATCode); the description lives in the chart. */
  private readonly extras = new WeakMap<FortnoxTenant, Map<number, FortnoxObject>>();

  constructor(
    @Inject(SANDBOX) private readonly ctx: SandboxContext,
    private readonly vouchers: VouchersService,
  ) {}

  list(tenant: FortnoxTenant, query: Query): { Accounts: FortnoxObject[]; MetaInformation: MetaInformation } {
    singleSearch(query, ['sru'], ['financialyear']);
    const sortBy = queryValue(query, 'sortby');
    if (sortBy !== undefined && sortBy !== 'number') throw fortnoxErrors.invalidParameter(`sortby=${sortBy}`);
    const sru = queryValue(query, 'sru');
    const numbers = [...tenant.accounts.keys()].sort((a, b) => a - b).filter((n) => sru === undefined || String(this.extra(tenant, n).SRU ?? '') === sru);
    const { page, meta } = paginate(numbers, query);
    return { Accounts: page.map((n) => pick(this.view(tenant, n), ACCOUNT_LIST_ITEM_FIELDS)), MetaInformation: meta };
  }

  get(tenant: FortnoxTenant, number: string): FortnoxObject {
    const n = /^\d{4}$/.test(number) ? Number(number) : NaN;
    if (!tenant.accounts.has(n)) throw fortnoxErrors.accountNotFoundById(number);
    return this.view(tenant, n);
  }

  create(tenant: FortnoxTenant, body: unknown): FortnoxObject {
    const input = writableFields(unwrap(body, 'Account'), ACCOUNT_WRITE_FIELDS, ACCOUNT_FIELDS);
    const number = readInteger(input, 'Number');
    if (number === undefined) throw fortnoxErrors.requiredFieldMissing('Number');
    if (number < 1000 || number > 9999) throw fortnoxErrors.invalidValue('Number', number, 'a four-digit account number (1000-9999)');
    if (tenant.accounts.has(number)) throw fortnoxErrors.invalidValue('Number', number, 'an account number not in the chart');
    const description = readString(input, 'Description', 200);
    if (description === undefined) throw fortnoxErrors.requiredFieldMissing('Description');
    tenant.accounts.set(number, description);
    this.write(tenant, number, input);
    return this.view(tenant, number);
  }

  update(tenant: FortnoxTenant, number: string, body: unknown): FortnoxObject {
    const current = this.get(tenant, number);
    const input = writableFields(unwrap(body, 'Account'), ACCOUNT_WRITE_FIELDS, ACCOUNT_FIELDS);
    const n = Number(current.Number);
    const description = readString(input, 'Description', 200);
    if (description !== undefined) tenant.accounts.set(n, description);
    this.write(tenant, n, input);
    return this.view(tenant, n);
  }

  private write(tenant: FortnoxTenant, number: number, input: FortnoxObject): void {
    const extra = this.extra(tenant, number);
    const active = readBoolean(input, 'Active');
    if (active !== undefined) extra.Active = active;
    const sru = readInteger(input, 'SRU');
    if (sru !== undefined) extra.SRU = sru;
    const vatCode = readString(input, 'VATCode');
    if (vatCode !== undefined) extra.VATCode = vatCode;
  }

  private extra(tenant: FortnoxTenant, number: number): FortnoxObject {
    let byNumber = this.extras.get(tenant);
    if (!byNumber) this.extras.set(tenant, (byNumber = new Map()));
    let extra = byNumber.get(number);
    if (!extra) byNumber.set(number, (extra = {}));
    return extra;
  }

  private view(tenant: FortnoxTenant, number: number): FortnoxObject {
    const extra = this.extra(tenant, number);
    return {
      '@url': `${this.ctx.baseUrl}/3/accounts/${number}`,
      Active: extra.Active ?? true,
      BalanceBroughtForward: 0,
      BalanceCarriedForward: 0,
      CostCenter: '',
      CostCenterSettings: 'ALLOWED',
      Description: tenant.accounts.get(number) ?? '',
      Number: number,
      OpeningQuantities: [],
      Project: '',
      ProjectSettings: 'ALLOWED',
      QuantitySettings: 'NOTALLOWED',
      QuantityUnit: '',
      SRU: extra.SRU ?? 0,
      TransactionInformation: '',
      TransactionInformationSettings: 'ALLOWED',
      VATCode: extra.VATCode ?? '',
      Year: this.vouchers.preselectedYear(tenant).Id,
    };
  }
}
