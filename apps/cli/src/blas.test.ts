import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

/**
 * The blas backend through the built command, both ways: where its native addon could not be
 * built (a real failed build: the package's build script run with a C++ compiler that does not
 * exist, its outcome kept in a folder GRADLAB_BLAS_BUILD_DIR points at), and with the real build.
 */

/** The package the CLI loads (an optional dependency, a workspace link here). */
const blasPackage = realpathSync(
  fileURLToPath(new URL('../node_modules/@gradlab/backend-blas', import.meta.url)),
);
const realBuilt =
  existsSync(join(blasPackage, 'build', 'Release', 'gradlab_blas.node')) ||
  process.env.GRADLAB_BLAS_REQUIRED === '1';
const APT = 'apt-get install -y build-essential libopenblas-dev';
const FIX = `${APT} && pnpm --filter @gradlab/backend-blas run build:native`;
const REASON = 'its native addon was not built: no C++ compiler (/nonexistent/g++ was not found)';

const tinySpec = {
  gradlab: 1,
  name: 'e2e-blas',
  seed: 3,
  data: { kind: 'teacher', task: 'classification', inputSize: 6, outputSize: 3, samples: 64 },
  model: { kind: 'mlp', depth: 3, width: 8, activation: 'relu', init: 'he-normal' },
  training: { steps: 2, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.1 } },
  diagnostics: { every: 1 },
};

let work: string;
let spec: string;
/** GRADLAB_BLAS_BUILD_DIR at a failed build. */
let failedEnv: NodeJS.ProcessEnv;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gradlab-cli-blas-'));
  spec = join(work, 'tiny.json');
  writeFileSync(spec, JSON.stringify(tinySpec));
  // The build runs in a copy of the package's build inputs: `node-gyp rebuild` in the package
  // itself would delete the build/ that the other tests use.
  const copy = join(work, 'package');
  for (const f of ['binding.gyp', 'native', 'scripts']) {
    cpSync(join(blasPackage, f), join(copy, f), { recursive: true });
  }
  symlinkSync(join(blasPackage, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const failed = join(work, 'failed-build');
  const { GRADLAB_BLAS_REQUIRED: _, ...env } = process.env;
  const r = spawnSync(process.execPath, [join(copy, 'scripts', 'build-native.mjs')], {
    cwd: copy,
    encoding: 'utf8',
    env: { ...env, CXX: '/nonexistent/g++', GRADLAB_BLAS_BUILD_DIR: failed },
  });
  if (r.status !== 0) throw new Error(`the failed build should exit 0: ${r.stderr}`);
  failedEnv = { GRADLAB_BLAS_BUILD_DIR: failed };
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

interface BackendJson {
  name: string;
  priority: number;
  probe: { available: boolean; priority?: number; reason?: string; hint?: string };
}

/** The details cell of one backend's row in `gradlab backends`, its wrapped lines joined. */
function detailsOf(table: string, name: string): { available: string; details: string } {
  const lines = table.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`│ ${name} `));
  const cells: string[][] = [];
  for (const line of lines.slice(start)) {
    if (cells.length > 0 && !line.startsWith('│')) break;
    cells.push(line.split('│').map((c) => c.trim()));
  }
  return {
    available: cells[0]?.[3] ?? '',
    details: cells
      .map((c) => c[4])
      .filter(Boolean)
      .join(' '),
  };
}

describe('blas without its native addon (GRADLAB_BLAS_BUILD_DIR at a build that failed)', () => {
  it('gradlab backends lists blas as unavailable, with the reason and the fix', () => {
    const json = gradlab(['backends', '--json'], { env: failedEnv });
    expect(json.status, json.stderr).toBe(0);
    const blas = (JSON.parse(json.stdout) as BackendJson[]).find((b) => b.name === 'blas');
    expect(blas?.probe).toEqual({ available: false, reason: REASON, hint: FIX });

    const text = gradlab(['backends'], { env: failedEnv });
    expect(text.status, text.stderr).toBe(0);
    const row = detailsOf(text.stdout, 'blas');
    expect(row.available).toBe('no');
    expect(row.details).toBe(`${REASON}. How to fix it: below.`);
    // The fix (commands and paths to copy) in full on its own line, never cut by a cell.
    expect(text.stdout.split('\n')).toContain(`To fix blas: ${FIX}`);
  });

  it('gradlab run --backend auto runs on the next backend and says blas was skipped, and why', () => {
    const ranked = (
      JSON.parse(gradlab(['backends', '--json'], { env: failedEnv }).stdout) as BackendJson[]
    )
      .filter((b) => b.probe.available)
      .sort(
        (a, b) =>
          Math.min(b.probe.priority ?? b.priority, b.priority) -
          Math.min(a.probe.priority ?? a.priority, a.priority),
      );
    // wasm here; webgpu where Dawn finds a GPU.
    const expected = ranked[0]?.name;
    const out = join(work, 'run-auto-unavailable');
    const r = gradlab(['run', spec, '--backend', 'auto', '--out', out], { env: failedEnv });
    expect(r.status, r.stderr).toBe(0);
    expect(expected).not.toBe('blas');
    expect(r.stderr).toContain(`gradlab: e2e-blas on ${expected} (`);
    expect(r.stderr).toContain(`  skipped blas: ${REASON}\n`);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.backend.name).toBe(expected);
    expect(run.status).toBe('complete');
  });

  it('gradlab run --backend blas fails with BACKEND_UNAVAILABLE, the reason and the fix', () => {
    const out = join(work, 'run-blas-unavailable');
    const r = gradlab(['run', spec, '--backend', 'blas', '--out', out], { env: failedEnv });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `gradlab: backend "blas" is not available here: ${REASON}. To fix: ${FIX}.\n`,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('blas with its native addon', () => {
  it.skipIf(!realBuilt)('gradlab run --backend auto picks blas in Node', () => {
    const out = join(work, 'run-auto-blas');
    const r = gradlab(['run', spec, '--backend', 'auto', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/gradlab: e2e-blas on blas \(CPU, OpenBLAS /);
    expect(r.stderr).not.toContain('skipped blas');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.backend.name).toBe('blas');
    expect(run.status).toBe('complete');
    expect(run.result.stepsCompleted).toBe(2);
  });
});
