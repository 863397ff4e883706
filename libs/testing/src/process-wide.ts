import os from 'node:os';

/**
 * State shared by every module instance of this library in one OS process.
 *
 * Jest gives each test file its own module registry (and its own copy of `process` and `process.env`),
 * so a module-level variable would be "once per test file". Node's core modules are not re-evaluated per
 * test file: the state hangs off one of them under a global symbol, which makes "once per process" hold
 * across the test files a Jest worker runs. Values stored here must not depend on a test file's realm
 * (callers copy arrays/objects before handing them out).
 */
interface ProcessWideState {
  infra?: Promise<InfraValues>;
  suffixes: Set<string>;
}

export interface InfraValues {
  kafkaBrokers: string[];
  databaseUrl: string;
  source: 'env' | 'testcontainers' | 'deploy-local';
}

const KEY = Symbol.for('@ledgerline/testing:process-wide');

export function processWide(): ProcessWideState {
  const holder = os as unknown as Record<symbol, ProcessWideState | undefined>;
  let state = holder[KEY];
  if (!state) {
    state = { suffixes: new Set() };
    Object.defineProperty(holder, KEY, { value: state, enumerable: false, configurable: true });
  }
  return state;
}
