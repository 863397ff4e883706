import { schemaPrefix } from './database';

describe('schemaPrefix', () => {
  it.each([
    ['outbox', 'outbox'],
    ['Pipeline-Demo', 'pipeline_demo'],
    ['9lives', 't_9lives'],
    ['', 'test'],
    ['---', 'test'],
    ['a'.repeat(100), 'a'.repeat(51)],
  ])('%s -> %s', (prefix, expected) => {
    const p = schemaPrefix(prefix);
    expect(p).toBe(expected);
    expect(`${p}_0123456789`).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
  });
});
