#!/usr/bin/env node
// Compiles one service and the libraries to plain CommonJS for its image (ADR 0007: docs/adr/0007-container-images.md).
//
//   node deploy/docker/build.cjs <service> <out-dir>
//
// Writes <out-dir>/ with: package.json + package-lock.json of the root (so `npm ci --omit=dev` installs exactly the
// locked production dependencies), every workspace's package.json (npm ci needs the whole workspace list), the
// libraries' and the service's src/*.ts compiled to .js with the repository's .swcrc (decorator metadata for NestJS),
// "main" fields pointing at .js, and main.js, the image's entry point. Tests, specs and benchmarks are left out.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');
const [service, outArg] = process.argv.slice(2);
if (!service || !outArg) {
  console.error('usage: node deploy/docker/build.cjs <service> <out-dir>   (service: a folder under services/)');
  process.exit(2);
}
const out = path.resolve(outArg);
const serviceDir = path.join(root, 'services', service);
if (!fs.existsSync(path.join(serviceDir, 'src', 'main.ts'))) {
  console.error(`services/${service}/src/main.ts does not exist: ${service} cannot be built into an image yet.`);
  process.exit(1);
}

const swcOptions = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcOptions.$schema;
// Source maps go next to the code as files; node --enable-source-maps reads them for stack traces.
swcOptions.sourceMaps = true;

const SKIP = /(\.spec|\.int-spec|\.bench|\.d)\.ts$/;
let compiled = 0;

function compileTree(srcDir, dstDir) {
  for (const entry of fs.readdirSync(srcDir, { withFileTypes: true })) {
    const from = path.join(srcDir, entry.name);
    const to = path.join(dstDir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '__fixtures__' || entry.name === '__mocks__') continue;
      compileTree(from, to);
    } else if (entry.name.endsWith('.ts') && !SKIP.test(entry.name)) {
      const { code, map } = swc.transformSync(fs.readFileSync(from, 'utf8'), { ...swcOptions, filename: from, swcrc: false, sourceFileName: path.relative(root, from) });
      const js = to.replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(js), { recursive: true });
      fs.writeFileSync(js, `${code}\n//# sourceMappingURL=${path.basename(js)}.map\n`);
      if (map) fs.writeFileSync(`${js}.map`, map);
      compiled++;
    } else if (entry.name.endsWith('.json') || entry.name.endsWith('.sql')) {
      fs.mkdirSync(dstDir, { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
}

function writePackage(relDir, withCode) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, relDir, 'package.json'), 'utf8'));
  if (withCode && typeof pkg.main === 'string') pkg.main = pkg.main.replace(/\.ts$/, '.js');
  fs.mkdirSync(path.join(out, relDir), { recursive: true });
  fs.writeFileSync(path.join(out, relDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  if (withCode) compileTree(path.join(root, relDir, 'src'), path.join(out, relDir, 'src'));
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(root, f), path.join(out, f));

// Libraries are compiled whole (except libs/testing, which only tests import); other services only get their
// package.json, because npm ci wants every workspace of the lock file present.
for (const lib of fs.readdirSync(path.join(root, 'libs'))) {
  if (fs.existsSync(path.join(root, 'libs', lib, 'package.json'))) writePackage(path.join('libs', lib), lib !== 'testing');
}
for (const svc of fs.readdirSync(path.join(root, 'services'))) {
  if (fs.existsSync(path.join(root, 'services', svc, 'package.json'))) writePackage(path.join('services', svc), svc === service);
}
fs.writeFileSync(path.join(out, 'main.js'), `'use strict';\n// Entry point of the ${service} image.\nrequire('./services/${service}/src/main.js');\n`);
console.log(`built ${service}: ${compiled} files compiled into ${out}`);
