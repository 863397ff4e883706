/** Writes one CSV line: fields holding the delimiter, a quote or a line break are quoted (RFC 4180). */
export function csvLine(fields: ReadonlyArray<string>, delimiter: string): string {
  return fields.map((f) => (f.includes(delimiter) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(delimiter);
}

/** A whole CSV document: header, rows, each line ended by `\n` as the contract examples are. */
export function csvDocument(header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, delimiter: string): string {
  return [header, ...rows].map((r) => `${csvLine(r, delimiter)}\n`).join('');
}
