import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The addon's functions (native/blas.cc). Offsets are byte offsets into `heap`. */
export interface BlasAddon {
  gemm(
    heap: ArrayBuffer,
    a: number,
    b: number,
    c: number,
    batch: number,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
    aBatchStride: number,
    bBatchStride: number,
  ): void;
  biasActivate(
    heap: ArrayBuffer,
    c: number,
    rows: number,
    cols: number,
    bias: number,
    biasSize: number,
    activation: number,
    alpha: number,
    prelu: number,
    preluSize: number,
  ): void;
  /** Returns -1, or the position of the first index out of range. */
  gather(
    heap: ArrayBuffer,
    x: number,
    out: number,
    outer: number,
    axisSize: number,
    rowBytes: number,
    indices: number,
    count: number,
  ): number;
  denseGrad(
    heap: ArrayBuffer,
    dy: number,
    x: number,
    w: number,
    y: number,
    dz: number,
    dx: number,
    dw: number,
    db: number,
    rows: number,
    k: number,
    n: number,
    activation: number,
    alpha: number,
  ): void;
  squareSums(
    heap: ArrayBuffer,
    offsets: Float64Array,
    sizes: Float64Array,
    out: number,
    root: boolean,
  ): void;
  sgdUpdate(
    heap: ArrayBuffer,
    values: Float64Array,
    grads: Float64Array,
    outs: Float64Array,
    sizes: Float64Array,
    lr: number,
  ): void;
  setThreads(n: number): void;
  getThreads(): number;
  config(): string;
}

/** Activation codes of native/blas.cc's `Activation` enum. */
export const FUSED_ACTIVATIONS: Readonly<Record<string, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  elu: 3,
  leakyrelu: 4,
  prelu: 5,
  sigmoid: 6,
};

/** The package root: src/ and dist/ both sit one level below it. */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the addon and the build's status.json are (scripts/build-native.mjs writes both). */
export interface AddonLocation {
  /** build/Release/gradlab_blas.node, or <GRADLAB_BLAS_BUILD_DIR>/gradlab_blas.node. */
  readonly addon: string;
  /** build/status.json, or <GRADLAB_BLAS_BUILD_DIR>/status.json. */
  readonly status: string;
}

/**
 * The addon's location: the package's build/ folder, or the folder GRADLAB_BLAS_BUILD_DIR names
 * (a relative one is taken from the package's folder, as the build script, which runs there,
 * takes it).
 */
export function addonLocation(env: NodeJS.ProcessEnv = process.env): AddonLocation {
  const dir = env.GRADLAB_BLAS_BUILD_DIR;
  if (dir) {
    const out = resolve(packageRoot, dir);
    return { addon: join(out, 'gradlab_blas.node'), status: join(out, 'status.json') };
  }
  return {
    addon: join(packageRoot, 'build', 'Release', 'gradlab_blas.node'),
    status: join(packageRoot, 'build', 'status.json'),
  };
}

/** Where this process looks for the addon (GRADLAB_BLAS_BUILD_DIR as it was at import). */
export const ADDON_PATH = addonLocation().addon;

/**
 * The command that rebuilds the addon: in a checkout of the gradlab monorepo, the package's
 * build:native script through pnpm; in an installed package (a path through node_modules), the
 * package manager's rebuild, which runs its install script again. scripts/build-native.mjs
 * follows the same rule for the hint it records.
 */
export function rebuildCommand(root: string = packageRoot): string {
  const parts = root.split(/[\\/]/);
  if (!parts.includes('node_modules'))
    return 'pnpm --filter @gradlab/backend-blas run build:native';
  return parts.includes('.pnpm')
    ? 'pnpm rebuild @gradlab/backend-blas'
    : 'npm rebuild @gradlab/backend-blas';
}

/** How to get a working addon on Debian/Ubuntu (the commands `gradlab backends` prints). */
export const FIX_HINT = `apt-get install -y build-essential libopenblas-dev && ${rebuildCommand()}`;

export type AddonLoad =
  | { readonly ok: true; readonly addon: BlasAddon }
  | { readonly ok: false; readonly reason: string; readonly hint: string };

/** One outcome per addon path: a native module, once loaded, stays loaded. */
const loaded = new Map<string, AddonLoad>();

/** Why the last build failed, as scripts/build-native.mjs recorded it, if it did. */
function recordedFailure(statusPath: string): { reason: string; hint: string } | null {
  if (!existsSync(statusPath)) return null;
  try {
    const s = JSON.parse(readFileSync(statusPath, 'utf8')) as {
      ok?: boolean;
      reason?: string;
      hint?: string;
    };
    return s.ok === false && s.reason ? { reason: s.reason, hint: s.hint ?? FIX_HINT } : null;
  } catch {
    return null;
  }
}

/**
 * Loads the addon from `addonLocation(env)`, once per location; never throws. Without the addon,
 * the reason is the one the build recorded in status.json (no C++ compiler, no OpenBLAS, ...)
 * when there is one.
 */
export function loadAddon(env: NodeJS.ProcessEnv = process.env): AddonLoad {
  const where = addonLocation(env);
  const known = loaded.get(where.addon);
  if (known) return known;
  const load = tryLoad(where);
  loaded.set(where.addon, load);
  return load;
}

function tryLoad(where: AddonLocation): AddonLoad {
  if (!existsSync(where.addon)) {
    const failure = recordedFailure(where.status);
    return {
      ok: false,
      reason: failure
        ? `its native addon was not built: ${failure.reason}`
        : `its native addon was not built (${where.addon} is missing)`,
      hint: failure?.hint ?? FIX_HINT,
    };
  }
  try {
    const addon = createRequire(import.meta.url)(where.addon) as BlasAddon;
    return { ok: true, addon };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      reason: `its native addon failed to load (${message.split('\n')[0]})`,
      hint: /libopenblas/.test(message)
        ? 'install the OpenBLAS runtime: apt-get install -y libopenblas0'
        : FIX_HINT,
    };
  }
}
