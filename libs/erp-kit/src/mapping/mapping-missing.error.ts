import { describeSubject, documentNoun, LedgerlineError, type ErrorContext } from '../errors/ledgerline.error';

/**
 * The mappings a tenant maintains in the console, each with its stable error code, the ERP-side noun used in
 * operator messages, and the console screen where a person adds the missing entry.
 */
export const MAPPING_KINDS = {
  'tax-code': { code: 'MAPPING_TAX_CODE_MISSING', noun: 'tax code', screen: 'Mappings → Tax codes' },
  account: { code: 'MAPPING_ACCOUNT_MISSING', noun: 'account', screen: 'Mappings → Accounts' },
  'payment-method': { code: 'MAPPING_PAYMENT_METHOD_MISSING', noun: 'mode of payment', screen: 'Mappings → Payment methods' },
  'shipping-method': { code: 'MAPPING_SHIPPING_METHOD_MISSING', noun: 'delivery method', screen: 'Mappings → Shipping methods' },
  article: { code: 'MAPPING_ARTICLE_MISSING', noun: 'article', screen: 'Mappings → Products' },
  warehouse: { code: 'MAPPING_WAREHOUSE_MISSING', noun: 'stock point', screen: 'Mappings → Warehouses' },
  'cost-center': { code: 'MAPPING_COST_CENTER_MISSING', noun: 'cost centre', screen: 'Mappings → Cost centres' },
  currency: { code: 'MAPPING_CURRENCY_MISSING', noun: 'currency', screen: 'Mappings → Currencies' },
} as const satisfies Record<string, { code: string; noun: string; screen: string }>;

/** Which mapping an entry is missing from (a key of {@link MAPPING_KINDS}). */
export type MappingKind = keyof typeof MAPPING_KINDS;

/** What {@link MappingMissingError}'s constructor takes. */
export interface MappingMissingInit {
  what: MappingKind;
  /** The missing key as a person reads it: `tax rate SE 25%`, `payment method "klarna"`. */
  label: string;
  /** Tenant, store, order, ERP and document kind the mapping was needed for. */
  context: ErrorContext;
}

/**
 * A tenant mapping has no entry for a key an order needs: permanent, nothing was sent to the ERP. The code is
 * `MAPPING_<THING>_MISSING`; the operator message names the order, the missing key and the console screen.
 */
export class MappingMissingError extends LedgerlineError {
  readonly what: MappingKind;
  readonly label: string;

  constructor(init: MappingMissingInit) {
    const kind = MAPPING_KINDS[init.what];
    super({
      code: kind.code,
      kind: 'permanent',
      operatorMessage: (c) => {
        const erp = c.erp ?? 'ERP';
        const tenant = c.tenantName ?? c.tenantId;
        return (
          `Cannot build the ${erp} ${documentNoun(c.documentKind)} for ${describeSubject(c)}: ${init.label} has no ${erp} ` +
          `${kind.noun} in the mapping${tenant ? ` of tenant "${tenant}"` : ''}. Add it under ${kind.screen}, then replay.`
        );
      },
      context: init.context,
      detail: `missing ${init.what} mapping for ${init.label}`,
      notApplied: true,
    });
    this.what = init.what;
    this.label = init.label;
  }
}
