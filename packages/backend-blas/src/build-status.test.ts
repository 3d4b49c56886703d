import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isGradlabError, registerBackend, unregisterBackend, useBackend } from '@gradlab/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blasBackend } from './index.js';
import { addonLocation, FIX_HINT, loadAddon, rebuildCommand } from './native.js';

/**
 * The unavailable path, for real: scripts/build-native.mjs run with a compiler that does not
 * exist, and the adapter reading what it recorded. The script runs in a copy of the package's
 * build inputs (binding.gyp, native/, scripts/) in a temporary folder, never in the package
 * itself: `node-gyp rebuild` starts by deleting ./build, which holds the addon the other tests
 * (and the CLI) use. The copy's node_modules is a link to the package's, so it resolves node-gyp
 * and node-addon-api as the package does.
 */

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const APT = 'apt-get install -y build-essential libopenblas-dev';

/** A copy of the package's build inputs in a new temporary folder. */
function copyPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-blas-'));
  for (const f of ['binding.gyp', 'native', 'scripts']) {
    cpSync(join(packageRoot, f), join(dir, f), { recursive: true });
  }
  symlinkSync(join(packageRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Runs the copy's build script; CI's GRADLAB_BLAS_REQUIRED is only what `env` says. */
function buildNative(dir: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const { GRADLAB_BLAS_REQUIRED: _, GRADLAB_BLAS_BUILD_DIR: __, ...base } = process.env;
  return spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...base, ...env },
    timeout: 240_000,
  });
}

interface Status {
  ok: boolean;
  reason?: string;
  hint?: string;
  log?: string;
  addon?: string;
}
const readStatus = (dir: string): Status =>
  JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as Status;

const realAddon = join(packageRoot, 'build', 'Release', 'gradlab_blas.node');
/** The real addon, built by the package's own build (CI requires it: GRADLAB_BLAS_REQUIRED=1). */
const realBuilt = existsSync(realAddon) || process.env.GRADLAB_BLAS_REQUIRED === '1';
const realMtime = existsSync(realAddon) ? statSync(realAddon).mtimeMs : null;

let copy: string;
let failed: string;
beforeAll(() => {
  copy = copyPackage();
  failed = join(copy, 'out-failed');
});
afterAll(() => {
  vi.unstubAllEnvs();
  // The copy's node_modules is a link: removed, not followed.
  rmSync(copy, { recursive: true, force: true });
});

