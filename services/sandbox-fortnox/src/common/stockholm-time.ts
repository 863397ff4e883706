/**
 * Fortnox is a Swedish service: dates it fills in (InvoiceDate) and timestamps it reads
 * (`lastmodified=2019-03-10 12:30`) are Swedish local time. Our reading, not documented: the
 * parameters page (fortnox.se/developer/guides-and-good-to-know/parameters, seen 2026-11) gives the
 * format without a zone, and everything else in Fortnox is local time.
 */
const TIME_ZONE = 'Europe/Stockholm';

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(epochMs: number): WallTime {
  const p = Object.fromEntries(parts.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]));
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute, second: +p.second };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The Swedish calendar date of an instant, as Fortnox writes dates: `2026-11-26`. */
export function stockholmDate(epochMs: number): string {
  const w = wallTime(epochMs);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The Swedish wall-clock time of an instant in Fortnox's timestamp format: `2026-11-26 16:05:09`. */
export function stockholmDateTime(epochMs: number): string {
  const w = wallTime(epochMs);
  return `${stockholmDate(epochMs)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/**
 * The instant of a Swedish wall-clock time given as `YYYY-MM-DD`, `YYYY-MM-DD HH:mm` or
 * `YYYY-MM-DD HH:mm:ss` (a `T` separator is accepted too); undefined when the text is not one of those
 * or names no real date. In the autumn hour that occurs twice, the earlier instant wins.
 */
export function parseStockholmDateTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(asUtc).getUTCDate() !== day) return undefined;
  // Stockholm is UTC+1 or UTC+2: try both offsets, keep the one whose wall time matches.
  for (const offsetHours of [2, 1]) {
    const candidate = asUtc - offsetHours * 3_600_000;
    const w = wallTime(candidate);
    if (w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute) return candidate;
  }
  // The spring-forward gap (02:00-03:00 does not exist): read it as standard time.
  return asUtc - 3_600_000;
}

/** True when `text` is a calendar date in Fortnox's `YYYY-MM-DD` form. */
export function isFortnoxDate(text: unknown): text is string {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text) && parseStockholmDateTime(text) !== undefined;
}

/** The date `days` after a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}
