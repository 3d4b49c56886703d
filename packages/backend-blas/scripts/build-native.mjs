#!/usr/bin/env node
// Builds the native addon (build/Release/gradlab_blas.node) with node-gyp, offline, against the
// installed Node's own headers, and records the outcome in build/status.json for the adapter's
// probe. A failed build does not fail the install: @gradlab/backend-blas is optional, and
// `gradlab backends` reads the recorded reason and says how to fix it.
// GRADLAB_BLAS_REQUIRED=1 (set by CI) turns a failed build into a failed command.
// --force rebuilds even when the addon is newer than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(root, 'build', 'Release', 'gradlab_blas.node');
const statusFile = join(root, 'build', 'status.json');
const sources = ['native/blas.cc', 'binding.gyp'].map((f) => join(root, f));
const FIX =
  'apt-get install -y build-essential libopenblas-dev && pnpm --filter @gradlab/backend-blas run build:native';

function record(status) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(
    statusFile,
    `${JSON.stringify({ ...status, node: process.version, at: new Date().toISOString() }, null, 2)}\n`,
  );
}

function fail(reason, hint, log = '') {
  record({ ok: false, reason, hint, log: log.slice(-4000) });
  process.stderr.write(
    `@gradlab/backend-blas: native addon not built: ${reason}\n  to fix: ${hint}\n`,
  );
  process.exit(process.env.GRADLAB_BLAS_REQUIRED === '1' ? 1 : 0);
}

const upToDate =
  existsSync(addon) &&
  existsSync(statusFile) &&
  JSON.parse(readFileSync(statusFile, 'utf8')).ok === true &&
  sources.every((s) => statSync(s).mtimeMs <= statSync(addon).mtimeMs);
if (upToDate && !process.argv.includes('--force')) process.exit(0);

// node-gyp would download Node's headers; the installed Node ships them next to its binary
// (<prefix>/include/node), so point it there and nothing is fetched.
const candidates = [
  process.env.npm_config_nodedir,
  resolve(dirname(process.execPath), '..'),
].filter(Boolean);
const nodedir = candidates.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')));
if (!nodedir) {
  fail(
    `Node's headers (include/node/node_api.h) were not found under ${candidates.join(' or ')}`,
    'install a Node.js that ships its headers (the official tarballs and Debian/NodeSource packages do), or set npm_config_nodedir to a folder that has include/node',
  );
}

const require = createRequire(import.meta.url);
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  fail(
    'node-gyp is not installed',
    'pnpm install (node-gyp is a dependency of @gradlab/backend-blas)',
  );
}
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs=max'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, npm_config_nodedir: nodedir },
});
const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
if (r.status !== 0 || !existsSync(addon)) {
  if (/cblas\.h: No such file/.test(log) || /cannot find -lopenblas/.test(log)) {
    fail('OpenBLAS headers or library not found (cblas.h, -lopenblas)', FIX, log);
  }
  if (
    /(g\+\+|make|cc1plus|gcc): (not found|No such file)|not found: make|spawn make ENOENT/.test(log)
  ) {
    fail('no C++ compiler or make', FIX, log);
  }
  fail(`node-gyp failed (exit ${r.status}); the log is in build/status.json`, FIX, log);
}
record({ ok: true, nodedir });
process.stdout.write(`@gradlab/backend-blas: built ${addon}\n`);
