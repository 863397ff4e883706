import { isObject } from './rules';

/** Reads a dotted path (`order.orderRef.tenantId`) from an unvalidated value; gives undefined when any step is missing. */
export function readPath(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((current, step) => (isObject(current) ? current[step] : undefined), value);
}
