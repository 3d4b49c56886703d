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
