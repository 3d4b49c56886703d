#!/usr/bin/env node
// Builds the native addon with node-gyp, offline, against the installed Node's own headers, and
// records the outcome in status.json for the adapter's probe (src/native.ts). A failed build does
// not fail the install: @gradlab/backend-blas is optional, and `gradlab backends` reads the
// recorded reason and says how to fix it.
//
// Where the outcome goes: build/Release/gradlab_blas.node and build/status.json, or, when
// GRADLAB_BLAS_BUILD_DIR is set, <dir>/gradlab_blas.node and <dir>/status.json (a relative dir is
// taken from the package's folder; src/native.ts looks in the same place). node-gyp itself always
// builds in ./build, and `node-gyp rebuild` starts by deleting it: the variable chooses where the
// result is kept, not where the compiler works.
//
// GRADLAB_BLAS_REQUIRED=1 (set by CI) turns a failed build into a failed command.
// --force rebuilds even when the addon is newer than its sources.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'build', 'Release', 'gradlab_blas.node');
const outDir = process.env.GRADLAB_BLAS_BUILD_DIR
  ? resolve(root, process.env.GRADLAB_BLAS_BUILD_DIR)
  : null;
const addon = outDir ? join(outDir, 'gradlab_blas.node') : built;
const statusFile = outDir ? join(outDir, 'status.json') : join(root, 'build', 'status.json');
const sources = ['native/blas.cc', 'binding.gyp'].map((f) => join(root, f));

// The same rule as src/native.ts's rebuildCommand: a checkout of the monorepo rebuilds through
// its workspace, an installed package (under node_modules) through its package manager.
const rebuild = root.split(sep).includes('node_modules')
  ? root.split(sep).includes('.pnpm')
    ? 'pnpm rebuild @gradlab/backend-blas'
    : 'npm rebuild @gradlab/backend-blas'
  : 'pnpm --filter @gradlab/backend-blas run build:native';
const FIX = `apt-get install -y build-essential libopenblas-dev && ${rebuild}`;

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

function recordedOk() {
  try {
    return JSON.parse(readFileSync(statusFile, 'utf8')).ok === true;
  } catch {
    return false;
  }
}

const upToDate =
  existsSync(addon) &&
  recordedOk() &&
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
if (r.status !== 0 || !existsSync(built)) {
  if (/cblas\.h: No such file/.test(log) || /cannot find -lopenblas/.test(log)) {
    fail('OpenBLAS headers or library not found (cblas.h, -lopenblas)', FIX, log);
  }
  // The compiler is missing where gyp asks it for its predefined macros at configure time
  // (only when CC or CXX names one: "FileNotFoundError: ... No such file or directory: '<cxx>'"),
  // or where make runs it ("make: g++: No such file or directory", "/bin/sh: 1: g++: not found").
  const compiler =
    log.match(/FileNotFoundError: .*No such file or directory: '([^']+)'/) ??
    log.match(
      /(?:^|[\s:])((?:\S*\/)?(?:g\+\+|c\+\+|gcc|cc|clang\+\+|clang|cc1plus)(?:-\d+)?): (?:command )?(?:not found|No such file or directory)/m,
    );
  if (compiler) fail(`no C++ compiler (${compiler[1]} was not found)`, FIX, log);
  if (/Could not find any Python installation/.test(log)) {
    // gyp is a Python program: any Python 3 does (pyenv's, the system's); it needs no packages.
    fail(
      'no Python 3 (node-gyp runs gyp, a Python program)',
      `apt-get install -y python3 build-essential libopenblas-dev && ${rebuild}`,
      log,
    );
  }
  if (/not found: make|spawn make ENOENT|make: (command )?not found/.test(log)) {
    fail('no make (node-gyp runs make to build the addon)', FIX, log);
  }
  fail(`node-gyp failed (exit ${r.status}); the log is in ${statusFile}`, FIX, log);
}
if (outDir) {
  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, addon);
}
record({ ok: true, nodedir, addon });
process.stdout.write(`@gradlab/backend-blas: built ${addon}\n`);
