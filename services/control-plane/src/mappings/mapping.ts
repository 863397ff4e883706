import type { Problem } from '../http/problems';

/**
 * A tenant's ERP mapping for one connection. The same shape connector-fortnox's `TenantMappings` reads
 * (services/connector-fortnox/src/persistence/store.repository.ts) plus `fees`, so the config topic's `mappings`
 * record can be materialised by the connector as it is.
 */
export interface ErpMappings {
  /** `<country>:<percent>` (`SE:25`), `EU:reverse-charge` or `export` → ERP VAT percent and sales account (OSS rates also `vatAccount`). */
  taxCodes: Record<string, { vat: number; account: number; vatAccount?: number }>;
  /** WooCommerce payment method id (`stripe`, `klarna_payments`) → mode of payment and its account. */
  paymentMethods: Record<string, { modeOfPayment: string; modeOfPaymentAccount?: number; termsOfPayment?: string; registerPayment?: boolean }>;
  /** WooCommerce shipping method id (`flat_rate`) → article and/or sales account. */
  shippingMethods: Record<string, { account?: number; articleNumber?: string }>;
  /** Fee name as on the order (`Invoice fee`), or `default` → sales account. */
  fees: Record<string, { account: number }>;
  /** ISO 4217 code other than SEK → rate to SEK. */
  currencies: Record<string, { rate: number; unit?: number }>;
}

export const MAPPING_SECTIONS = ['taxCodes', 'paymentMethods', 'shippingMethods', 'fees', 'currencies'] as const;
export const EMPTY_MAPPINGS: ErpMappings = { taxCodes: {}, paymentMethods: {}, shippingMethods: {}, fees: {}, currencies: {} };

const FORTNOX_VAT = new Set([25, 12, 6, 0]);
const isAccount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1000 && (v as number) <= 9999;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Lists every problem of a mapping body as `{field, problem}` with the field's path (`taxCodes["SE:12"].account`) and
 * what to change, so one answer says all that must change. Rules follow Fortnox (sandbox and shared contracts):
 * rows take VAT 25/12/6/0, accounts are 4-digit BAS accounts.
 */
export function mappingProblems(body: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  const add = (field: string, problem: string) => out.push({ field, problem });
  for (const key of Object.keys(body)) {
    if (!(MAPPING_SECTIONS as readonly string[]).includes(key)) add(key, `is not a mapping section; use ${MAPPING_SECTIONS.join(', ')}`);
  }
  const section = (name: (typeof MAPPING_SECTIONS)[number]): Array<[string, Record<string, unknown>]> => {
    const v = body[name];
    if (v === undefined) return [];
    if (!isObj(v)) {
      add(name, 'must be an object keyed by the WooCommerce value');
      return [];
    }
    return Object.entries(v).flatMap(([k, entry]) => {
      if (!isObj(entry)) {
        add(`${name}["${k}"]`, 'must be an object');
        return [];
      }
      return [[k, entry] as [string, Record<string, unknown>]];
    });
  };
  for (const [key, v] of section('taxCodes')) {
    const f = `taxCodes["${key}"]`;
    const special = key === 'EU:reverse-charge' || key === 'export';
    if (!special && !/^[A-Z]{2}:\d+(\.\d+)?$/.test(key)) add(f, 'key must be <country>:<percent> like "SE:25", or "EU:reverse-charge" or "export"');
    if (key.startsWith('SE:') || special) {
      if (!FORTNOX_VAT.has(v['vat'] as number)) add(`${f}.vat`, 'must be the Fortnox VAT code 25, 12, 6 or 0');
      else if (special && v['vat'] !== 0) add(`${f}.vat`, 'must be 0 (no VAT is charged)');
      else if (!special && Number(key.slice(3)) !== v['vat']) add(`${f}.vat`, `must be ${key.slice(3)}, the rate of the WooCommerce tax rate it maps`);
    } else if (typeof v['vat'] !== 'number' || !(v['vat'] >= 0 && v['vat'] <= 30)) {
      add(`${f}.vat`, 'must be the rate in percent, like 19');
    } else if (!FORTNOX_VAT.has(v['vat']) && !isAccount(v['vatAccount'])) {
      add(`${f}.vatAccount`, 'must be a 4-digit account for the OSS output VAT of a foreign rate, like 2616');
    }
    if (!isAccount(v['account'])) add(`${f}.account`, 'must be a 4-digit sales account, like 3001');
  }
  for (const [key, v] of section('paymentMethods')) {
    const f = `paymentMethods["${key}"]`;
    if (typeof v['modeOfPayment'] !== 'string' || !/^[A-Z0-9_-]{1,10}$/i.test(v['modeOfPayment'])) add(`${f}.modeOfPayment`, 'must be a Fortnox mode of payment code, like "KORT"');
    if (v['modeOfPaymentAccount'] !== undefined && !isAccount(v['modeOfPaymentAccount'])) add(`${f}.modeOfPaymentAccount`, 'must be a 4-digit account, like 1930');
    if (v['registerPayment'] !== undefined && typeof v['registerPayment'] !== 'boolean') add(`${f}.registerPayment`, 'must be true or false');
    if (v['termsOfPayment'] !== undefined && typeof v['termsOfPayment'] !== 'string') add(`${f}.termsOfPayment`, 'must be a Fortnox terms of payment code, like "30"');
  }
  for (const [key, v] of section('shippingMethods')) {
    const f = `shippingMethods["${key}"]`;
    if (v['account'] === undefined && v['articleNumber'] === undefined) add(f, 'needs an account (like 3520) or an articleNumber (like "FRAKT"), or both');
    if (v['account'] !== undefined && !isAccount(v['account'])) add(`${f}.account`, 'must be a 4-digit account, like 3520');
    if (v['articleNumber'] !== undefined && (typeof v['articleNumber'] !== 'string' || v['articleNumber'] === '')) add(`${f}.articleNumber`, 'must be the ERP article number, like "FRAKT"');
  }
  for (const [key, v] of section('fees')) {
    if (!isAccount(v['account'])) add(`fees["${key}"].account`, 'must be a 4-digit account, like 3990');
  }
  for (const [key, v] of section('currencies')) {
    const f = `currencies["${key}"]`;
    if (!/^[A-Z]{3}$/.test(key) || key === 'SEK') add(f, 'key must be an ISO 4217 code other than SEK, like "EUR"');
    if (typeof v['rate'] !== 'number' || !(v['rate'] > 0)) add(`${f}.rate`, 'must be a positive number (SEK per unit), like 11.45');
    if (v['unit'] !== undefined && !(Number.isInteger(v['unit']) && (v['unit'] as number) > 0)) add(`${f}.unit`, 'must be a positive whole number');
  }
  return out;
}
