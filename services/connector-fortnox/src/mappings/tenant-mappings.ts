import type { Tx } from '@ledgerline/messaging';
import type { StoreRepository, TenantMappings } from '../persistence/store.repository';

const FORTNOX_VAT = new Set([25, 12, 6, 0]);
const isAccount = (v: unknown) => Number.isInteger(v) && (v as number) >= 1000 && (v as number) <= 9999;

/** Lists every problem of a mapping body, so one answer says all that must change. */
export function mappingProblems(body: Partial<TenantMappings>): string[] {
  const problems: string[] = [];
  for (const [key, v] of Object.entries(body.taxCodes ?? {})) {
    const special = key === 'EU:reverse-charge' || key === 'export';
    if (!special && !/^[A-Z]{2}:\d+(\.\d+)?$/.test(key)) problems.push(`taxCodes key "${key}" must be <country>:<percent>, like "SE:25", or "EU:reverse-charge" or "export".`);
    if (key.startsWith('SE:') || special) {
      if (!FORTNOX_VAT.has(v?.vat)) problems.push(`taxCodes["${key}"].vat must be 25, 12, 6 or 0.`);
      else if (special && v.vat !== 0) problems.push(`taxCodes["${key}"].vat must be 0.`);
    } else if (typeof v?.vat !== 'number' || !(v.vat >= 0 && v.vat <= 30)) {
      problems.push(`taxCodes["${key}"].vat must be the rate in percent, like 19.`);
    } else if (!FORTNOX_VAT.has(v.vat) && !isAccount(v.vatAccount)) {
      problems.push(`taxCodes["${key}"].vatAccount must be a 4-digit Fortnox account for the OSS VAT of a foreign rate, like 2616.`);
    }
    if (!isAccount(v?.account)) problems.push(`taxCodes["${key}"].account must be a 4-digit Fortnox account, like 3001.`);
  }
  for (const [key, v] of Object.entries(body.currencies ?? {})) {
    if (!/^[A-Z]{3}$/.test(key) || key === 'SEK') problems.push(`currencies key "${key}" must be an ISO 4217 code other than SEK, like "EUR".`);
    if (typeof v?.rate !== 'number' || !(v.rate > 0)) problems.push(`currencies["${key}"].rate must be a positive number (SEK per unit), like 11.45.`);
    if (v?.unit !== undefined && !(Number.isInteger(v.unit) && v.unit > 0)) problems.push(`currencies["${key}"].unit must be a positive whole number.`);
  }
  for (const [key, v] of Object.entries(body.paymentMethods ?? {})) {
    if (typeof v?.modeOfPayment !== 'string' || v.modeOfPayment === '') problems.push(`paymentMethods["${key}"].modeOfPayment must be a Fortnox mode of payment code, like "KORT".`);
    if (v?.registerPayment !== undefined && typeof v.registerPayment !== 'boolean') problems.push(`paymentMethods["${key}"].registerPayment must be true or false.`);
    if (v?.modeOfPaymentAccount !== undefined && !isAccount(v.modeOfPaymentAccount)) problems.push(`paymentMethods["${key}"].modeOfPaymentAccount must be a 4-digit Fortnox account, like 1930.`);
  }
  for (const [key, v] of Object.entries(body.shippingMethods ?? {})) {
    if (v?.account !== undefined && !isAccount(v.account)) problems.push(`shippingMethods["${key}"].account must be a 4-digit Fortnox account.`);
  }
  return problems;
}

/** A mapping body that breaks the rules of {@link mappingProblems}; nothing of it was stored. */
export class TenantMappingsInvalid extends Error {
  constructor(
    readonly tenantId: string,
    readonly problems: string[],
  ) {
    super(problems.join(' '));
    this.name = 'TenantMappingsInvalid';
  }
}

/**
 * Validates `body` and replaces the kinds it gives in the tenant's mapping, inside `tx`: the one path of both
 * `PUT /tenants/:tenantId/mappings` and the control plane's `mappings` records (control-config-mappings.handler.ts).
 * Throws {@link TenantMappingsInvalid} listing every problem, and stores nothing, when the body breaks a rule.
 */
export async function replaceTenantMappings(tx: Tx, store: StoreRepository, tenantId: string, body: Partial<TenantMappings>): Promise<void> {
  const problems = mappingProblems(body);
  if (problems.length > 0) throw new TenantMappingsInvalid(tenantId, problems);
  await store.replaceMappings(tx, tenantId, body);
}
