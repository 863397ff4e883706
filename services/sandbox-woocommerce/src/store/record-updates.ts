import { isObject, toInt, type Json } from '../wp/json-values';
import { EMPTY_ADDRESS, type Address, type MetaData } from './woo-records';
import type { WooStoreState } from './woo-store.state';

/** An address with the posted fields applied; unknown keys are ignored, `email` only on billing. */
export function mergeAddress(current: Address, posted: Json, billing: boolean): Address {
  const out: Address = { ...current };
  for (const [k, v] of Object.entries(posted)) {
    if (k in EMPTY_ADDRESS || (billing && k === 'email')) (out as unknown as Json)[k] = typeof v === 'string' ? v : String(v ?? '');
  }
  return out;
}

/** `meta_data` updates: a posted entry replaces the value of the entry with its `id` or `key`; a new key is added. */
export function mergeMeta(state: WooStoreState, current: MetaData[], posted: unknown[]): MetaData[] {
  const out = current.map((m) => ({ ...m }));
  for (const p of posted) {
    if (!isObject(p) || typeof p['key'] !== 'string') continue;
    const existing = out.find((m) => (p['id'] !== undefined && m.id === toInt(p['id'])) || m.key === p['key']);
    if (existing) existing.value = p['value'];
    else out.push({ id: state.nextMetaId(), key: p['key'], value: p['value'] });
  }
  return out;
}
