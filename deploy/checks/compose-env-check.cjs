#!/usr/bin/env node
// Runs each service's own config loader (services/<svc>/src/config/<svc>.config.ts, the exported load*Config) on the
// environment docker-compose gives it, so a missing or malformed variable fails here rather than at `compose up`.
//
//   node -r ./scripts/register.cjs deploy/checks/compose-env-check.cjs <envs.json from compose-check.py --emit-env>
//
// Services without a config module yet are reported, not failed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const envs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let failed = 0;
let checked = 0;
for (const [name, env] of Object.entries(envs)) {
  const file = path.join(root, 'services', name, 'src', 'config', `${name}.config.ts`);
  if (!fs.existsSync(file)) {
    console.log(`  ${name.padEnd(22)} no src/config/${name}.config.ts yet: not checked`);
    continue;
  }
  const mod = require(file);
  const load = Object.entries(mod).find(([k, v]) => /^load\w*Config$/.test(k) && typeof v === 'function');
  if (!load) {
    console.log(`  ${name.padEnd(22)} ${path.relative(root, file)} exports no load*Config function: not checked`);
    continue;
  }
  checked++;
  try {
    load[1]({ ...env });
    console.log(`  ${name.padEnd(22)} ${load[0]} accepts the compose environment (${Object.keys(env).length} variables)`);
  } catch (err) {
    failed++;
    console.error(`  ${name.padEnd(22)} ${load[0]} rejects the compose environment:\n${String(err.message).replace(/^/gm, '      ')}`);
  }
}
console.log(`compose-env-check: ${checked} services' config loaders run on their compose environment, ${failed} rejected`);
process.exit(failed > 0 ? 1 : 0);
