import { addDays, isFortnoxDate, parseStockholmDateTime, stockholmDate, stockholmDateTime } from './stockholm-time';

describe('stockholm-time', () => {
  it('formats instants as Swedish local time in winter (UTC+1) and summer (UTC+2)', () => {
    expect(stockholmDateTime(Date.parse('2026-11-26T09:00:00Z'))).toBe('2026-11-26 10:00:00');
    expect(stockholmDateTime(Date.parse('2026-07-01T09:00:00Z'))).toBe('2026-07-01 11:00:00');
    expect(stockholmDate(Date.parse('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });

  it('reads Fortnox timestamps as Swedish local time, with or without time and seconds', () => {
    expect(parseStockholmDateTime('2026-11-26 10:01')).toBe(Date.parse('2026-11-26T09:01:00Z'));
    expect(parseStockholmDateTime('2026-07-01 11:00:30')).toBe(Date.parse('2026-07-01T09:00:30Z'));
    expect(parseStockholmDateTime('2026-11-26')).toBe(Date.parse('2026-11-25T23:00:00Z'));
    expect(parseStockholmDateTime('2026-11-26T10:01')).toBe(Date.parse('2026-11-26T09:01:00Z'));
  });

  it('rejects text that is not a timestamp or names no real date', () => {
    for (const text of ['yesterday', '2026-02-30', '2026-13-01', '26-11-2026', '2026-11-26 24:00']) expect(parseStockholmDateTime(text)).toBeUndefined();
    expect(isFortnoxDate('2026-11-26')).toBe(true);
    expect(isFortnoxDate('2026-11-26 10:00')).toBe(false);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-11-26', 30)).toBe('2026-12-26');
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
  });
});
