import { WP_DATE_TIME } from '../wp/wp-params.validator';

/**
 * The store's clock and time zone. WordPress stores every date twice, site-local (`date_*`) and
 * UTC (`date_*_gmt`), both without an offset and to the second. The sandbox keeps a fixed UTC
 * offset (no daylight saving) so that a client reading `date_modified` instead of
 * `date_modified_gmt` is wrong by a visible amount (NOTES-rest-api.md, "Always use _gmt").
 */
export class SiteClock {
  constructor(
    private readonly source: () => Date,
    readonly utcOffsetMinutes: number,
  ) {}

  /** Now, truncated to the second as MySQL DATETIME columns keep it. */
  now(): Date {
    return new Date(Math.floor(this.source().getTime() / 1000) * 1000);
  }

  /** `2024-06-03T14:12:09` in the site's time zone, or null. */
  local(d: Date | null): string | null {
    return d === null ? null : iso(d.getTime() + this.utcOffsetMinutes * 60_000);
  }

  /** `2024-06-03T12:12:09` in UTC, or null. */
  gmt(d: Date | null): string | null {
    return d === null ? null : iso(d.getTime());
  }

  /**
   * Returns how `WP_Date_Query` compares a stored date against a filter value: as a wall-clock
   * time of the chosen column (`post_modified_gmt` when `dates_are_gmt`, else `post_modified`).
   */
  columnWallTime(d: Date, gmtColumn: boolean): number {
    return gmtColumn ? d.getTime() : d.getTime() + this.utcOffsetMinutes * 60_000;
  }

  /**
   * Returns the filter value as a wall-clock time for comparison with {@link columnWallTime}.
   * A value without an offset is taken literally in whichever column is compared. A value with
   * `Z` or an offset is converted to the site's time zone first, even when the GMT column is
   * compared (`WP_Date_Query::build_mysql_datetime`, WordPress >= 5.3; recalled from WordPress
   * core, not in the contract files: a guess to verify against a live store).
   */
  filterWallTime(value: string): number {
    const m = WP_DATE_TIME.exec(value);
    if (!m) throw new Error(`not a date-time: ${value}`);
    const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    const zone = m[8];
    if (zone === undefined) return wall;
    const offsetMs = zone === 'Z' ? 0 : zoneOffsetMs(zone);
    return wall - offsetMs + this.utcOffsetMinutes * 60_000;
  }
}

function zoneOffsetMs(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return (m[1] === '-' ? -1 : 1) * minutes * 60_000;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
