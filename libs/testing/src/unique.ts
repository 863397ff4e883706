import { randomBytes } from 'node:crypto';
import { processWide } from './process-wide';

/**
 * A short random lower-case suffix ([0-9a-f], 10 characters) unique per call within the process (and,
 * with 40 random bits, across processes in practice), for topic names, consumer groups and schemas, so
 * test files can run in parallel against the same broker and database.
 */
export function uniqueSuffix(): string {
  const issued = processWide().suffixes;
  for (;;) {
    const suffix = randomBytes(5).toString('hex');
    if (!issued.has(suffix)) {
      issued.add(suffix);
      return suffix;
    }
  }
}
