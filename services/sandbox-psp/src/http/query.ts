/** The query string of a raw request URL, parsed exactly as sent (`expand[]=…` keeps its brackets). */
export function queryOf(url: string | undefined): URLSearchParams {
  return new URL(url ?? '/', 'http://sandbox').searchParams;
}

/** The path without the query string. */
export function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0];
}
