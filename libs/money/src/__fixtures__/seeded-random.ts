// A small seeded PRNG for property-style tests (no dependency): the same seed gives the same cases on every
// machine, and a failing case names its seed and index so it can be replayed. Test-only: not exported.

/** Random values drawn from one seed. */
export interface SeededRandom {
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T;
  /** A string of `length` decimal digits (leading zeros possible). */
  digits(length: number): string;
  /** A canonical decimal string: up to `maxWhole` integer digits and up to `maxFraction` fraction digits. */
  decimal(maxWhole: number, maxFraction: number, options?: { negative?: boolean }): string;
}

/** Returns a generator seeded with `seed` (mulberry32: 32-bit state, full period, good enough for test cases). */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: SeededRandom = {
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)],
    digits: (length) => Array.from({ length }, () => String(Math.floor(next() * 10))).join(''),
    decimal: (maxWhole, maxFraction, options = {}) => {
      const whole = random.digits(random.int(1, maxWhole)).replace(/^0+(?=\d)/, '');
      const fraction = random.digits(random.int(0, maxFraction)).replace(/0+$/, '');
      const body = fraction ? `${whole}.${fraction}` : whole;
      const negative = options.negative ?? random.chance(0.5);
      return negative && body !== '0' ? `-${body}` : body;
    },
  };
  return random;
}
