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
export const ADDON_PATH = join(packageRoot, 'build', 'Release', 'gradlab_blas.node');
const STATUS_PATH = join(packageRoot, 'build', 'status.json');

/** How to get a working addon on Debian/Ubuntu (the commands `gradlab backends` prints). */
export const FIX_HINT =
  'apt-get install -y build-essential libopenblas-dev, then rebuild the addon: pnpm --filter @gradlab/backend-blas run build:native (or npm rebuild @gradlab/backend-blas)';

export type AddonLoad =
  | { readonly ok: true; readonly addon: BlasAddon }
  | { readonly ok: false; readonly reason: string; readonly hint: string };

let loaded: AddonLoad | null = null;

/** Why the last build failed, as scripts/build-native.mjs recorded it, if it did. */
function recordedFailure(): { reason: string; hint: string } | null {
  if (!existsSync(STATUS_PATH)) return null;
  try {
    const s = JSON.parse(readFileSync(STATUS_PATH, 'utf8')) as {
      ok?: boolean;
      reason?: string;
      hint?: string;
    };
    return s.ok === false && s.reason ? { reason: s.reason, hint: s.hint ?? FIX_HINT } : null;
  } catch {
    return null;
  }
}

/** Loads the addon once; never throws. */
export function loadAddon(): AddonLoad {
  if (loaded) return loaded;
  if (!existsSync(ADDON_PATH)) {
    const failure = recordedFailure();
    loaded = {
      ok: false,
      reason: failure
        ? `its native addon was not built: ${failure.reason}`
        : `its native addon was not built (${ADDON_PATH} is missing)`,
      hint: failure?.hint ?? FIX_HINT,
    };
    return loaded;
  }
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as BlasAddon;
    loaded = { ok: true, addon };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    loaded = {
      ok: false,
      reason: `its native addon failed to load (${message.split('\n')[0]})`,
      hint: /libopenblas/.test(message)
        ? 'install the OpenBLAS runtime: apt-get install -y libopenblas0'
        : FIX_HINT,
    };
  }
  return loaded;
}