describe('scripts/build-native.mjs without a C++ compiler', () => {
  it('records {ok: false, reason, hint} in $GRADLAB_BLAS_BUILD_DIR/status.json and exits 0', () => {
    const r = buildNative(copy, { CXX: '/nonexistent/g++', GRADLAB_BLAS_BUILD_DIR: failed });
    expect(r.status, r.stderr).toBe(0);
    const status = readStatus(failed);
    expect(status.ok).toBe(false);
    expect(status.reason).toBe('no C++ compiler (/nonexistent/g++ was not found)');
    // A checkout (the copy is under no node_modules): the workspace's command.
    expect(status.hint).toBe(`${APT} && pnpm --filter @gradlab/backend-blas run build:native`);
    expect(status.log).toContain('/nonexistent/g++');
    expect(existsSync(join(failed, 'gradlab_blas.node'))).toBe(false);
    expect(r.stderr).toContain(
      '@gradlab/backend-blas: native addon not built: no C++ compiler (/nonexistent/g++ was not found)',
    );
    expect(r.stderr).toContain(`to fix: ${APT}`);
  });

  it('exits 1 with GRADLAB_BLAS_REQUIRED=1, recording the same', () => {
    const required = join(copy, 'out-required');
    const r = buildNative(copy, {
      CXX: '/nonexistent/g++',
      GRADLAB_BLAS_BUILD_DIR: required,
      GRADLAB_BLAS_REQUIRED: '1',
    });
    expect(r.status).toBe(1);
    expect(readStatus(required)).toMatchObject({
      ok: false,
      reason: 'no C++ compiler (/nonexistent/g++ was not found)',
    });
  });

  it('without Python 3 (node-gyp runs gyp in Python) records that, and how to get it', () => {
    // A PATH with node alone: node-gyp's search for python3 and python finds nothing.
    const bin = join(copy, 'bin-node-only');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const out = join(copy, 'out-no-python');
    const r = buildNative(copy, {
      PATH: bin,
      PYTHON: '',
      npm_config_python: '/nonexistent/python3',
      GRADLAB_BLAS_BUILD_DIR: out,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(readStatus(out)).toMatchObject({
      ok: false,
      reason: 'no Python 3 (node-gyp runs gyp, a Python program)',
      hint: `apt-get install -y python3 build-essential libopenblas-dev && pnpm --filter @gradlab/backend-blas run build:native`,
    });
  });

  it("leaves the package's own build alone", () => {
    if (realMtime === null) return;
    expect(statSync(realAddon).mtimeMs).toBe(realMtime);
  });
});

describe('the adapter where the build failed (GRADLAB_BLAS_BUILD_DIR at the failed build)', () => {
  it('loadAddon reports the recorded reason and hint', () => {
    const load = loadAddon({ GRADLAB_BLAS_BUILD_DIR: failed });
    expect(load).toEqual({
      ok: false,
      reason: 'its native addon was not built: no C++ compiler (/nonexistent/g++ was not found)',
      hint: `${APT} && pnpm --filter @gradlab/backend-blas run build:native`,
    });
  });

  it('probe says unavailable, with the reason and the fix', async () => {
    vi.stubEnv('GRADLAB_BLAS_BUILD_DIR', failed);
    try {
      const probe = await blasBackend.probe();
      expect(probe.available).toBe(false);
      if (probe.available) return;
      expect(probe.reason).toContain('no C++ compiler (/nonexistent/g++ was not found)');
      expect(probe.hint).toContain(APT);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('useBackend("blas") throws BACKEND_UNAVAILABLE with the reason and the fix', async () => {
    vi.stubEnv('GRADLAB_BLAS_BUILD_DIR', failed);
    registerBackend(blasBackend);
    try {
      const error = await useBackend('blas').then(
        () => null,
        (e: unknown) => e,
      );
      expect(isGradlabError(error) && error.code).toBe('BACKEND_UNAVAILABLE');
      expect((error as Error).message).toContain(
        'backend "blas" is not available here: its native addon was not built: no C++ compiler',
      );
      expect((error as Error).message).toContain(`To fix: ${APT}`);
    } finally {
      unregisterBackend('blas');
      vi.unstubAllEnvs();
    }
  });

  it('a build folder with neither addon nor status says which file is missing', () => {
    const empty = join(copy, 'out-empty');
    const load = loadAddon({ GRADLAB_BLAS_BUILD_DIR: empty });
    expect(load).toEqual({
      ok: false,
      reason: `its native addon was not built (${join(empty, 'gradlab_blas.node')} is missing)`,
      hint: FIX_HINT,
    });
  });
});

describe('where the addon is, and how to rebuild it', () => {
  it('build/ by default; GRADLAB_BLAS_BUILD_DIR, relative to the package, when set', () => {
    expect(addonLocation({})).toEqual({
      addon: realAddon,
      status: join(packageRoot, 'build', 'status.json'),
    });
    expect(addonLocation({ GRADLAB_BLAS_BUILD_DIR: '/x/y' })).toEqual({
      addon: '/x/y/gradlab_blas.node',
      status: '/x/y/status.json',
    });
    expect(addonLocation({ GRADLAB_BLAS_BUILD_DIR: 'out' }).addon).toBe(
      join(packageRoot, 'out', 'gradlab_blas.node'),
    );
  });

  it('a checkout rebuilds through the workspace, an installed package through its manager', () => {
    expect(rebuildCommand('/work/gradlab/packages/backend-blas')).toBe(
      'pnpm --filter @gradlab/backend-blas run build:native',
    );
    expect(rebuildCommand('/srv/app/node_modules/@gradlab/backend-blas')).toBe(
      'npm rebuild @gradlab/backend-blas',
    );
    expect(
      rebuildCommand(
        '/srv/app/node_modules/.pnpm/@gradlab+backend-blas@0.1.0/node_modules/@gradlab/backend-blas',
      ),
    ).toBe('pnpm rebuild @gradlab/backend-blas');
    // This package is a checkout.
    expect(FIX_HINT).toBe(`${APT} && pnpm --filter @gradlab/backend-blas run build:native`);
  });
});

describe('scripts/build-native.mjs with GRADLAB_BLAS_BUILD_DIR, where it builds', () => {
  it.skipIf(!realBuilt)(
    'copies the addon and an ok status.json there, and the adapter loads it from there',
    () => {
      const out = join(copy, 'out-ok');
      const r = buildNative(copy, { GRADLAB_BLAS_BUILD_DIR: out });
      expect(r.status, r.stderr).toBe(0);
      expect(readStatus(out)).toMatchObject({ ok: true, addon: join(out, 'gradlab_blas.node') });
      const load = loadAddon({ GRADLAB_BLAS_BUILD_DIR: out });
      expect(load.ok).toBe(true);
      if (load.ok) expect(load.addon.config()).toMatch(/OpenBLAS/);
      // Up to date: a second run builds nothing and says nothing.
      const again = buildNative(copy, { GRADLAB_BLAS_BUILD_DIR: out });
      expect(again.status).toBe(0);
      expect(again.stdout).toBe('');
    },
  );
});
