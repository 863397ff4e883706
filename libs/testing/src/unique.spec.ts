import { uniqueSuffix } from './unique';

describe('uniqueSuffix', () => {
  it('is short, lower case and usable in identifiers and topic names', () => {
    expect(uniqueSuffix()).toMatch(/^[0-9a-f]{10}$/);
  });

  it('is unique per call', () => {
    const seen = new Set(Array.from({ length: 5000 }, () => uniqueSuffix()));
    expect(seen.size).toBe(5000);
  });
});
