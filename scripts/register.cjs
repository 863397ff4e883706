// Runs TypeScript sources directly on Node (demo, benchmarks, sandboxes in development) with the
// same SWC settings as the tests, so decorator metadata for NestJS is emitted the same way.
// Usage: node -r ./scripts/register.cjs file.ts
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');
require('reflect-metadata');

const options = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.swcrc'), 'utf8'));
delete options.$schema;

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, { ...options, filename, swcrc: false });
  module._compile(code, filename);
};
