import { type BackendAdapter, declareKernelPreferences, defineTfjsAdapter } from '@gradlab/core';

type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');

/**
 * The tfjs WASM backend (XNNPACK kernels, SIMD where the runtime has it). In Node it loads its
 * .wasm binaries from node_modules, with no network; tfjs disables its threads in Node.
 * In a browser bundle, pass the binaries' URLs with `setWasmPaths` (from
 * @tensorflow/tfjs-backend-wasm) before activating.
 *
 * Training speed depends on gradlab's explicit-transpose MatMul gradient, which this adapter
 * asks for (declareKernelPreferences; see @gradlab/core's model/matmul.ts): tfjs's stock
 * gradient hits this backend's slow transposed matMul.
 */
export const wasmBackend: BackendAdapter = defineTfjsAdapter({
  name: 'wasm',
  tfjsBackend: 'wasm',
  priority: 20,
  platforms: ['node', 'browser'],
  description: 'tfjs WebAssembly backend (XNNPACK, SIMD): the fastest backend that runs everywhere',
  knownGaps: [
    {
      test: 'gradient/gather',
      reason:
        "tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel, which gather's gradient needs (gradlab gathers batches but never differentiates through gather)",
    },
    {
      test: 'kernel/fused-matMul-bias-batch-transpose',
      reason:
        "tfjs-backend-wasm 4.22's _FusedMatMul adds a bias [n] correctly only to a plain product of one matrix: with transposeA or transposeB, or a batch of more than one, every row of a matrix after its first gets bias[n - 1] in every column (gradlab's dense layers run [1, rows, k] @ [1, k, n] untransposed, which it gets right)",
    },
    {
      test: 'kernel/fused-matMul-bias-shapes',
      reason:
        "tfjs-backend-wasm 4.22's _FusedMatMul takes rank-1 biases only (a rank-0 or [1, n] bias throws '_FusedMatMul only supports rank-1 bias') and reads a bias of shape [1] as n values: the first column gets it, the others whatever follows it on the heap",
    },
    {
      test: 'kernel/fused-matMul-matrix-bias',
      reason:
        "tfjs-backend-wasm 4.22's _FusedMatMul takes rank-1 biases only: '_FusedMatMul only supports rank-1 bias but got rank 2'",
    },
    {
      test: 'kernel/gather-batch-dims',
      reason:
        "tfjs-backend-wasm 4.22's GatherV2 with batchDims > 0 takes rows from the wrong batch after the first, and with batchDims 2 traps ('memory access out of bounds'); gradlab gathers with batchDims 0",
    },
    {
      test: 'kernel/cast-to-bool',
      reason:
        "tfjs-backend-wasm 4.22's Cast copies the values into the bool tensor's bytes (Uint8Array.set) instead of comparing them with 0: 0.5 becomes false and -5 becomes 251",
    },
  ],
  async probe() {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
      return {
        available: false,
        reason: 'WebAssembly is not available in this runtime',
        hint: 'use Node 20+ or a current browser, or the cpu backend',
      };
    }
    try {
      await import('@tensorflow/tfjs-backend-wasm');
    } catch (e) {
      return {
        available: false,
        reason: `@tensorflow/tfjs-backend-wasm could not be loaded (${e instanceof Error ? e.message : String(e)})`,
        hint: 'install it: npm install @tensorflow/tfjs-backend-wasm@4.22.0',
      };
    }
    return { available: true, detail: 'WebAssembly present, @tensorflow/tfjs-backend-wasm loaded' };
  },
  async load() {
    await import('@tensorflow/tfjs-backend-wasm');
    declareKernelPreferences('wasm', { explicitTransposeInMatMulGradient: true });
  },
  async describe() {
    const wasm: WasmModule = await import('@tensorflow/tfjs-backend-wasm');
    const tf = await import('@tensorflow/tfjs-core');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return {
      device: `WebAssembly${simd ? ' SIMD' : ''}${threads ? ', multithreaded' : ', single thread'}`,
      floatPrecision: 32,
      epsilon: 2 ** -23,
      capabilities: { syncReadback: true, multithreaded: Boolean(threads) },
      versions: { '@tensorflow/tfjs-backend-wasm': wasm.version_wasm },
    };
  },
});

export default wasmBackend;
