import { tfjsBackendFactory } from '@gradlab/core';
import {
  getKernel,
  getKernelsForBackend,
  registerBackend,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { nativeKernels } from './kernels.js';
import type { BlasAddon } from './native.js';

/** The tfjs backend name this package registers. */
export const TFJS_BACKEND = 'blas';

let registered = false;

/**
 * Registers the tfjs backend "blas": a WASM backend instance of its own (its own heap, made by
 * the WASM package's own factory) serving every WASM kernel under the name "blas", with the
 * kernels of kernels.ts in place of the WASM ones they replace. tfjs runs each kernel's setup
 * for the backend being activated, so the WASM kernels bind to this instance while it is active.
 */
export async function registerBlasBackend(addon: BlasAddon): Promise<void> {
  if (registered) return;
  await import('@tensorflow/tfjs-backend-wasm');
  // tfjs keeps each backend's factory on its engine, not in its public API: core's seam reads it.
  const wasmFactory = tfjsBackendFactory('wasm')?.factory;
  if (!wasmFactory) throw new Error('@tensorflow/tfjs-backend-wasm did not register its backend');
  registerBackend(TFJS_BACKEND, () => wasmFactory(), 1);
  for (const k of getKernelsForBackend('wasm')) {
    if (!getKernel(k.kernelName, TFJS_BACKEND)) registerKernel({ ...k, backendName: TFJS_BACKEND });
  }
  for (const k of nativeKernels(addon, TFJS_BACKEND)) {
    if (getKernel(k.kernelName, TFJS_BACKEND)) unregisterKernel(k.kernelName, TFJS_BACKEND);
    registerKernel(k);
  }
  registered = true;
}
