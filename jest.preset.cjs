// Shared Jest settings. Tests are CommonJS compiled by SWC (decorator metadata for NestJS);
// NestJS 12 ships ES modules only, which Jest loads under NODE_OPTIONS=--experimental-vm-modules
// on Node 24 (see docs/adr/0001-node-24-and-jest.md).
const path = require('node:path');
const swcrc = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
  setupFiles: [path.join(__dirname, 'jest.setup.cjs')],
  testTimeout: 60_000,
  // A test that fails before its afterAll can leave kafkajs sockets and timers behind; end the run instead of
  // letting CI hang until its time limit. Passing suites close everything they open (see afterAll blocks).
  forceExit: true,
};
