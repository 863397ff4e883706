/** Renders any value for an error message so that its type is visible: `"1e3"`, `number 0.1`, `12n`, `null`. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return `number ${value}`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `${value.constructor?.name ?? 'object'} ${safeJson(value)}`;
  return `${typeof value} ${String(value)}`;
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
