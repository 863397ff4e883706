import { PaymentProviders, type PaymentProvider } from '@ledgerline/contracts';

/** The ERP accounts one provider's bookings use. */
export interface MappingAccounts {
  clearing: string;
  fee: string;
  bank: string;
  reserve: string;
  chargeback: string;
  adjustment: string;
}

/** Credentials to reach the provider for this merchant account; stored sealed, never shown back. */
export interface ProviderCredentials {
  /** Stripe: secret key (`sk_…`). */
  secretKey?: string;
  /** Klarna Settlements API basic auth; Adyen report user basic auth. */
  username?: string;
  password?: string;
  /** Adyen: HMAC key of the standard notification webhook (hex). */
  hmacKey?: string;
}

/** How one merchant account of one provider maps to a tenant, its ERP connection and accounts. */
export interface ProviderMapping {
  provider: PaymentProvider;
  merchantAccount: string;
  tenantId: string;
  erp: string;
  erpConnectionId: string;
  accounts: MappingAccounts;
  /** The ERP's mode of payment for invoice payments (Fortnox ModeOfPayment), e.g. "STRIPE". */
  modeOfPayment: string;
  /** WooCommerce payment_method ids this provider settles, e.g. ["stripe", "stripe_cc"]. */
  gateways: string[];
  credentials: ProviderCredentials;
}

/** A mapping as the admin API shows it: credentials only as which ones are set. */
export type MappingView = Omit<ProviderMapping, 'credentials'> & { credentialsSet: string[]; updatedAt: string };

const ACCOUNT_NAMES = ['clearing', 'fee', 'bank', 'reserve', 'chargeback', 'adjustment'] as const;
const ACCOUNT = /^[A-Za-z0-9._-]{1,20}$/;
const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const GATEWAY = /^[A-Za-z0-9_*-]{1,64}$/;

/** An example body for error messages. */
export const MAPPING_EXAMPLE =
  '{"tenantId": "acme", "erp": "fortnox", "erpConnectionId": "fortnox-acme", "modeOfPayment": "STRIPE", "gateways": ["stripe", "stripe_cc"], "accounts": {"clearing": "1580", "fee": "6570", "bank": "1930", "reserve": "1589", "chargeback": "6390", "adjustment": "3740"}, "credentials": {"secretKey": "sk_…"}}';

/** Returns whether a WooCommerce gateway id is covered by `pattern` (a trailing `*` matches a prefix, like `adyen_*`). */
export function gatewayMatches(pattern: string, gateway: string): boolean {
  return pattern.endsWith('*') ? gateway.startsWith(pattern.slice(0, -1)) : pattern === gateway;
}

/**
 * Returns the mapping read from an admin request body, or the list of every problem found, each naming the field and
 * the expected form, so one answer tells the operator everything to fix.
 */
export function validateMapping(provider: string, merchantAccount: string, body: Record<string, unknown>): { mapping: ProviderMapping } | { problems: string[] } {
  const problems: string[] = [];
  if (!(PaymentProviders as readonly string[]).includes(provider)) problems.push(`provider "${provider}" must be one of ${PaymentProviders.join(', ')}`);
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(merchantAccount)) problems.push(`merchant account "${merchantAccount}" must be the provider's account id (letters, digits, ".", "_", ":", "-")`);
  const text = (name: string, pattern: RegExp, expected: string): string => {
    const v = body[name];
    if (typeof v !== 'string' || !pattern.test(v)) problems.push(`${name} must be ${expected} (got ${JSON.stringify(v ?? null)})`);
    return typeof v === 'string' ? v : '';
  };
  const tenantId = text('tenantId', SLUG, 'the tenant id (lower-case letters, digits, dashes)');
  const erp = text('erp', SLUG, 'the ERP connector name, like "fortnox"');
  const erpConnectionId = text('erpConnectionId', /^\S{1,100}$/, 'the tenant\'s ERP connection id, like "fortnox-acme"');
  const modeOfPayment = text('modeOfPayment', /^\S{1,40}$/, 'the ERP mode of payment for invoice payments, like "STRIPE"');
  const accountsIn = body['accounts'];
  const accounts = {} as MappingAccounts;
  if (typeof accountsIn !== 'object' || accountsIn === null || Array.isArray(accountsIn)) {
    problems.push(`accounts must be an object with ${ACCOUNT_NAMES.join(', ')}, like {"clearing": "1580", "fee": "6570", ...}`);
  } else {
    for (const name of ACCOUNT_NAMES) {
      const v = (accountsIn as Record<string, unknown>)[name];
      if (typeof v !== 'string' || !ACCOUNT.test(v)) problems.push(`accounts.${name} must be an ERP account number like "1580" (got ${JSON.stringify(v ?? null)})`);
      else accounts[name] = v;
    }
    for (const extra of Object.keys(accountsIn).filter((k) => !(ACCOUNT_NAMES as readonly string[]).includes(k))) problems.push(`accounts.${extra} is not an account this service books; use ${ACCOUNT_NAMES.join(', ')}`);
  }
  const gatewaysIn = body['gateways'];
  const gateways: string[] = [];
  if (!Array.isArray(gatewaysIn) || gatewaysIn.length === 0) problems.push('gateways must list the WooCommerce payment_method ids this provider settles, like ["stripe", "stripe_cc"] or ["adyen_*"]');
  else {
    for (const g of gatewaysIn) {
      if (typeof g !== 'string' || !GATEWAY.test(g)) problems.push(`gateways: ${JSON.stringify(g)} is not a WooCommerce payment_method id (letters, digits, "_", "-", a trailing "*")`);
      else gateways.push(g);
    }
  }
  const credentials: ProviderCredentials = {};
  const credIn = body['credentials'];
  if (credIn !== undefined && credIn !== null) {
    if (typeof credIn !== 'object' || Array.isArray(credIn)) problems.push('credentials must be an object like {"secretKey": "sk_…"} or {"username": "…", "password": "…", "hmacKey": "…"}');
    else {
      for (const [k, v] of Object.entries(credIn)) {
        if (!['secretKey', 'username', 'password', 'hmacKey'].includes(k)) problems.push(`credentials.${k} is not known; use secretKey (Stripe), username and password (Klarna, Adyen report user), hmacKey (Adyen)`);
        else if (typeof v !== 'string' || v.length === 0) problems.push(`credentials.${k} must be a non-empty string`);
        else credentials[k as keyof ProviderCredentials] = v;
      }
      if (credentials.hmacKey !== undefined && !/^([0-9a-fA-F]{2})+$/.test(credentials.hmacKey)) problems.push('credentials.hmacKey must be the hex HMAC key from the Adyen Customer Area (Developers › Webhooks)');
    }
  }
  const known = ['tenantId', 'erp', 'erpConnectionId', 'modeOfPayment', 'accounts', 'gateways', 'credentials'];
  for (const extra of Object.keys(body).filter((k) => !known.includes(k))) problems.push(`${extra} is not a mapping field; a mapping has ${known.join(', ')}`);
  if (problems.length > 0) return { problems };
  return { mapping: { provider: provider as PaymentProvider, merchantAccount, tenantId, erp, erpConnectionId, accounts, modeOfPayment, gateways, credentials } };
}
