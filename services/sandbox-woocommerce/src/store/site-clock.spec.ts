import { SiteClock } from './site-clock';

describe('SiteClock', () => {
  const clock = new SiteClock(() => new Date('2024-06-03T12:12:09.750Z'), 120);

  it('truncates now to the second and renders local and GMT dates without an offset', () => {
    const now = clock.now();
    expect(now.toISOString()).toBe('2024-06-03T12:12:09.000Z');
    expect(clock.local(now)).toBe('2024-06-03T14:12:09');
    expect(clock.gmt(now)).toBe('2024-06-03T12:12:09');
  });

  it('takes a filter date without offset literally in the compared column', () => {
    const d = new Date('2024-06-03T12:00:00Z');
    expect(clock.filterWallTime('2024-06-03T12:00:00')).toBe(clock.columnWallTime(d, true));
    expect(clock.filterWallTime('2024-06-03T14:00:00')).toBe(clock.columnWallTime(d, false));
  });

  it('converts a filter date with an offset to site time first', () => {
    expect(clock.filterWallTime('2024-06-03T12:00:00Z')).toBe(Date.UTC(2024, 5, 3, 14, 0, 0));
    expect(clock.filterWallTime('2024-06-03T14:00:00+02:00')).toBe(Date.UTC(2024, 5, 3, 14, 0, 0));
  });
});
