import { wasmBackend } from '@gradlab/backend-wasm';
import type { BackendAdapter } from '@gradlab/core';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';

let configured: Promise<void> | null = null;

/**
 * The binaries are part of the build (Vite copies them and gives their URLs), so the page
 * fetches nothing from elsewhere. Threads stay off: they need a cross-origin-isolated page
 * (COOP/COEP headers no plain static host sends), and threaded WASM hung there in Chromium.
 */
function configure(): Promise<void> {
  configured ??= (async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': plainWasm,
      'tfjs-backend-wasm-simd.wasm': simdWasm,
      'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
    });
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  })();
  return configured;
}

/** @gradlab/backend-wasm's adapter, told where the page's copies of the binaries are. */
export const browserWasmBackend: BackendAdapter = {
  ...wasmBackend,
  async activate() {
    await configure();
    return wasmBackend.activate();
  },
};
