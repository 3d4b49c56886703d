import { availableParallelism } from 'node:os';
import { type BackendAdapter, defineTfjsAdapter } from '@gradlab/core';
import { registerBlasBackend, TFJS_BACKEND } from './backend.js';
import { type BlasAddon, loadAddon } from './native.js';

export {
  ADDON_PATH,
  type AddonLoad,
  type AddonLocation,
  addonLocation,
  FIX_HINT,
  loadAddon,
  rebuildCommand,
} from './native.js';

/**
 * The thread count OpenBLAS is to use: OPENBLAS_NUM_THREADS when set (OpenBLAS reads it itself
 * when it loads), otherwise every core this process may run on.
 */
export function blasThreads(env: NodeJS.ProcessEnv = process.env): number {
  const set = Number.parseInt(env.OPENBLAS_NUM_THREADS ?? '', 10);
  return Number.isInteger(set) && set > 0 ? set : availableParallelism();
}

function addonOrThrow(): BlasAddon {
  const load = loadAddon();
  if (!load.ok) throw new Error(`${load.reason}. To fix: ${load.hint}`);
  return load.addon;
}

/**
 * A native CPU backend for Node: tensors live on the heap of a tfjs WASM backend instance of its
 * own and most kernels are the WASM ones, while the matrix products (BatchMatMul, _FusedMatMul
 * with its bias and activation) run in OpenBLAS's sgemm, in place on that heap. The native
 * addon is built at install time against the Debian packages build-essential and libopenblas-dev;
 * without them the backend reports itself unavailable, with the commands that fix it.
 */
export const blasBackend: BackendAdapter = defineTfjsAdapter({
  name: 'blas',
  tfjsBackend: TFJS_BACKEND,
  // Above webgpu (30) and wasm (20): on the reference workload it is the fastest Node backend
  // gradlab has measured (BENCHMARKS.md); below cuda (40).
  priority: 35,
  platforms: ['node'],
  description: 'native CPU backend: OpenBLAS sgemm and fused kernels on the tfjs WASM heap (Node)',
  knownGaps: [
    {
      test: 'gradient/gather',
      reason:
        "it serves tfjs-backend-wasm 4.22's kernels, which have no UnsortedSegmentSum, the kernel gather's gradient needs (gradlab gathers batches but never differentiates through gather)",
    },
    {
      test: 'kernel/fused-matMul-matrix-bias',
      reason:
        "a fused matMul with a bias other than [n] or a single value goes to tfjs-backend-wasm 4.22's _FusedMatMul, which takes rank-1 biases only ('_FusedMatMul only supports rank-1 bias but got rank 2'); gradlab's dense layers have biases [n], which run natively",
    },
    {
      test: 'kernel/gather-batch-dims',
      reason:
        "a gather with batchDims > 0 goes to tfjs-backend-wasm 4.22's GatherV2, which takes rows from the wrong batch after the first, and with batchDims 2 traps ('memory access out of bounds'); gradlab gathers with batchDims 0, which runs natively",
    },
    {
      test: 'kernel/cast-to-bool',
      reason:
        "a cast to another dtype goes to tfjs-backend-wasm 4.22's Cast, which copies the values into the bool tensor's bytes instead of comparing them with 0: 0.5 becomes false and -5 becomes 251",
    },
  ],
  async probe() {
    const load = loadAddon();
    if (!load.ok) return { available: false, reason: load.reason, hint: load.hint };
    try {
      await import('@tensorflow/tfjs-backend-wasm');
    } catch (e) {
      return {
        available: false,
        reason: `@tensorflow/tfjs-backend-wasm could not be loaded (${e instanceof Error ? e.message : String(e)})`,
        hint: 'install it: npm install @tensorflow/tfjs-backend-wasm@4.22.0',
      };
    }
    return { available: true, detail: `native addon loaded (${load.addon.config()})` };
  },
  async load() {
    const addon = addonOrThrow();
    if (!process.env.OPENBLAS_NUM_THREADS) addon.setThreads(blasThreads());
    await registerBlasBackend(addon);
  },
  async describe() {
    const addon = addonOrThrow();
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const config = addon.config();
    const threads = addon.getThreads();
    return {
      device: `CPU, OpenBLAS ${config.split(' ')[1] ?? ''} (${threads} thread${threads === 1 ? '' : 's'}) + WebAssembly SIMD`,
      floatPrecision: 32,
      epsilon: 2 ** -23,
      capabilities: { syncReadback: true, multithreaded: threads > 1 },
      versions: {
        openblas: config,
        'openblas-threads': String(threads),
        '@tensorflow/tfjs-backend-wasm': wasm.version_wasm,
      },
    };
  },
});

export default blasBackend;
