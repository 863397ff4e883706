const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant, in UTC. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Midnight UTC of a `YYYY-MM-DD` date. */
export function dateAt(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function addDays(date: string, days: number): string {
  return isoDate(new Date(dateAt(date).getTime() + days * DAY_MS));
}

/** Seconds since the epoch, as Stripe writes timestamps. */
export function unix(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

function weekday(date: string): number {
  return dateAt(date).getUTCDay();
}

/** The first Monday-to-Friday date strictly after `date` plus `days - 1` more business days. */
export function addBusinessDays(date: string, days: number): string {
  let d = date;
  let left = days;
  while (left > 0) {
    d = addDays(d, 1);
    const w = weekday(d);
    if (w !== 0 && w !== 6) left--;
  }
  return d;
}

/** The first Monday strictly after `date`. */
export function nextMonday(date: string): string {
  let d = addDays(date, 1);
  while (weekday(d) !== 1) d = addDays(d, 1);
  return d;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as the Stripe report writes `*_utc` columns. */
export function utcDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DDTHH:MM:SSZ` without milliseconds, as Klarna writes dates. */
export function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/**
 * Wall-clock time in Europe/Amsterdam (`YYYY-MM-DD HH:MM:SS`) and its zone abbreviation (CET/CEST), as
 * Adyen writes the SDR's Creation Date and TimeZone columns for an account set to that zone.
 */
const AMSTERDAM = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'shortOffset' });

export function amsterdamTime(d: Date): { dateTime: string; zone: string } {
  const parts = Object.fromEntries(AMSTERDAM.formatToParts(d).map((p) => [p.type, p.value]));
  return { dateTime: `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`, zone: parts.timeZoneName === 'GMT+2' ? 'CEST' : 'CET' };
}

/** The ISO 8601 instant with Amsterdam's offset, as Adyen writes `eventDate`. */
export function amsterdamIso(d: Date): string {
  const { dateTime, zone } = amsterdamTime(d);
  return `${dateTime.replace(' ', 'T')}${zone === 'CEST' ? '+02:00' : '+01:00'}`;
}
