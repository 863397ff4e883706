import type { ErrorContext } from '../errors/ledgerline.error';
import { MappingMissingError, type MappingKind } from './mapping-missing.error';

/** A tenant mapping: a Map, a plain object (looked up by `String(key)`), or a lookup function. */
export type MappingTable<K, V> = ReadonlyMap<K, V> | Readonly<Record<string, V>> | ((key: K) => V | null | undefined);

/** Where a mapping is needed, for {@link resolveMapping}'s error. */
export interface MappingLookup<K> {
  /** Which mapping (`'tax-code'`, `'account'`, …). */
  what: MappingKind;
  /** The tenant: its id, or id and display name. */
  tenant: string | { id: string; name?: string };
  /** The order, store, ERP and document the entry is needed for. */
  where: Omit<ErrorContext, 'tenantId' | 'tenantName'>;
  /** The key as a person reads it (`tax rate SE 25%`); default `String(key)`. */
  label?: string | ((key: K) => string);
}

function lookup<K, V>(table: MappingTable<K, V>, key: K): V | null | undefined {
  if (typeof table === 'function') return table(key);
  if (table instanceof Map) return (table as ReadonlyMap<K, V>).get(key);
  const record = table as Readonly<Record<string, V>>;
  return Object.prototype.hasOwnProperty.call(record, String(key)) ? record[String(key)] : undefined;
}

/**
 * Returns the tenant's mapping for `key`. An absent, `null`, `undefined` or empty-string entry throws
 * {@link MappingMissingError} (`MAPPING_<THING>_MISSING`, permanent) whose operator message names the store order,
 * the missing key and the console screen where a person adds it.
 */
export function resolveMapping<K, V>(table: MappingTable<K, V>, key: K, at: MappingLookup<K>): V {
  const value = lookup(table, key);
  if (value !== undefined && value !== null && value !== '') return value;
  const tenant = typeof at.tenant === 'string' ? { id: at.tenant } : at.tenant;
  const label = typeof at.label === 'function' ? at.label(key) : (at.label ?? String(key));
  throw new MappingMissingError({
    what: at.what,
    label,
    context: { ...at.where, tenantId: tenant.id, ...(tenant.name ? { tenantName: tenant.name } : {}) },
  });
}
