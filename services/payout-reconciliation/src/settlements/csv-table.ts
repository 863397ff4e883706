import { parse } from 'csv-parse/sync';
import { Decimal } from '@ledgerline/money';

/**
 * Thrown for a report that cannot be read at all (bad header, broken quoting, not CSV): the whole file is refused and
 * nothing of it is stored, so a corrected file can simply be uploaded again.
 */
export class ReportRefusedError extends Error {
  readonly code = 'REPORT_REFUSED';
  constructor(
    readonly operatorMessage: string,
    readonly row: number | null,
    readonly column: string | null,
  ) {
    super(operatorMessage);
    this.name = 'ReportRefusedError';
  }
}

/** Thrown by a row reader for one bad cell; the row is set aside and the rest of the file is kept. */
export class RowError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

/** One data row with cell access by header name. */
export interface CsvRow {
  /** 1-based line in the file. */
  line: number;
  raw: string;
  get(column: string): string;
  /** The cell, or null when empty. */
  opt(column: string): string | null;
}

/**
 * Reads `text` as a delimited table whose first line is the header. Refuses the file (ReportRefusedError) when the
 * header lacks a `required` column or the quoting is broken; a row with a different cell count is handed to
 * `onBadRow` and skipped. Columns are found by name, not position (Adyen: "Parse by header name", SETTLEMENT.md).
 */
export function readCsv(
  text: string,
  opts: { delimiter: string; required: readonly string[]; report: string },
  onRow: (row: CsvRow) => void,
  onBadRow: (line: number, column: string | null, message: string, raw: string) => void,
): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let records: Array<{ record: string[]; info: { lines: number; raw?: string } }>;
  try {
    records = parse(body, { delimiter: opts.delimiter, relax_column_count: true, skip_empty_lines: true, info: true, raw: true }) as never;
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw new ReportRefusedError(`The ${opts.report} cannot be read as CSV at line ${e.lines ?? '?'}: ${e.message ?? String(err)}. Nothing of the file was stored; fix the file and upload it again.`, e.lines ?? null, null);
  }
  const first = records[0];
  if (!first) throw new ReportRefusedError(`The ${opts.report} is empty; expected a header line with ${opts.required.join(', ')}.`, 1, null);
  const header = first.record.map((h) => h.trim());
  const missing = opts.required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    const delimiterHint = header.length === 1 ? ` (the header has one column: is the file delimited by "${opts.delimiter}"?)` : '';
    throw new ReportRefusedError(
      `The ${opts.report} header (line 1) lacks the column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}${delimiterHint}. Nothing of the file was stored; export the report with the provider's default columns and upload it again.`,
      1,
      missing[0] ?? null,
    );
  }
  const index = new Map(header.map((h, i) => [h, i]));
  for (const { record, info } of records.slice(1)) {
    const raw = (info.raw ?? record.join(opts.delimiter)).replace(/\r?\n$/, '');
    if (record.length !== header.length) {
      onBadRow(info.lines, null, `has ${record.length} cells, the header has ${header.length}`, raw);
      continue;
    }
    const get = (column: string): string => {
      const i = index.get(column);
      return i === undefined ? '' : (record[i] ?? '').trim();
    };
    onRow({ line: info.lines, raw, get, opt: (column) => get(column) || null });
  }
}

/** The cell as a decimal string, or throws RowError naming the column. Empty cells are zero when `emptyIsZero`. */
export function decimalCell(row: CsvRow, column: string, emptyIsZero = true): Decimal {
  const v = row.get(column);
  if (v === '' && emptyIsZero) return Decimal.ZERO;
  try {
    return Decimal.parse(v);
  } catch {
    throw new RowError(column, `"${column}" is ${JSON.stringify(v)}, not a decimal amount like 12.50`);
  }
}

/** The cell, or throws RowError naming the column when it is empty. */
export function requiredCell(row: CsvRow, column: string): string {
  const v = row.get(column);
  if (v === '') throw new RowError(column, `"${column}" is empty`);
  return v;
}

/** A currency cell: three letters, returned upper-case. */
export function currencyCell(row: CsvRow, column: string): string {
  const v = row.get(column).toUpperCase();
  if (!/^[A-Z]{3}$/.test(v)) throw new RowError(column, `"${column}" is ${JSON.stringify(row.get(column))}, not a currency code like EUR`);
  return v;
}

/** A date or date-time cell as YYYY-MM-DD. */
export function dateCell(row: CsvRow, column: string): string {
  const v = row.get(column);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(Date.parse(v.slice(0, 10)))) throw new RowError(column, `"${column}" is ${JSON.stringify(v)}, not a date like 2024-06-10`);
  return v.slice(0, 10);
}

/** Money as the contract writes it: fixed 2 (or the currency's) digits. */
export function fixed(value: Decimal, digits = 2): string {
  return value.scale > digits ? value.toString() : value.toFixed(digits);
}
