import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Decimal } from '@ledgerline/money';

/** The header row of a contract example report (copied into test/fixtures). */
export function contractHeader(file: string, delimiter: string): string[] {
  const text = readFileSync(join(__dirname, 'fixtures', file), 'utf8');
  return (parse(text, { delimiter, to_line: 1 }) as string[][])[0];
}

/** Rows of a CSV report as objects keyed by the header, plus the header itself. */
export function parseReport(text: string, delimiter: string): { header: string[]; rows: Array<Record<string, string>> } {
  const all = parse(text, { delimiter }) as string[][];
  const [header, ...body] = all;
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export async function getJson(url: string, headers: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export async function getText(url: string, headers: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Σ of decimal strings, exact. */
export function sum(values: Iterable<string>): Decimal {
  return Decimal.sum([...values]);
}

/** Minor units (Stripe, Klarna APIs) to a decimal in major units. */
export function fromMinor(value: number, digits = 2): Decimal {
  return Decimal.fromUnscaled(BigInt(value), digits);
}
